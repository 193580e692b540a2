package org.artcp.node.mysql;

import static org.artcp.node.mysql.SegmentVerdict.Kind.CAUSAL;
import static org.artcp.node.mysql.SegmentVerdict.Kind.OUT_OF_ORDER;
import static org.artcp.node.mysql.SegmentVerdict.Kind.READ_ONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.artcp.node.mysql.MysqlSession.Nondeterministic;
import org.junit.jupiter.api.Test;

class MysqlSessionTest {

    private static Wire.Driver session() {
        return new Wire.Driver(Nondeterministic.REFUSE).authenticated();
    }

    /** Replays a capture in its order; returns the kinds of the client segments. */
    private static List<SegmentVerdict> replay(String capture, Nondeterministic policy) {
        MysqlSession s = new MysqlSession(new SqlClassifier(SqlPolicy.builtIn()), policy);
        List<SegmentVerdict> out = new ArrayList<>();
        for (Wire.Segment seg : Wire.capture(capture)) {
            byte[] b = seg.payload().clone();
            if (seg.fromClient()) {
                out.add(s.onClientData(seg.offset(), b, 0, b.length));
                assertArrayEquals(seg.payload(), b, "nothing rewritten");
            } else {
                s.onServerData(seg.offset(), b, 0, b.length);
            }
        }
        return out;
    }

    private static List<SegmentVerdict.Kind> kinds(List<SegmentVerdict> vs) {
        return vs.stream().map(SegmentVerdict::kind).toList();
    }

    @Test
    void realMariadbCliConnection() {
        List<SegmentVerdict> vs = replay("mariadb-cli.txt", Nondeterministic.REFUSE);
        // handshake response, SELECT 1, BEGIN, SELECT NOW() (in the transaction), COMMIT, SELECT 'it''s', COM_QUIT
        assertEquals(List.of(CAUSAL, READ_ONLY, CAUSAL, CAUSAL, CAUSAL, READ_ONLY, CAUSAL), kinds(vs));
        assertFalse(vs.get(3).verdict().nondeterministic(), "a read in a transaction is not refused");
        assertTrue(vs.get(3).verdict().reason().startsWith("inside a transaction"), vs.get(3).verdict().reason());
    }

    @Test
    void realConnectorJServerPreparedStatements() {
        List<SegmentVerdict> vs = replay("connectorj-prepared.txt", Nondeterministic.REFUSE);
        // handshake, init SELECT @@..., SET character_set_results, SET autocommit=1,
        // PREPARE select, EXECUTE (binds types: every replica must learn them), EXECUTE (same types),
        // CLOSE, PREPARE update, EXECUTE update, CLOSE, QUIT
        assertEquals(List.of(CAUSAL, READ_ONLY, CAUSAL, CAUSAL, CAUSAL, CAUSAL, READ_ONLY, CAUSAL, CAUSAL, CAUSAL, CAUSAL,
                CAUSAL), kinds(vs));
        assertTrue(vs.get(5).verdict().reason().contains("parameter types"), vs.get(5).verdict().reason());
        assertEquals("COM_STMT_EXECUTE of a causal statement", vs.get(9).verdict().reason());
    }

    @Test
    void realConnectorJCursorFetch() {
        List<SegmentVerdict> vs = replay("connectorj-cursor.txt", Nondeterministic.REFUSE);
        // handshake, init SELECT, SET, SET, PREPARE, EXECUTE with a cursor, FETCH x3, CLOSE, QUIT
        assertEquals(List.of(CAUSAL, READ_ONLY, CAUSAL, CAUSAL, CAUSAL, CAUSAL, CAUSAL, CAUSAL, CAUSAL, CAUSAL, CAUSAL),
                kinds(vs));
        assertTrue(vs.get(5).verdict().reason().contains("cursor"), vs.get(5).verdict().reason());
    }

