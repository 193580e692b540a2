package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java transmitter and Java receiver over loopback: short sweeps, results files, and every way to disagree. */
class LoopbackTest {

    private static NetpipeOptions base(Compat compat, int port, Path dir) {
        return NetpipeOptions.defaults(compat).withPort(port).withBindAddress("127.0.0.1")
                .withOutput(dir.resolve(compat.defaultOutput())).withJvmWarmup(false)
                .withStallTimeout(Duration.ofSeconds(20));
    }

    @Test
    void shortSweepWritesNpOutHistogramsAndSummary(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        NetpipeOptions o = base(Compat.V3_7, port, dir).withRange(1, 128);
        JavaReceiverThread rx = new JavaReceiverThread(o).awaitListening();
        List<PointResult> points = NetpipeTransmitter.run(o.withHost("127.0.0.1").withJvmWarmup(true),
                NetpipeListener.SILENT);
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNull(rx.failure);

        List<Integer> expected = SizeSchedule.sizes(1, 128, 3);
        assertEquals(expected, points.stream().map(PointResult::bytes).toList());
        assertEquals(expected, rx.points.stream().map(PointResult::bytes).toList());
        assertEquals(points.stream().map(PointResult::nrepeat).toList(),
                rx.points.stream().map(PointResult::nrepeat).toList());

        List<NpOut.Point> lines = NpOut.parse(dir.resolve("np.out"));
        assertEquals(expected, lines.stream().map(p -> (int) p.bytes()).toList());
        for (String line : Files.readAllLines(dir.resolve("np.out"))) {
            assertTrue(line.matches(" {0,7}\\d{1,8} \\d+\\.\\d{6} {0,3}\\d+\\.\\d{8}"), line);
        }

        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("netpipe-java", summary.get("tool").asText());
        assertEquals("3.7", summary.get("compat").asText());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(expected.size(), summary.get("points").size());
        for (JsonNode p : summary.get("points")) {
            long rtts = p.get("nrepeat").asLong() * p.get("trials").asLong();
            assertEquals(rtts, p.get("rttCount").asLong());
            Path hlog = dir.resolve(p.get("histogram").asText());
            Histogram h = readHistogram(hlog);
            assertEquals(rtts, h.getTotalCount(), hlog.toString());
            assertTrue(p.get("rttMinUs").asDouble() <= p.get("rttP50Us").asDouble());
            assertTrue(p.get("rttP99Us").asDouble() <= p.get("rttMaxUs").asDouble());
            // NetPIPE's minimum one-way time cannot be below half the fastest round trip (histogram precision 0.1%)
            assertTrue(p.get("oneWaySeconds").asDouble() * 1e6 >= p.get("rttMinUs").asDouble() / 2 * 0.99);
        }
    }

