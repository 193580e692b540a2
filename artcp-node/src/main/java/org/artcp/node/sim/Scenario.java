package org.artcp.node.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.artcp.node.order.DeliveryMode;
import org.artcp.node.order.SerialNumbers;

/**
 * One simulated scenario, entirely determined by its seed (and optional overrides): cluster size,
 * delivery mode, crash plan and crash points, link behaviour, ordering-number fold bound, and the
 * clients' workload. {@link #fromSeed} spreads consecutive seeds over every (nodes, mode, plan) cell,
 * so any run of consecutive seeds covers the grid evenly.
 *
 * @param seed           the seed everything is drawn from
 * @param nodes          N, 2..4
 * @param mode           best-effort or safe
 * @param plan           the crash plan
 * @param lossPercent    chance a frame copy is lost (at most {@link #maxConsecutiveLosses} in a row per link)
 * @param duplicatePercent chance a delivered frame copy arrives twice
 * @param corruptPercent chance a frame copy is corrupted (a flipped byte or a truncation) instead of delivered
 * @param minDelayNs     shortest link delay
 * @param maxDelayNs     longest link delay (copies are reordered by their random delays)
 * @param foldBound      ordering numbers fold here
 * @param initialOrderingNumber where numbering starts (near the fold, so that it wraps during the run)
 * @param connections    client connections
 * @param requestsPerConnection requests each connection issues
 * @param readOnlyIncludesPrimary RR-P or RR-NP
 * @param crashAtCopy    the first crash's frame-copy index (frame-point plans), or -1 to draw it from the seed
 * @param secondCrashAtCopy the during-election crash's frame-copy index, or -1 to draw it from the seed
 */
public record Scenario(long seed, int nodes, DeliveryMode mode, CrashPlan plan, int lossPercent, int duplicatePercent,
                       int corruptPercent, long minDelayNs, long maxDelayNs, long foldBound,
                       long initialOrderingNumber, int connections, int requestsPerConnection,
                       boolean readOnlyIncludesPrimary, int crashAtCopy, int secondCrashAtCopy) {

    /** Links never lose more than this many consecutive frame copies (fair-lossy links; keeps the failure detector perfect). */
    public static final int maxConsecutiveLosses = 2;

    private record Cell(int nodes, DeliveryMode mode, CrashPlan plan) {
    }

    private static final List<Cell> CELLS = new ArrayList<>();

    static {
        for (int n = 2; n <= 4; n++) {
            for (DeliveryMode m : DeliveryMode.values()) {
                for (CrashPlan p : CrashPlan.values()) {
                    if (p.appliesTo(n)) {
                        CELLS.add(new Cell(n, m, p));
                    }
                }
            }
        }
    }

    /** The number of (nodes, mode, plan) cells; seeds {@code 0 .. cells()-1} cover each once. */
    public static int cells() {
        return CELLS.size();
    }

    /** The scenario of a seed, with no overrides. */
    public static Scenario fromSeed(long seed) {
        return fromSeed(seed, 0, null, null);
    }

    /**
     * The scenario of a seed; {@code nodes} (0 = from the seed), {@code mode} and {@code plan}
     * ({@code null} = from the seed) override the cell.
     */
    public static Scenario fromSeed(long seed, int nodes, DeliveryMode mode, CrashPlan plan) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        Cell cell = CELLS.get((int) Math.floorMod(seed, (long) CELLS.size()));
        int n = nodes != 0 ? nodes : cell.nodes();
        DeliveryMode m = mode != null ? mode : cell.mode();
        CrashPlan p = plan != null ? plan : cell.plan();
        if (!p.appliesTo(n)) {
            p = CrashPlan.PRIMARY_MID_MULTICAST;
        }
        int loss = r.nextInt(4) == 0 ? 0 : r.nextInt(1, 21);
        int dup = r.nextInt(3) == 0 ? 0 : r.nextInt(1, 11);
        int corrupt = r.nextInt(3) == 0 ? 0 : r.nextInt(1, 4);
        long minDelay = 10_000L * r.nextInt(1, 4);
        long maxDelay = minDelay + 20_000L * r.nextInt(1, 20);
        long fold = switch (r.nextInt(4)) {
            case 0 -> 16;
            case 1 -> 64 + r.nextInt(200);
            case 2 -> 1L << 31;
            default -> SerialNumbers.MAX_ORDERING_BOUND;
        };
        long initial = Math.floorMod(fold - r.nextInt(1, 12), fold);
        int conns = r.nextInt(1, 4);
        int requests = r.nextInt(6, 16);
        return new Scenario(seed, n, m, p, loss, dup, corrupt, minDelay, maxDelay, fold, initial, conns, requests,
                r.nextBoolean(), -1, -1);
    }

    /**
     * This scenario with its crash points fixed instead of drawn: the first crash right after frame
     * copy {@code first} of the crashing node (-1: from the seed), the during-election crash after
     * copy {@code second} (-1: from the seed). Used to walk every crash point.
     */
    public Scenario withCrashPoints(int first, int second) {
        return new Scenario(seed, nodes, mode, plan, lossPercent, duplicatePercent, corruptPercent, minDelayNs,
                maxDelayNs, foldBound, initialOrderingNumber, connections, requestsPerConnection,
                readOnlyIncludesPrimary, first, second);
    }

    /** The {@code ./artcp sim} arguments that rerun exactly this scenario. */
    public String rerunArguments(boolean withOverrides) {
        StringBuilder b = new StringBuilder("--seed ").append(seed);
        if (withOverrides) {
            b.append(" --nodes ").append(nodes)
                    .append(" --delivery ").append(mode == DeliveryMode.SAFE ? "safe" : "best-effort")
                    .append(" --crash ").append(plan.name().toLowerCase().replace('_', '-'));
        }
        if (crashAtCopy >= 0) {
            b.append(" --crash-at ").append(crashAtCopy);
        }
        if (secondCrashAtCopy >= 0) {
            b.append(" --second-crash-at ").append(secondCrashAtCopy);
        }
        return b.toString();
    }
}
