package org.artcp.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./artcp classify}: the class and the reason the node's classifier gives, one line per text. */
class ClassifyCommandTest {
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
    void aReadAndALockingReadAndANondeterministicUpdateAreToldApart() {
        Run r = run("classify", "SELECT * FROM t WHERE id = 1", "SELECT id FROM t FOR UPDATE",
                "INSERT INTO t VALUES (NOW())");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("READ_ONLY\t"), lines[0]);
        assertTrue(lines[1].startsWith("CAUSAL\t") && lines[1].contains("FOR UPDATE"), lines[1]);
        assertTrue(lines[2].startsWith("CAUSAL\t") && lines[2].contains("nondeterministic: NOW"), lines[2]);
    }

    @Test
    void aPolicyFileDeclaresAStoredFunctionPure(@TempDir Path dir) throws Exception {
        assertTrue(run("classify", "SELECT my_fn(1)").out().startsWith("CAUSAL\t"), "an unknown function may write");
        Path policy = Files.writeString(dir.resolve("policy.txt"), "pure-function MY_FN\n");
        Run r = run("classify", "--policy", policy.toString(), "SELECT my_fn(1)");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("READ_ONLY\t"), r.out());
    }

    @Test
    void aMissingPolicyFileIsOneLine() {
        Run r = run("classify", "--policy", "/nonexistent/policy.txt", "SELECT 1");
        assertEquals(1, r.exit());
        assertEquals("artcp classify: /nonexistent/policy.txt: no such file", r.err().strip());
    }
}
