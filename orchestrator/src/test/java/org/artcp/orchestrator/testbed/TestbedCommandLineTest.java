package org.artcp.orchestrator.testbed;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input that is refused before anything is touched, and help on every command; runs anywhere. */
class TestbedCommandLineTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--nodes|5|--nodes 5 is out of range",
        "--nodes|0|--nodes 0 is out of range",
        "--nodes|four|--nodes 'four' is not a number",
        "--clients|3|--clients 3 is out of range",
        "--link-rate|fast|invalid link rate 'fast'",
        "--link-rate|100|give a unit",
        "--link-rate|10tbit|out of range",
        "--node-cpu|0|node CPU cap '0' is out of range",
        "--node-cpu|half|invalid node CPU cap 'half'",
        "--node-cpu|64|out of range"})
    void badUpOptionsGiveOneLineAndNonZeroExit(String option, String value, String expected) {
        Cli r = Cli.run("testbed", "up", option, value);
        assertNotEquals(0, r.exitCode(), r.toString());
        String line = r.errorLine();
        assertTrue(line.startsWith("artcp testbed up: "), line);
        assertTrue(line.contains(expected), line);
        assertTrue(Testbed.listArtcpNamespaces().stream().noneMatch(ns -> ns.equals("artcp-lan")) || Testbed.isUp(),
                "a refused up makes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"testbed", "testbed up", "testbed down", "testbed status", "testbed exec", "setup"})
    void everyCommandHasHelpWithExamples(String command) {
        String[] args = (command + " --help").split(" ");
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Usage: artcp " + command), r.out());
        assertTrue(r.out().contains("Examples"), r.out());
    }
}
