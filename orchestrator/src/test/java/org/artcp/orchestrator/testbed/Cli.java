package org.artcp.orchestrator.testbed;

import org.artcp.orchestrator.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code ./artcp ARGS…} in-process through picocli and captures what it printed. */
record Cli(int exitCode, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Cli(rc, out.toString(), err.toString());
    }

    /** The one line of an expected failure (no stack trace, no usage dump). */
    String errorLine() {
        String e = err.strip();
        if (e.isEmpty() || e.lines().count() != 1) {
            throw new AssertionError("expected exactly one line on stderr, got:\n" + err + "\n(stdout:\n" + out + ")");
        }
        return e;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
