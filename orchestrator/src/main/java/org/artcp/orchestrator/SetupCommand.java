package org.artcp.orchestrator;

import org.artcp.orchestrator.testbed.Setup;
import org.artcp.orchestrator.testbed.TestbedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./artcp setup}: installs the OS packages the project needs, idempotently (Debian/Ubuntu, apt). */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Install the OS packages the project needs (apt), idempotently.",
                "Installs only what dpkg does not have (apt-get update runs only when something must be installed) "
                + "and says what was already there and what it installed. Needs root unless --dry-run."},
        footer = {"", "@|bold Packages|@",
                "  iproute2 ethtool nftables netpipe-tcp mariadb-server mariadb-client",
                "  tcpdump iputils-ping chromium unzip",
                "", "@|bold Examples|@",
                "  sudo ./artcp setup              install what is missing",
                "  ./artcp setup --dry-run         only show what is installed and what would be"})
public final class SetupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Only print what is installed and what would be installed.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Setup.Report r = Setup.install(dryRun, line -> {
                err.println("  apt: " + line);
                err.flush();
            });
            out.println("already installed: " + list(r.alreadyInstalled()));
            if (r.dryRun()) {
                out.println("would install: " + list(r.installed()));
            } else {
                out.println("installed: " + list(r.installed()));
            }
            out.flush();
            return 0;
        } catch (TestbedException e) {
            err.println("artcp setup: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static String list(List<String> packages) {
        return packages.isEmpty() ? "(none)" : String.join(", ", packages);
    }
}
