package org.artcp.node.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.artcp.node.order.DeliveryMode;

/**
 * Runs many seeded scenarios and reports every failing seed with the command that reruns it.
 * Used by the CI test (10,000 scenarios) and by {@code ./artcp sim --sweep} (the big sweep).
 */
public final class SimSweep {
    /** What a sweep found. */
    public record Summary(long scenarios, long passed, List<SimResult> failures, long framesSent, long causalDelivered,
                          long readOnlyServed, long crashes, long primaryChanges, long badFramesDropped,
                          long[] perNodes, long elapsedNs, boolean overridden) {
        /** A multi-line report. */
        public String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("scenarios %d, passed %d, failed %d (2 nodes: %d, 3 nodes: %d, 4 nodes: %d)%n",
                    scenarios, passed, failures.size(), perNodes[2], perNodes[3], perNodes[4]));
            b.append(String.format("frame copies %d, causal deliveries per survivor %d, read-only served %d,"
                            + " crashes %d, primary changes %d, corrupted frames dropped %d%n",
                    framesSent, causalDelivered, readOnlyServed, crashes, primaryChanges, badFramesDropped));
            b.append(String.format("wall time %.1f s (%.0f scenarios/s)%n", elapsedNs / 1e9,
                    scenarios / Math.max(1e-9, elapsedNs / 1e9)));
            for (SimResult f : failures.subList(0, Math.min(20, failures.size()))) {
                b.append("FAILED ").append(f.summary()).append('\n');
                b.append("  rerun: ./artcp sim ").append(f.scenario().rerunArguments(overridden)).append(" --trace\n");
            }
            return b.toString();
        }
    }

    private SimSweep() {
    }

    /**
     * Runs seeds {@code firstSeed .. firstSeed + count - 1} on {@code threads} threads.
     *
     * @param progress where to print progress every {@code progressEvery} scenarios ({@code null}: silent)
     */
    public static Summary run(long firstSeed, long count, int nodes, DeliveryMode mode, CrashPlan plan, int threads,
                              PrintStream progress, long progressEvery) {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong(firstSeed);
        long end = firstSeed + count;
        AtomicLong done = new AtomicLong();
        List<SimResult> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long[][] totals = new long[threads][12];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] tot = totals[t];
                futures.add(pool.submit(() -> {
                    long seed;
                    while ((seed = next.getAndIncrement()) < end) {
                        SimResult r = Simulation.run(Scenario.fromSeed(seed, nodes, mode, plan), false);
                        if (!r.passed()) {
                            failures.add(r);
                        } else {
                            tot[0]++;
                        }
                        tot[1] += r.framesSent();
                        tot[2] += r.causalDelivered();
                        tot[3] += r.readOnlyServed();
                        tot[4] += r.crashes();
                        tot[5] += r.elections();
                        tot[6] += r.badFramesDropped();
                        tot[7 + r.scenario().nodes()]++;
                        long d = done.incrementAndGet();
                        if (progress != null && d % progressEvery == 0) {
                            double s = (System.nanoTime() - start) / 1e9;
                            progress.printf("  %,d / %,d scenarios, %d failed, %.0f s, %.0f/s%n", d, count,
                                    failures.size(), s, d / s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        long[] sum = new long[12];
        for (long[] t : totals) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += t[i];
            }
        }
        List<SimResult> sorted = new ArrayList<>(failures);
        sorted.sort(java.util.Comparator.comparingLong(r -> r.scenario().seed()));
        long[] perNodes = {0, 0, sum[9], sum[10], sum[11]};
        return new Summary(count, sum[0], sorted, sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], perNodes,
                System.nanoTime() - start, nodes != 0 || mode != null || plan != null);
    }

    /** {@code java -cp artcp-node.jar org.artcp.node.sim.SimSweep [firstSeed] [count] [threads]}. */
    public static void main(String[] args) {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 0;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Summary s = run(first, count, 0, null, null, threads, System.out, Math.max(1, count / 20));
        System.out.print(s.report());
        System.exit(s.failures().isEmpty() ? 0 : 1);
    }
}
