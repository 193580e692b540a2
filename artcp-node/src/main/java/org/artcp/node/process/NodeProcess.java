package org.artcp.node.process;

import java.io.PrintStream;

/**
 * One AR-TCP node as an operating-system process ({@code ./artcp node --config FILE}): sets up its
 * host (TUN device with the portal IP, policy routing, the netfilter drop, sysctls), runs the data
 * plane until SIGTERM or SIGINT, and removes what it set up.
 */
public final class NodeProcess {
    private NodeProcess() {
    }

    /**
     * Runs the node until the JVM is asked to stop; returns the exit status (0 after a clean stop).
     *
     * @param log where the node reports (one line per event)
     */
    public static int run(NodeProcessConfig config, PrintStream log) throws Exception {
        throw new UnsupportedOperationException("the node process is not wired yet");
    }
}
