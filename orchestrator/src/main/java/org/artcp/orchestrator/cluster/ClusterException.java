package org.artcp.orchestrator.cluster;

/**
 * An expected failure of a cluster operation: another cluster is up, the testbed is too small, a node
 * did not become ready. The message is one line that says what went wrong and what to do.
 */
public final class ClusterException extends Exception {
    public ClusterException(String oneLineMessage) {
        super(oneLineMessage);
    }
}
