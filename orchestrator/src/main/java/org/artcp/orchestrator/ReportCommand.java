package org.artcp.orchestrator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.artcp.reports.ReportRenderer;
import org.artcp.reports.ResultsFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./artcp report [RESULTS_DIR]}: renders a results directory from its files alone (STYLE
 * §12, docs/results-format.md) with {@link ReportRenderer} and prints the paths it wrote.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Render a results directory: figures (PNG and SVG) and one self-contained report.html.",
                "Reads summary.json, env.json and config.json of RESULTS_DIR and writes fig6-latency.{png,svg}, "
                + "fig6-throughput.{png,svg} (plain TCP), for every link and delivery mode with AR-TCP series "
                + "fig6-latency-LINK-DELIVERY, fig6-latency-small-LINK-DELIVERY and fig6-throughput-LINK-DELIVERY "
                + "(docs/results-format.md), and report.html into it, then prints their paths. Nothing but those "
                + "files is read, so a report can be regenerated from a copied directory."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp report                                     the latest NetPIPE run",
                "  ./artcp report results/netpipe/20261126-170000     one particular run",
                "  chromium results/netpipe/latest/report.html        look at it",
                "", "The format of results directories: docs/results-format.md"})
public final class ReportCommand implements Callable<Integer> {
    /** What {@code RESULTS_DIR} defaults to, relative to the repository root. */
    static final String DEFAULT_RESULTS_DIR = "results/netpipe/latest";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RESULTS_DIR",
            description = "A results directory (default: " + DEFAULT_RESULTS_DIR + " under the repository root).")
    Path resultsDir;

    @Override
    public Integer call() {
        Path dir = resultsDir != null ? resultsDir : Cli.home().resolve(DEFAULT_RESULTS_DIR);
        try {
            ReportRenderer.RenderedReport report = ReportRenderer.render(dir);
            PrintWriter out = spec.commandLine().getOut();
            report.written().forEach(out::println);
            out.flush();
            return 0;
        } catch (ResultsFormatException e) {
            return fail(e.getMessage());
        } catch (IOException e) {
            return fail("cannot write the report into " + dir + ": " + e.getMessage());
        }
    }

    private int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("artcp report: " + message.lines().findFirst().orElse(""));
        err.flush();
        return 1;
    }
}
