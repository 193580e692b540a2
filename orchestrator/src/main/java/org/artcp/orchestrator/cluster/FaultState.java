package org.artcp.orchestrator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The faults injected into one node of a running cluster ({@link Faults}), as recorded in the cluster's state
 * file so that {@code cluster status} shows them and {@code cluster stop} undoes them.
 *
 * @param killedAt    when {@link Faults#kill} cut the host's power (ISO-8601), null if it did not; final
 * @param pausedAt    when {@link Faults#pause} stopped the node process, null while it is not paused
 * @param cutAt       when {@link Faults#cut} took the host's link down, null while it is up
 * @param lossPercent the random loss on the host's link, each direction, 0 for none
 */
public record FaultState(String killedAt, String pausedAt, String cutAt, double lossPercent) {
    /** No fault. */
    public static final FaultState NONE = new FaultState(null, null, null, 0);

    public boolean killed() {
        return killedAt != null;
    }

    public boolean paused() {
        return pausedAt != null;
    }

    public boolean cut() {
        return cutAt != null;
    }

    public boolean none() {
        return !killed() && !paused() && !cut() && lossPercent == 0;
    }

    FaultState withKilled(String at) {
        return new FaultState(at, pausedAt, cutAt, lossPercent);
    }

    FaultState withPaused(String at) {
        return new FaultState(killedAt, at, cutAt, lossPercent);
    }

    FaultState withCut(String at) {
        return new FaultState(killedAt, pausedAt, at, lossPercent);
    }

    FaultState withLoss(double percent) {
        return new FaultState(killedAt, pausedAt, cutAt, percent);
    }

    /** {@code -}, {@code killed}, {@code paused}, {@code cut}, {@code loss 2.5%}, or several joined by {@code +}. */
    public String label() {
        List<String> parts = new ArrayList<>();
        if (killed()) {
            parts.add("killed");
        }
        if (paused()) {
            parts.add("paused");
        }
        if (cut()) {
            parts.add("cut");
        }
        if (lossPercent != 0) {
            parts.add("loss " + percentLabel(lossPercent) + "%");
        }
        return parts.isEmpty() ? "-" : String.join("+", parts);
    }

    /** {@code 5}, {@code 2.5}, {@code 0.01}: no trailing zeros. */
    public static String percentLabel(double p) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.2f", p)).stripTrailingZeros().toPlainString();
    }
}
