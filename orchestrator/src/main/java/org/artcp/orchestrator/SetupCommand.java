package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "setup", mixinStandardHelpOptions = true, description = "(being built)")
public final class SetupCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("setup: not built yet");
    }
}
