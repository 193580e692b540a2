package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlPolicyTest {

    @TempDir
    Path dir;

    private static RequestClass classOf(SqlPolicy p, String sql) {
        return new SqlClassifier(p).classify(sql).requestClass();
    }

    @Test
    void userFileExtendsTheAllowlist() throws IOException {
        Path f = dir.resolve("policy.txt");
        Files.writeString(f, "# our deterministic stored functions\npure-function f_add artcp_corpus.f_add  # both spellings\n");
        SqlPolicy p = SqlPolicy.load(f);
        assertEquals(RequestClass.CAUSAL, classOf(SqlPolicy.builtIn(), "SELECT f_add(1, 2)"));
        assertEquals(RequestClass.READ_ONLY, classOf(p, "SELECT f_add(1, 2)"));
        assertEquals(RequestClass.READ_ONLY, classOf(p, "SELECT artcp_corpus.f_add(1, 2)"));
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT other.f_add(1, 2)"));
    }

    @Test
    void userFileOverridesBuiltInFunctionLists() throws IOException {
        Path f = dir.resolve("policy.txt");
        Files.writeString(f, "causal-function SLEEP\nnondeterministic-function MY_RANDOM\npure-function MY_RANDOM\n"
                + "forget LOAD_FILE\ncausal-phrase SQL_BUFFER_RESULT\n");
        SqlPolicy p = SqlPolicy.load(f);
        assertEquals(RequestClass.READ_ONLY, classOf(SqlPolicy.builtIn(), "SELECT SLEEP(1)"));
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT SLEEP(1)"), "moved from pure to causal");
        assertEquals(RequestClass.READ_ONLY, classOf(p, "SELECT my_random()"));
        Verdict v = new SqlClassifier(p).classify("INSERT INTO t1 (id) VALUES (MY_RANDOM())");
        assertTrue(v.nondeterministic());
        assertEquals("MY_RANDOM", v.nondeterministicWhat());
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT LOAD_FILE('x')"), "forgotten: unknown, so causal");
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT SQL_BUFFER_RESULT 1"));
    }

    @Test
    void causalTablesAndViews() throws IOException {
        Path f = dir.resolve("policy.txt");
        Files.writeString(f, "causal-table v_writes artcp_corpus.v_audit\n");
        SqlPolicy p = SqlPolicy.load(f);
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT * FROM v_writes"));
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT * FROM `V_Writes` AS w"));
        assertEquals(RequestClass.CAUSAL, classOf(p, "SELECT * FROM artcp_corpus.v_audit"));
        assertEquals(RequestClass.READ_ONLY, classOf(p, "SELECT * FROM v_audit"), "another database's v_audit");
        assertEquals(RequestClass.READ_ONLY, classOf(p, "SELECT 'v_writes'"));
    }

    @Test
    void badLineNamesFileAndLine() throws IOException {
        Path f = dir.resolve("bad-policy.txt");
        Files.writeString(f, "# fine\npure-function A\n\nfunctions-i-like B\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlPolicy.load(f));
        assertTrue(e.getMessage().startsWith(f + ":4: unknown list 'functions-i-like'"), e.getMessage());

        Files.writeString(f, "pure-function A(\n");
        e = assertThrows(IllegalArgumentException.class, () -> SqlPolicy.load(f));
        assertTrue(e.getMessage().startsWith(f + ":1: not a word: 'A('"), e.getMessage());

        Files.writeString(f, "pure-function\n");
        e = assertThrows(IllegalArgumentException.class, () -> SqlPolicy.load(f));
        assertTrue(e.getMessage().startsWith(f + ":1: "), e.getMessage());
    }

    @Test
    void missingUserFileIsAnIoError() {
        assertThrows(IOException.class, () -> SqlPolicy.load(dir.resolve("none.txt")));
    }

    @Test
    void nullUserFileIsTheBuiltInPolicy() throws IOException {
        assertEquals(RequestClass.READ_ONLY, classOf(SqlPolicy.load(null), "SELECT 1"));
    }
}
