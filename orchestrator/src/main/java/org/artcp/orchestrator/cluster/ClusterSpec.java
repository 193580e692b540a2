package org.artcp.orchestrator.cluster;

import java.util.List;

/**
 * The settings a cluster is started with ({@code ./artcp cluster start}). Two clusters are "the same"
 * exactly when their specs are equal: starting the same cluster again is a no-op, another one is refused.
 *
 * @param nodes      number of AR-TCP nodes, {@value #MIN_NODES}..{@value #MAX_NODES} (node1..nodeN of the testbed)
 * @param delivery   {@code best-effort} or {@code safe} (paper §4.1)
 * @param readPolicy {@code rr-np} (read-only requests round-robin over the non-primaries) or {@code rr-p}
 *                   (the primary included) (paper §4.2)
 * @param app        the server each node host runs: {@code netpipe} (Debian's {@code NPtcp} receiver), or
 *                   {@code none} (the caller starts its own servers, as the NetPIPE bench and the tests do)
 */
public record ClusterSpec(int nodes, String delivery, String readPolicy, String app) {
    public static final int MIN_NODES = 2;
    public static final int MAX_NODES = 4;
    public static final List<String> DELIVERIES = List.of("best-effort", "safe");
    public static final List<String> READ_POLICIES = List.of("rr-np", "rr-p");
    public static final List<String> APPS = List.of("netpipe", "none");

    /** Checks every field; a bad one is an {@link IllegalArgumentException} whose one-line message names the option. */
    public ClusterSpec {
        if (nodes < MIN_NODES || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes " + nodes + " is out of range: use " + MIN_NODES + " to " + MAX_NODES);
        }
        delivery = oneOf("--delivery", delivery, DELIVERIES);
        readPolicy = oneOf("--read-policy", readPolicy, READ_POLICIES);
        app = oneOf("--app", app, APPS);
    }

    /** One line, e.g. {@code 2 nodes, delivery best-effort, read policy rr-np, app netpipe}. */
    public String describe() {
        return nodes + " nodes, delivery " + delivery + ", read policy " + readPolicy + ", app " + app;
    }

    /** The {@code cluster start} options that make this spec. */
    public String asOptions() {
        return "--nodes " + nodes + " --delivery " + delivery + " --read-policy " + readPolicy + " --app " + app;
    }

    private static String oneOf(String option, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(option + " '" + value + "' is not known: use " + String.join(" or ", allowed));
        }
        return value;
    }

    /** Whether the cluster starts an {@code NPtcp} receiver in each node host. */
    public boolean runsNetpipe() {
        return app.equals("netpipe");
    }
}