    @Test
    void everythingBeforeTheServersAuthOkIsCausal() {
        List<Wire.Segment> cli = Wire.capture("mariadb-cli.txt");
        Wire.Driver d = new Wire.Driver(Nondeterministic.REFUSE);
        d.server(cli.get(0).payload());
        assertEquals(CAUSAL, d.kind(cli.get(1).payload()));
        assertEquals(CAUSAL, d.kind(Wire.query("SELECT 1")), "no OK seen yet");
        d.server(cli.get(2).payload());
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")));
    }

    @Test
    void authSwitchKeepsTheConnectionPhaseUntilOk() {
        List<Wire.Segment> cli = Wire.capture("mariadb-cli.txt");
        Wire.Driver d = new Wire.Driver(Nondeterministic.REFUSE);
        d.server(cli.get(0).payload());
        d.client(cli.get(1).payload());
        byte[] authSwitch = Wire.packet(2, Wire.concat(new byte[] {(byte) 0xFE},
                "mysql_native_password\0".getBytes(StandardCharsets.US_ASCII), new byte[21]));
        d.server(authSwitch);
        assertEquals(CAUSAL, d.kind(Wire.packet(3, new byte[20])));
        d.server(Wire.packet(4, new byte[] {0, 0, 0, 2, 0, 0, 0}));
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")));
    }

    @Test
    void tlsRequestMakesTheWholeConnectionCausal() {
        List<Wire.Segment> cli = Wire.capture("mariadb-cli.txt");
        Wire.Driver d = new Wire.Driver(Nondeterministic.REFUSE);
        d.server(cli.get(0).payload());
        byte[] sslRequest = Wire.packet(1, Wire.concat(Wire.le32(0x0000_0A00 | 0x8000 | 0x80000), Wire.le32(1 << 24),
                new byte[] {45}, new byte[23]));
        assertEquals(CAUSAL, d.kind(sslRequest));
        d.server(Wire.packet(2, new byte[] {0, 0, 0, 2, 0, 0, 0}));
        SegmentVerdict v = d.client(Wire.query("SELECT 1"));
        assertEquals(CAUSAL, v.kind());
        assertTrue(v.verdict().reason().contains("TLS"));
    }

    @Test
    void queryAndHeaderSplitAcrossSegmentsIsCausalAndFramingStaysRight() {
        Wire.Driver d = session();
        byte[] q = Wire.query("SELECT * FROM t1 WHERE id = 1");
        assertEquals(CAUSAL, d.kind(Arrays.copyOfRange(q, 0, 2)), "half a header");
        assertEquals(CAUSAL, d.kind(Arrays.copyOfRange(q, 2, 9)), "rest of the header and some SQL");
        SegmentVerdict end = d.client(Arrays.copyOfRange(q, 9, q.length));
        assertEquals(CAUSAL, end.kind(), "a packet that spans segments");
        assertEquals(RequestClass.READ_ONLY, end.verdict().requestClass(), "the command itself is a read");
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 2")));
    }

    @Test
    void severalPacketsInOneSegment() {
        Wire.Driver d = session();
        assertEquals(READ_ONLY, d.kind(Wire.concat(Wire.query("SELECT 1"), Wire.query("SHOW TABLES"))));
        SegmentVerdict mixed = d.client(Wire.concat(Wire.query("SELECT 1"), Wire.query("UPDATE t1 SET c1 = 1")));
        assertEquals(CAUSAL, mixed.kind());
        assertEquals("UPDATE changes data", mixed.verdict().reason());
        byte[] next = Wire.query("SELECT 3");
        assertEquals(CAUSAL, d.kind(Wire.concat(Wire.query("SELECT 2"), Arrays.copyOf(next, 6))), "ends inside a packet");
        assertEquals(CAUSAL, d.kind(Arrays.copyOfRange(next, 6, next.length)));
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 4")));
    }

