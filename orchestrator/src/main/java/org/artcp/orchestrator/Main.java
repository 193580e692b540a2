package org.artcp.orchestrator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./artcp}. A command that fails prints one line that says what went wrong
 * and exits with 1 (2 for a bad command line); {@code ARTCP_DEBUG=1} adds the stack trace.
 */
@Command(name = "artcp", mixinStandardHelpOptions = true, version = "artcp 0.1.0",
        subcommands = {SetupCommand.class, TestbedCommand.class, ClusterCommand.class, NodeCommand.class,
                NetpipeCommand.class, BenchCommand.class, ReportCommand.class, SimCommand.class, ClassifyCommand.class, picocli.CommandLine.HelpCommand.class},
        description = "AR-TCP: actively replicated TCP connections, and the harness that reproduces the paper.",
        footer = {"", "Start here:",
                "  ./artcp bench netpipe      set up, run the NetPIPE experiment on the local testbed, write its report",
                "  ./artcp test               run the test suite (what CI runs)",
                "  ./artcp COMMAND --help     every command explains itself, with examples"})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line with one-line error reporting; tests drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                    : e.getClass().getSimpleName();
            commandLine.getErr().println(qualifiedName(commandLine) + ": " + message.lines().findFirst().orElse(""));
            if ("1".equals(System.getenv("ARTCP_DEBUG"))) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            String path = qualifiedName(failed);
            failed.getErr().println(path + ": " + e.getMessage() + " (see ./" + path + " --help)");
            return 2;
        });
        return cl;
    }

    /** "artcp netpipe send" for the command line of {@code netpipe send}. */
    private static String qualifiedName(CommandLine cl) {
        StringBuilder sb = new StringBuilder(cl.getCommandName());
        for (CommandLine p = cl.getParent(); p != null; p = p.getParent()) {
            sb.insert(0, p.getCommandName() + " ");
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
