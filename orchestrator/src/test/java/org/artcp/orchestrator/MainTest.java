package org.artcp.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** The CLI's contract for errors: one line that says what to do, and a non-zero exit. */
class MainTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void anUnknownOptionIsOneLineThatPointsAtHelp() {
        Run r = run("bench", "netpipe", "--bogus");
        assertEquals(2, r.exit());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertEquals("artcp bench netpipe: Unknown option: '--bogus' (see ./artcp bench netpipe --help)", lines.getFirst());
    }

    @Test
    void aBadValueForAnOptionIsOneLine() {
        Run r = run("bench", "netpipe", "--pin-cpu", "999");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("artcp bench netpipe: --pin-cpu 999: this machine has CPUs 0.."), r.err());
    }

    @Test
    void netpipeOptionValuesThatCannotBeReadAreOneLine() {
        Run notANumber = run("netpipe", "send", "-h", "127.0.0.1", "-u", "abc");
        assertEquals(2, notANumber.exit());
        assertEquals(List.of("artcp netpipe send: Invalid value for option '-u': 'abc' is not an int"
                + " (see ./artcp netpipe send --help)"), notANumber.err().lines().toList());

        Run missingValue = run("netpipe", "recv", "-u");
        assertEquals(2, missingValue.exit());
        assertEquals(1, missingValue.err().lines().count(), missingValue.err());
        assertTrue(missingValue.err().contains("Missing required parameter for option '-u'"), missingValue.err());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"bench", "netpipe", "--help"},
                new String[] {"testbed", "up", "--help"}, new String[] {"netpipe", "send", "--help"},
                new String[] {"report", "--help"}, new String[] {"setup", "--help"}, new String[] {"sim", "--help"})) {
            Run r = run(cmd);
            assertEquals(0, r.exit(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage:"), String.join(" ", cmd) + ": " + r.out());
            assertTrue(r.out().toLowerCase().contains("example") || r.out().contains("./artcp"),
                    String.join(" ", cmd) + " shows how it is used: " + r.out());
        }
    }
}
