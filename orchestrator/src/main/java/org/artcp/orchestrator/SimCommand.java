package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "(being built)")
public final class SimCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("sim: not built yet");
    }
}
