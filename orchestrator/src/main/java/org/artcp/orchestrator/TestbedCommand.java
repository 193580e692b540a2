package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "testbed", mixinStandardHelpOptions = true, description = "(being built)")
public final class TestbedCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("testbed: not built yet");
    }
}
