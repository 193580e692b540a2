package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Runs corpus.tsv (every line one COM_QUERY, in order, on one authenticated connection) through
 * a {@link MysqlSession} and checks each line's class and nondeterminism. The same file is meant
 * to run against real MariaDB through the cluster (its SETUP lines build the schema).
 */
class SqlClassifierCorpusTest {

    record Case(int line, String expected, String sql) {}

    static List<Case> corpus() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = SqlClassifierCorpusTest.class.getResourceAsStream("corpus.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int tab = l.indexOf('\t');
                assertTrue(tab > 0, "corpus.tsv:" + (i + 1) + ": CLASS<TAB>SQL");
                out.add(new Case(i + 1, l.substring(0, tab), l.substring(tab + 1).replace("{NL}", "\n")));
            }
        }
        return out;
    }

    @Test
    void corpusClassesAsExpectedInOrderOnOneSession() throws IOException {
        Wire.Driver d = new Wire.Driver(MysqlSession.Nondeterministic.WARN).authenticated();
        List<String> wrong = new ArrayList<>();
        int statements = 0;
        int readOnly = 0;
        List<String> diagnosticsReads = new ArrayList<>();
        for (Case c : corpus()) {
            if (c.expected().equals("SETUP")) {
                continue;
            }
            statements++;
            SegmentVerdict v = d.client(Wire.query(c.sql()));
            Verdict vv = v.verdict();
            // A read of the previous statement's diagnostics is causal in class; the kind tells the
            // primary to send it after the previous request when that was a read.
            boolean diagnostics = v.kind() == SegmentVerdict.Kind.PREVIOUS_STATEMENT_DIAGNOSTICS;
            if (diagnostics) {
                diagnosticsReads.add(c.sql());
            }
            String got = (diagnostics ? "CAUSAL" : v.kind().name())
                    + (vv != null && vv.nondeterministic() ? "/" + vv.nondeterministicWhat() : "");
            if (got.equals("READ_ONLY")) {
                readOnly++;
            }
            if (!got.equals(c.expected()) || v.rewritten()) {
                wrong.add("corpus.tsv:" + c.line() + ": expected " + c.expected() + ", got " + got + " ("
                        + (vv == null ? "no verdict" : vv.reason()) + "): " + c.sql());
            }
        }
        System.out.println("corpus: " + statements + " statements, " + readOnly + " read-only, " + wrong.size() + " wrong");
        assertTrue(statements >= 200, "at least 200 statements");
        assertEquals("", String.join("\n", wrong));
        assertEquals(List.of("SHOW WARNINGS", "SHOW ERRORS", "SHOW COUNT(*) WARNINGS", "SHOW PROFILES",
                "SELECT @@warning_count", "SELECT @@session.error_count", "SELECT FOUND_ROWS()", "SELECT ROW_COUNT()"),
                diagnosticsReads, "the corpus's reads of the previous statement's diagnostics, outside transactions");
    }

    @Test
    void everySetupAndCorpusStatementIsOneLineOfText() throws IOException {
        for (Case c : corpus()) {
            assertTrue(c.expected().matches("SETUP|READ_ONLY|CAUSAL(/[A-Z_@a-z]+)?"), "corpus.tsv:" + c.line() + ": class " + c.expected());
            assertTrue(!c.sql().contains("\t"), "corpus.tsv:" + c.line());
        }
    }
}
