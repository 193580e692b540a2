package org.artcp.node.mysql;

/**
 * What the primary does with one client segment of a MySQL connection.
 *
 * @param kind      READ_ONLY, CAUSAL, PREVIOUS_STATEMENT_DIAGNOSTICS, or OUT_OF_ORDER (beyond the next expected
 *                  byte: drop it, the client retransmits)
 * @param rewritten the payload was changed in place, same length (a refused nondeterministic update); fix the TCP checksum
 * @param verdict   the command-level verdict that decided (logs, counters); null for non-command data
 */
public record SegmentVerdict(Kind kind, boolean rewritten, Verdict verdict) {

    /** The segment's fate. */
    public enum Kind {
        /** Whole read-only command packets only: one replica serves it. */
        READ_ONLY,
        /** Everything else: ordered and run on every replica. */
        CAUSAL,
        /**
         * One query that only reads the diagnostics the connection's previous statement left on the node
         * that ran it ({@code SHOW WARNINGS}, {@code FOUND_ROWS()}, …; {@link SqlClassifier#readsPreviousStatement}):
         * causal after a causal statement (every replica has the same), served by that node after a read.
         */
        PREVIOUS_STATEMENT_DIAGNOSTICS,
        /** Starts beyond the next expected byte: dropped, state unchanged. */
        OUT_OF_ORDER
    }
}