    @Test
    void fixedRepeatCount(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        NetpipeOptions o = base(Compat.V3_7, port, dir).withRange(1, 64).withPerturbation(0);
        JavaReceiverThread rx = new JavaReceiverThread(o).awaitListening();
        List<PointResult> points = NetpipeTransmitter.run(o.withHost("127.0.0.1").withFixedRepeats(50),
                NetpipeListener.SILENT);
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNull(rx.failure);
        assertEquals(List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64), points.stream().map(PointResult::bytes).toList());
        assertTrue(points.stream().allMatch(p -> p.nrepeat() == 50 && p.rtt().count() == 150));
    }

    @Test
    void netpipe24SweepWritesNetPipeOut(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        NetpipeOptions o = base(Compat.V2_4, port, dir).withRange(1, 8);
        JavaReceiverThread rx = new JavaReceiverThread(o).awaitListening();
        List<PointResult> points = NetpipeTransmitter.run(o.withHost("127.0.0.1"), NetpipeListener.SILENT);
        assertTrue(rx.join(Duration.ofSeconds(60)));
        assertNull(rx.failure);
        assertEquals(List.of(1, 2, 3, 4, 6, 8), points.stream().map(PointResult::bytes).toList());
        assertTrue(points.stream().allMatch(p -> p.trials() == 7 && p.rtt().count() == 7L * p.nrepeat()));
        // the 2.4 receiver learns each point's time from the transmitter, in whole microseconds
        for (int i = 0; i < points.size(); i++) {
            assertEquals((long) (points.get(i).oneWaySeconds() * 1e6), Math.round(rx.points.get(i).oneWaySeconds() * 1e6));
        }
        List<String> lines = Files.readAllLines(dir.resolve("NetPIPE.out"));
        assertEquals(points.size(), lines.size());
        assertTrue(lines.get(0).matches("\\d+\\.\\d{6} \\d+\\.\\d{6} 8 1 -?\\d+\\.\\d{6}"), lines.get(0));
    }

    @Test
    void sendToAClosedPortSaysStartTheReceiverFirst(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        NetpipeException e = assertThrows(NetpipeException.class, () -> NetpipeTransmitter.run(
                base(Compat.V3_7, port, dir).withHost("127.0.0.1"), NetpipeListener.SILENT));
        assertEquals(NetpipeException.Kind.NOTHING_LISTENING, e.kind());
        assertTrue(e.getMessage().startsWith("nothing listening on 127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("start the receiver first"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        assertTrue(Files.notExists(dir.resolve("np.out")), "as NPtcp, no output file without a connection");
    }

    @Test
    void transmitterWithTheLargerUpperBound(@TempDir Path dir) throws Exception {
        assertMismatch(dir, 128, 1024);
    }

    @Test
    void receiverWithTheLargerUpperBound(@TempDir Path dir) throws Exception {
        assertMismatch(dir, 1024, 128);
    }

    private static void assertMismatch(Path dir, int receiverEnd, int transmitterEnd) throws Exception {
        int port = TestPorts.freePort();
        NetpipeOptions o = base(Compat.V3_7, port, dir).withFixedRepeats(20);
        JavaReceiverThread rx = new JavaReceiverThread(o.withRange(1, receiverEnd)).awaitListening();
        NetpipeException tx = assertThrows(NetpipeException.class, () -> NetpipeTransmitter.run(
                o.withRange(1, transmitterEnd).withHost("127.0.0.1"), NetpipeListener.SILENT));
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNotNull(rx.failure, "the receiver must notice too");
        for (NetpipeException e : List.of(tx, rx.failure)) {
            assertEquals(NetpipeException.Kind.SCHEDULE_MISMATCH, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("the two sides disagree on the size schedule: give both the same"
                    + " -l/-u/-p"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void differentPerturbationsDeadlockAndTheWatchdogSaysWhy(@TempDir Path dir) throws Exception {
        // -p 0 against -p 3 first differ at point 7: 16 bytes sent, 13 expected. Both sides then wait for bytes
        // that never come; NPtcp would hang, the stall timeout ends it.
        int port = TestPorts.freePort();
        NetpipeOptions o = base(Compat.V3_7, port, dir).withFixedRepeats(20).withRange(1, 64)
                .withStallTimeout(Duration.ofSeconds(2));
        JavaReceiverThread rx = new JavaReceiverThread(o.withPerturbation(3)).awaitListening();
        NetpipeException tx = assertThrows(NetpipeException.class, () -> NetpipeTransmitter.run(
                o.withPerturbation(0).withHost("127.0.0.1"), NetpipeListener.SILENT));
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNotNull(rx.failure);
        for (NetpipeException e : List.of(tx, rx.failure)) {
            assertTrue(e.kind() == NetpipeException.Kind.STALLED
                    || e.kind() == NetpipeException.Kind.SCHEDULE_MISMATCH, e.kind() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("give both the same -l/-u/-p"), e.getMessage());
        }
        // whichever watchdog fires first closes; the other side then sees the connection close
        assertTrue(tx.kind() == NetpipeException.Kind.STALLED || rx.failure.kind() == NetpipeException.Kind.STALLED,
                tx.getMessage() + " / " + rx.failure.getMessage());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        NetpipeOptions d = NetpipeOptions.defaults(Compat.V3_7);
        assertTrue(d.withRange(10, 5).problem().contains("-l 10"));
        assertTrue(d.withPort(0).problem().contains("-P"));
        assertTrue(d.withPerturbation(-1).problem().contains("-p"));
        assertTrue(NetpipeOptions.defaults(Compat.V2_4).withPerturbation(0).problem().contains("2.4"));
        assertTrue(NetpipeOptions.defaults(Compat.V2_4).withFixedRepeats(5).problem().contains("-n"));
        assertNull(d.problem());
        NetpipeException e = assertThrows(NetpipeException.class,
                () -> NetpipeTransmitter.run(d.withRange(0, 5).withHost("x"), NetpipeListener.SILENT));
        assertEquals(NetpipeException.Kind.BAD_OPTION, e.kind());
    }

    private static Histogram readHistogram(Path hlog) throws IOException {
        HistogramLogReader r = new HistogramLogReader(hlog.toFile());
        Histogram h = (Histogram) r.nextIntervalHistogram();
        assertNotNull(h, "no histogram in " + hlog);
        return h;
    }
}