    @Test
    void sixteenMebibyteSplitPacket() {
        Wire.Driver d = session();
        // one COM_QUERY of 0xFFFFFF + 20 payload bytes: a full first packet, the rest in a second one (seq 1)
        int total = MysqlSession.MAX_PAYLOAD + 20;
        byte[] payload = new byte[total];
        byte[] head = "\003SELECT '".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, payload, 0, head.length);
        Arrays.fill(payload, head.length, total - 1, (byte) 'a');
        payload[total - 1] = '\'';
        byte[] stream = Wire.concat(Wire.packet(0, Arrays.copyOf(payload, MysqlSession.MAX_PAYLOAD)),
                Wire.packet(1, Arrays.copyOfRange(payload, MysqlSession.MAX_PAYLOAD, total)));
        SegmentVerdict last = null;
        for (int at = 0; at < stream.length; at += 65_000) {
            last = d.client(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + 65_000)));
            assertEquals(CAUSAL, last.kind());
        }
        assertEquals(RequestClass.READ_ONLY, last.verdict().requestClass(), "judged as a whole: " + last.verdict().reason());
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")), "framing right after the split packet");
    }

    @Test
    void outOfOrderSegmentIsRefusedWithoutStateChange() {
        Wire.Driver d = session();
        byte[] q = Wire.query("SELECT 1");
        byte[] copy = q.clone();
        assertEquals(OUT_OF_ORDER, d.session.onClientData(d.clientOffset + 10, copy, 0, copy.length).kind());
        assertEquals(READ_ONLY, d.kind(q));
    }

    @Test
    void overlapHandlesOnlyTheNewBytesAndIsCausal() {
        Wire.Driver d = session();
        byte[] a = Wire.query("SELECT 1");
        d.client(a);
        byte[] b = Wire.query("SELECT 2");
        byte[] seg = Wire.concat(Arrays.copyOfRange(a, a.length - 3, a.length), b);
        SegmentVerdict v = d.session.onClientData(d.clientOffset - 3, seg, 0, seg.length);
        d.clientOffset += b.length;
        assertEquals(CAUSAL, v.kind());
        assertEquals(RequestClass.READ_ONLY, v.verdict().requestClass());
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 3")));
        byte[] old = Wire.query("SELECT 3");
        assertEquals(CAUSAL, d.session.onClientData(0, old, 0, old.length).kind(), "nothing new");
    }

    @Test
    void transactionStateFollowsTheSession() {
        Wire.Driver d = session();
        assertEquals(CAUSAL, d.kind(Wire.query("START TRANSACTION")));
        assertEquals(CAUSAL, d.kind(Wire.query("SELECT 1")));
        assertEquals(CAUSAL, d.kind(Wire.query("COMMIT")));
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")));
        assertEquals(CAUSAL, d.kind(Wire.query("SET autocommit=0")));
        assertEquals(CAUSAL, d.kind(Wire.query("SELECT 1")));
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_RESET_CONNECTION, new byte[0])));
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")), "COM_RESET_CONNECTION restores autocommit");
        assertEquals(CAUSAL, d.kind(Wire.query("LOCK TABLES t1 READ")));
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_FIELD_LIST, "t1\0".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(CAUSAL, d.kind(Wire.query("UNLOCK TABLES")));
        assertEquals(READ_ONLY, d.kind(Wire.command(MysqlSession.COM_FIELD_LIST, "t1\0".getBytes(StandardCharsets.US_ASCII))));
    }

    private static byte[] prepareOk(int id, int columns, int params) {
        return Wire.packet(1, new byte[] {0, (byte) id, (byte) (id >> 8), 0, 0, (byte) columns, 0, (byte) params, 0, 0, 0, 0});
    }

    private static byte[] execute(int id, int flags, byte[] rest) {
        return Wire.command(MysqlSession.COM_STMT_EXECUTE, Wire.concat(Wire.le32(id), new byte[] {(byte) flags},
                Wire.le32(1), rest));
    }

    @Test
    void preparedStatementLifecycle() {
        Wire.Driver d = session();
        SegmentVerdict prep = d.client(Wire.command(MysqlSession.COM_STMT_PREPARE,
                "SELECT c1 FROM t1 WHERE id = ?".getBytes(StandardCharsets.UTF_8)));
        assertEquals(CAUSAL, prep.kind());
        d.server(prepareOk(7, 1, 1));
        assertEquals(CAUSAL, d.kind(execute(8, 0, new byte[] {0, 1, 3, 0, 1, 0, 0, 0})), "an id never learned");
        byte[] intParam = {0, 1, 3, 0, 1, 0, 0, 0}; // null bitmap, new-params-bound, type LONG, value 1
        assertEquals(CAUSAL, d.kind(execute(7, 0, intParam)), "first types: every replica learns them");
        assertEquals(READ_ONLY, d.kind(execute(7, 0, intParam)), "same types again");
        assertEquals(READ_ONLY, d.kind(execute(7, 0, new byte[] {0, 0, 2, 0, 0, 0})), "no types sent");
        assertEquals(CAUSAL, d.kind(execute(7, 0, new byte[] {0, 1, (byte) 0xFD, 0, 1, 'x'})), "new types");
        assertEquals(CAUSAL, d.kind(execute(7, 1, new byte[] {0, 0, 2, 0, 0, 0})), "a cursor");
        assertEquals(CAUSAL, d.kind(Wire.command(0x1C, Wire.concat(Wire.le32(7), Wire.le32(1)))), "COM_STMT_FETCH");
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_STMT_SEND_LONG_DATA, Wire.concat(Wire.le32(7),
                new byte[] {0, 0, 'a', 'b'}))));
        assertEquals(CAUSAL, d.kind(execute(7, 0, new byte[] {0, 0})), "consumes the long data");
        assertEquals(READ_ONLY, d.kind(execute(7, 0, new byte[] {0, 0, 2, 0, 0, 0})));
        assertEquals(CAUSAL, d.kind(Wire.query("BEGIN")));
        assertEquals(CAUSAL, d.kind(execute(7, 0, new byte[] {0, 0, 2, 0, 0, 0})), "inside a transaction");
        assertEquals(CAUSAL, d.kind(Wire.query("ROLLBACK")));
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_STMT_CLOSE, Wire.le32(7))));
        assertEquals(CAUSAL, d.kind(execute(7, 0, new byte[] {0, 0, 2, 0, 0, 0})), "closed");
    }

    @Test
    void onlyAPlainReadOfThePreviousStatementsDiagnosticsIsMarkedAsOne() {
        for (String sql : List.of("SHOW WARNINGS", "show warnings limit 5", " SHOW ERRORS LIMIT 2, 3;",
                "SHOW COUNT(*) WARNINGS", "SHOW PROFILES", "SELECT @@warning_count", "select @@session.error_count",
                "SELECT FOUND_ROWS()", "SELECT ROW_COUNT( )")) {
            assertTrue(SqlClassifier.readsPreviousStatement(sql), sql);
            assertEquals(SegmentVerdict.Kind.PREVIOUS_STATEMENT_DIAGNOSTICS, session().client(Wire.query(sql)).kind(), sql);
        }
        for (String sql : List.of("SHOW WARNINGS; INSERT INTO t1 VALUES (1)", "SELECT FOUND_ROWS(), c1 FROM t1",
                "SELECT @@warning_count + (SELECT COUNT(*) FROM t1)", "SHOW TABLES", "SELECT 1")) {
            assertFalse(SqlClassifier.readsPreviousStatement(sql), sql);
            assertNotEquals(SegmentVerdict.Kind.PREVIOUS_STATEMENT_DIAGNOSTICS, session().client(Wire.query(sql)).kind(), sql);
        }
        Wire.Driver d = session();
        assertEquals(SegmentVerdict.Kind.CAUSAL, d.client(Wire.concat(Wire.query("SHOW WARNINGS"), Wire.query("SELECT 1"))).kind(),
                "two commands in one segment");
    }

    @Test
    void aRefusedPrepareIsNotPairedWithTheNextPrepareOk() {
        // Found through the portal: MariaDB refuses to prepare "SELECT 1;;SELECT 2" (ERR), the client then
        // prepares BEGIN, whose PREPARE_OK was paired with the refused read-only text, and BEGIN ran on one
        // replica only.
        Wire.Driver d = session();
        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "SELECT 1;;SELECT 2".getBytes(StandardCharsets.UTF_8)));
        d.server(Wire.packet(1, Wire.concat(new byte[] {(byte) 0xFF, 0x28, 0x04}, "#42000syntax".getBytes(StandardCharsets.US_ASCII))));
        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "BEGIN".getBytes(StandardCharsets.UTF_8)));
        d.server(prepareOk(9, 0, 0));
        assertEquals(CAUSAL, d.kind(execute(9, 0, new byte[0])), "BEGIN's own class");
    }

    @Test
    void prepareOkIsLearnedOnlyWhenItFits() {
        Wire.Driver d = session();
        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "SELECT ?, ?".getBytes(StandardCharsets.UTF_8)));
        d.server(prepareOk(3, 2, 1)); // one parameter, but the text has two: not this statement's answer
        d.server(prepareOk(4, 2, 2));
        assertEquals(CAUSAL, d.kind(execute(3, 0, new byte[] {0, 0})));
        assertEquals(CAUSAL, d.kind(execute(4, 0, new byte[] {0, 0, 0, 0, 0, 0})), "pending prepare was consumed");

        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "UPDATE t1 SET c1 = 1".getBytes(StandardCharsets.UTF_8)));
        d.server(prepareOk(5, 0, 0));
        assertEquals(CAUSAL, d.kind(execute(5, 0, new byte[0])), "a causal statement");

        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "SELECT 1".getBytes(StandardCharsets.UTF_8)));
        d.server(prepareOk(5, 1, 0)); // ids only grow: a repeated id is not a PREPARE_OK
        d.server(prepareOk(6, 1, 0));
        assertEquals(READ_ONLY, d.kind(execute(6, 0, new byte[0])));
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_CHANGE_USER, new byte[] {'u', 0})));
        assertEquals(CAUSAL, d.kind(execute(6, 0, new byte[0])), "COM_CHANGE_USER forgets prepared statements");
    }

    @Test
    void serverDataRetransmittedOrSplitIsFramedOnce() {
        Wire.Driver d = session();
        d.client(Wire.command(MysqlSession.COM_STMT_PREPARE, "SELECT 1".getBytes(StandardCharsets.UTF_8)));
        byte[] ok = prepareOk(9, 1, 0);
        long at = d.serverOffset;
        d.session.onServerData(at, ok, 0, 5);
        d.session.onServerData(at, ok, 0, 9); // 5 bytes again, 4 new
        d.session.onServerData(at + 9, ok, 9, ok.length - 9);
        d.serverOffset += ok.length;
        assertEquals(READ_ONLY, d.kind(execute(9, 0, new byte[0])));
    }

    @Test
    void refuseRewritesNondeterministicUpdateInPlace() {
        Wire.Driver d = session();
        String sql = "INSERT INTO t2 (name, created) VALUES ('a longer name', NOW())";
        byte[] q = Wire.query(sql);
        byte[] original = q.clone();
        SegmentVerdict v = d.client(q);
        assertEquals(CAUSAL, v.kind());
        assertTrue(v.rewritten());
        assertTrue(v.verdict().nondeterministic());
        assertEquals("NOW", v.verdict().nondeterministicWhat());
        assertArrayEquals(Arrays.copyOf(original, 5), Arrays.copyOf(q, 5), "header and command byte kept");
        String text = new String(q, 5, q.length - 5, StandardCharsets.US_ASCII);
        assertEquals(sql.length(), text.length());
        // the message is trimmed to what fits: 62 bytes - 44 (prefix) - 1 (closing quote) = 17 characters
        assertEquals("SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'AR-TCP refused a '", text);
    }

    @Test
    void refuseLongTextKeepsWholeMessageAndPads() {
        Wire.Driver d = session();
        String sql = "UPDATE t2 SET created = CURRENT_TIMESTAMP, name = 'a much longer text than the message itself' WHERE id = 1";
        byte[] q = Wire.query(sql);
        assertTrue(d.client(q).rewritten());
        String text = new String(q, 5, q.length - 5, StandardCharsets.US_ASCII);
        String signal = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'AR-TCP refused a nondeterministic update: CURRENT_TIMESTAMP'";
        assertEquals(signal + " ".repeat(sql.length() - signal.length()), text);
    }

    @Test
    void refuseMediumTextBecomesABareSignal() {
        Wire.Driver d = session();
        byte[] q = Wire.query("UPDATE t1 SET c1 = RAND()");
        assertTrue(d.client(q).rewritten());
        assertEquals("SIGNAL SQLSTATE '45000'  ", new String(q, 5, q.length - 5, StandardCharsets.US_ASCII));
    }

    @Test
    void refuseShortTextBecomesAnEmptyQuery() {
        Wire.Driver d = session();
        byte[] q = Wire.query("DO RAND()");
        assertTrue(d.client(q).rewritten());
        assertEquals(";        ", new String(q, 5, q.length - 5, StandardCharsets.US_ASCII));
    }

    @Test
    void refusedTextHasNoSessionEffects() {
        Wire.Driver d = session();
        assertTrue(d.client(Wire.query("BEGIN; INSERT INTO t2 (name) VALUES (UUID())")).rewritten());
        assertEquals(READ_ONLY, d.kind(Wire.query("SELECT 1")), "the BEGIN never ran");
    }

    @Test
    void warnAndSplitPacketsPassUnchanged() {
        Wire.Driver warn = new Wire.Driver(Nondeterministic.WARN).authenticated();
        byte[] q = Wire.query("UPDATE t1 SET c1 = RAND()");
        byte[] original = q.clone();
        SegmentVerdict v = warn.client(q);
        assertFalse(v.rewritten());
        assertTrue(v.verdict().nondeterministic());
        assertArrayEquals(original, q);

        Wire.Driver refuse = session();
        byte[] a = Arrays.copyOf(original, 10);
        byte[] b = Arrays.copyOfRange(original, 10, original.length);
        assertFalse(refuse.client(a).rewritten());
        SegmentVerdict end = refuse.client(b);
        assertFalse(end.rewritten(), "spans segments: passed on");
        assertTrue(end.verdict().nondeterministic());
        assertArrayEquals(Arrays.copyOfRange(original, 10, original.length), b);
    }

    @Test
    void readWithNowIsNotRefused() {
        Wire.Driver d = session();
        SegmentVerdict v = d.client(Wire.query("SELECT NOW()"));
        assertEquals(READ_ONLY, v.kind());
        assertFalse(v.rewritten());
    }

    @Test
    void nonCommandPacketsAndOtherCommands() {
        Wire.Driver d = session();
        SegmentVerdict infile = d.client(Wire.packet(2, "1,2,3\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(CAUSAL, infile.kind());
        assertNull(infile.verdict(), "LOAD DATA LOCAL content is not a command");
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_PING, new byte[0])));
        assertEquals(READ_ONLY, d.kind(Wire.command(MysqlSession.COM_STATISTICS, new byte[0])));
        assertEquals(CAUSAL, d.kind(Wire.command(0x02, "db".getBytes(StandardCharsets.US_ASCII))), "COM_INIT_DB");
        assertEquals(CAUSAL, d.kind(Wire.command(0x1B, new byte[] {0, 0})), "COM_SET_OPTION");
        assertEquals(CAUSAL, d.kind(Wire.command(0x7E, new byte[0])), "unknown command");
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_QUERY,
                new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xBF, '\\', '\''})), "not UTF-8");
        assertEquals(CAUSAL, d.kind(Wire.command(MysqlSession.COM_QUIT, new byte[0])));
    }
}
