package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "(being built)")
public final class ReportCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("report: not built yet");
    }
}
