package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.artcp.node.mysql.MysqlSession.Nondeterministic;
import org.junit.jupiter.api.Test;

/** Seeded random segmentations and garbage: framing stays right, READ_ONLY only for whole reads, never an exception. */
class MysqlSessionFuzzTest {

    private static final String[] QUERIES = {"SELECT 1", "SELECT * FROM t1 WHERE id = 2", "UPDATE t1 SET c1 = 1",
        "SHOW TABLES", "INSERT INTO t1 (id) VALUES (5)", "SELECT 'a;b' FROM t1", "DELETE FROM t1 WHERE id = 5"};

    @Test
    void randomSegmentationsKeepFramingAndOnlyWholeReadsAreReadOnly() {
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<int[]> packets = new ArrayList<>(); // start, end, read-only?
            for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
                String q = QUERIES[r.nextInt(QUERIES.length)];
                byte[] p = Wire.query(q);
                packets.add(new int[] {stream.size(), stream.size() + p.length,
                    q.startsWith("SELECT") || q.startsWith("SHOW") ? 1 : 0});
                stream.writeBytes(p);
            }
            byte[] all = stream.toByteArray();
            Wire.Driver d = new Wire.Driver(Nondeterministic.REFUSE).authenticated();
            long base = d.clientOffset;
            int at = 0;
            while (at < all.length) {
                int len = 1 + r.nextInt(Math.min(all.length - at, 40));
                SegmentVerdict v = d.client(Arrays.copyOfRange(all, at, at + len));
                if (v.kind() == SegmentVerdict.Kind.READ_ONLY) {
                    assertTrue(wholeReads(packets, at, at + len), "seed " + seed + ": [" + at + ", " + (at + len) + ")");
                } else {
                    assertEquals(SegmentVerdict.Kind.CAUSAL, v.kind());
                }
                at += len;
            }
            assertEquals(base + all.length, d.clientOffset);
            assertEquals(SegmentVerdict.Kind.READ_ONLY, d.kind(Wire.query("SELECT 1")), "seed " + seed + ": framing after the stream");
        }
    }

    private static boolean wholeReads(List<int[]> packets, int from, int to) {
        int covered = from;
        for (int[] p : packets) {
            if (p[1] <= from || p[0] >= to) {
                continue;
            }
            if (p[0] != covered || p[1] > to || p[2] == 0) {
                return false;
            }
            covered = p[1];
        }
        return covered == to;
    }

    @Test
    void garbageNeverThrows() {
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Wire.Driver d = seed % 2 == 0 ? new Wire.Driver(Nondeterministic.REFUSE).authenticated()
                    : new Wire.Driver(Nondeterministic.WARN);
            for (int i = 0; i < 20; i++) {
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                if (r.nextBoolean() && b.length > 4) {
                    // a plausible header: small length, sequence 0, a known command byte
                    b[0] = (byte) r.nextInt(b.length - 3);
                    b[1] = 0;
                    b[2] = 0;
                    b[3] = 0;
                    b[4] = (byte) new int[] {3, 0x16, 0x17, 0x18, 0x19, 0x1c, 0x1f, 0x11, 4}[r.nextInt(9)];
                }
                if (r.nextBoolean()) {
                    d.client(b);
                } else {
                    d.server(b);
                }
            }
        }
    }

    @Test
    void garbageSqlNeverThrows() {
        SqlClassifier c = new SqlClassifier(SqlPolicy.builtIn());
        String alphabet = "SELECT FROM WITH SET BEGIN NOT ATOMIC IF COMMIT PREPARE EXECUTE IMMEDIATE FROM ( ) , ; . = := @ @@ ' \" ` \\ /* */ /*! -- # \n ? 1 a x";
        String[] words = alphabet.split(" ");
        for (long seed = 1; seed <= 2000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = r.nextInt(25); i < n; i++) {
                sb.append(words[r.nextInt(words.length)]).append(r.nextBoolean() ? " " : "");
            }
            Verdict v = c.classify(sb.toString());
            assertTrue(v.reason() != null && !v.reason().isEmpty(), sb.toString());
        }
        assertEquals(RequestClass.CAUSAL, c.classify(new String(new byte[] {(byte) 0xC3}, StandardCharsets.ISO_8859_1) + " x").requestClass());
    }
}
