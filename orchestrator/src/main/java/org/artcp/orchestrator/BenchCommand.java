package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "(being built)")
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("bench: not built yet");
    }
}
