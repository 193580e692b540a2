package org.artcp.orchestrator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./artcp}. */
@Command(name = "artcp", mixinStandardHelpOptions = true, version = "artcp 0.1.0",
        subcommands = {SetupCommand.class, TestbedCommand.class, NetpipeCommand.class, BenchCommand.class,
                ReportCommand.class, SimCommand.class, picocli.CommandLine.HelpCommand.class},
        description = "AR-TCP: actively replicated TCP connections, and the harness that reproduces the paper.")
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
