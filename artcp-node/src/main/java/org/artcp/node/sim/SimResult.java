package org.artcp.node.sim;

/**
 * The outcome of one simulated scenario.
 *
 * @param scenario        what ran
 * @param failure         the first invariant violated, or {@code null} when every check passed
 * @param virtualTimeNs   simulated time at the end
 * @param framesSent      frame copies put on the simulated network
 * @param causalDelivered causal requests delivered by the survivors (each)
 * @param readOnlyServed  read-only requests served
 * @param crashes         nodes crashed
 * @param elections       primary changes observed
 * @param badFramesDropped corrupted frames the nodes dropped and counted
 * @param trace           the event trace, when it was asked for ({@code null} otherwise)
 */
public record SimResult(Scenario scenario, String failure, long virtualTimeNs, long framesSent, long causalDelivered,
                        long readOnlyServed, int crashes, int elections, long badFramesDropped, String trace) {

    public boolean passed() {
        return failure == null;
    }

    /** One line: the seed, the cell and the verdict. */
    public String summary() {
        Scenario s = scenario;
        return String.format("seed %d: %d nodes, %s, crash %s, loss %d%%, dup %d%%, corrupt %d%%, fold %d -> %s"
                        + " (%.1f ms virtual, %d frames, %d causal, %d read-only, %d crashes, %d primary changes, %d bad frames dropped)",
                s.seed(), s.nodes(), s.mode(), s.plan(), s.lossPercent(), s.duplicatePercent(), s.corruptPercent(),
                s.foldBound(), failure == null ? "PASS" : "FAIL: " + failure, virtualTimeNs / 1e6, framesSent,
                causalDelivered, readOnlyServed, crashes, elections, badFramesDropped);
    }
}
