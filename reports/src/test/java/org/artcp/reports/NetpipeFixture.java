package org.artcp.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a small but realistic {@code results/netpipe/<timestamp>/} directory: four plain-TCP
 * series (NPtcp and netpipe-java, unshaped and 100mbit) over NetPIPE 3.x's default schedule, the
 * netpipe-java unshaped one with an HdrHistogram log per size, and on request AR-TCP NPtcp series
 * as NetpipeBench writes them.
 */
final class NetpipeFixture {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One modelled sweep: one-way time = base + bytes·8 / rate. */
    record Model(String id, String label, String tool, String linkRate, double baseUs, double rateBitsPerSecond,
                 boolean histograms, String transport, int nodes, String delivery) {
        /** A plain-TCP sweep. */
        Model(String id, String label, String tool, String linkRate, double baseUs, double rateBitsPerSecond,
              boolean histograms) {
            this(id, label, tool, linkRate, baseUs, rateBitsPerSecond, histograms, "plain-tcp", 0, null);
        }

        /** An AR-TCP sweep with NPtcp, named as NetpipeBench names it. */
        static Model arTcp(int nodes, String delivery, String linkRate, double baseUs, double rateBitsPerSecond) {
            String d = delivery.equals("safe") ? "safe" : "be";
            return new Model("artcp" + nodes + "-" + d + "-nptcp-" + linkRate,
                    "AR-TCP, " + nodes + " nodes, " + delivery + ", NPtcp, " + linkRate, "NPtcp", linkRate, baseUs,
                    rateBitsPerSecond, false, "ar-tcp", nodes, delivery);
        }

        double oneWaySeconds(long bytes) {
            return baseUs / 1e6 + bytes * 8.0 / rateBitsPerSecond;
        }
    }

    static final Model NPTCP_UNSHAPED = new Model("plain-nptcp-unshaped", "plain TCP, NPtcp", "NPtcp", "unshaped",
            12.01, 9.0e9, false);
    static final Model JAVA_UNSHAPED = new Model("plain-java-unshaped", "plain TCP, netpipe-java", "netpipe-java",
            "unshaped", 12.61, 8.6e9, true);
    static final Model NPTCP_100 = new Model("plain-nptcp-100mbit", "plain TCP, NPtcp", "NPtcp", "100mbit",
            61.0, 95.0e6, false);
    static final Model JAVA_100 = new Model("plain-java-100mbit", "plain TCP, netpipe-java", "netpipe-java",
            "100mbit", 64.0, 94.0e6, false);
    static final List<Model> ALL = List.of(NPTCP_UNSHAPED, JAVA_UNSHAPED, NPTCP_100, JAVA_100);

    /*
     * AR-TCP: unshaped, best-effort 2/3/4 nodes and safe 2 nodes; 100 Mbit/s, best-effort 2 and 4.
     * Chosen so the report shows both verdicts: 2-node best-effort adds 18 µs (met), safe 45 µs
     * (missed); at 100 Mbit/s 4 nodes are well over 1.10 times 2 (missed).
     */
    static final Model AR2_BE_UNSHAPED = Model.arTcp(2, "best-effort", "unshaped", 30.01, 6.0e9);
    static final Model AR3_BE_UNSHAPED = Model.arTcp(3, "best-effort", "unshaped", 31.0, 5.8e9);
    static final Model AR4_BE_UNSHAPED = Model.arTcp(4, "best-effort", "unshaped", 32.0, 5.6e9);
    static final Model AR2_SAFE_UNSHAPED = Model.arTcp(2, "safe", "unshaped", 57.01, 5.0e9);
    static final Model AR2_BE_100 = Model.arTcp(2, "best-effort", "100mbit", 80.0, 93.0e6);
    static final Model AR4_BE_100 = Model.arTcp(4, "best-effort", "100mbit", 120.0, 92.0e6);
    static final List<Model> AR_TCP = List.of(AR2_BE_UNSHAPED, AR3_BE_UNSHAPED, AR4_BE_UNSHAPED, AR2_SAFE_UNSHAPED,
            AR2_BE_100, AR4_BE_100);

    /** The plain-TCP sweeps and the AR-TCP ones. */
    static List<Model> withArTcp() {
        List<Model> all = new ArrayList<>(ALL);
        all.addAll(AR_TCP);
        return all;
    }

    /** A command with characters HTML must escape. */
    static final String ESCAPE_PROBE = "<b>&\"raw\"</b>";

    private NetpipeFixture() {}

    /** NetPIPE 3.x's default sizes (perturbation 3) up to {@code end} bytes (NETPIPE.md). */
    static List<Long> schedule(long end) {
        List<Long> sizes = new ArrayList<>();
        long inc = 1;
        long len = 1;
        int nq = 0;
        int p = 3;
        while (len <= end) {
            if (nq > 2) {
                inc = (nq % 2) != 0 ? 2 * inc : inc;
            }
            if (inc > p + 1) {
                sizes.add(len - p);
                sizes.add(len);
                sizes.add(len + p);
            } else {
                sizes.add(len);
            }
            len += inc;
            nq++;
        }
        sizes.removeIf(b -> b > end);
        return sizes;
    }

    static double mbps(long bytes, double oneWaySeconds) {
        return bytes * 8.0 / (oneWaySeconds * 1024 * 1024);
    }

    /** Writes the whole directory; {@code percentilesInSummary} false leaves them to the histograms. */
    static Path write(Path dir, List<Model> models, boolean percentilesInSummary) throws IOException {
        Files.createDirectories(dir);
        ObjectNode summary = JSON.createObjectNode();
        summary.put("experiment", "netpipe");
        summary.put("started", "2026-11-26T17:00:00Z");
        summary.put("finished", "2026-11-26T17:20:00Z");
        ArrayNode seriesArray = summary.putArray("series");
        ObjectNode config = JSON.createObjectNode();
        config.put("experiment", "netpipe");
        ObjectNode options = config.putObject("options");
        options.put("nodes", 1);
        options.putArray("linkRates").add("unshaped").add("100mbit");
        options.put("perturbation", 3);
        ArrayNode configSeries = config.putArray("series");
        Random random = new Random(42);
        for (Model m : models) {
            String command = "./artcp netpipe send -h 198.18.0.1 -o " + m.id() + "/np.out";
            if (m.tool().equals("NPtcp")) {
                command = "NPtcp -h " + (m.nodes() > 0 ? "198.18.0.100" : "198.18.0.1") + " -o " + m.id()
                        + "/np.out";
            }
            ObjectNode s = seriesArray.addObject();
            s.put("id", m.id());
            s.put("label", m.label());
            s.put("tool", m.tool());
            s.put("transport", m.transport());
            s.put("nodes", m.nodes());
            if (m.delivery() == null) {
                s.putNull("delivery");
            } else {
                s.put("delivery", m.delivery());
            }
            s.put("linkRate", m.linkRate());
            s.put("command", command);
            if (m.nodes() > 0) {
                s.put("receiverCommand", "NPtcp");
            }
            ObjectNode cs = configSeries.addObject();
            cs.put("id", m.id());
            cs.put("transmitter", command);
            cs.put("receiver", m.tool().equals("NPtcp") ? "NPtcp" : "./artcp netpipe recv");
            ArrayNode points = s.putArray("points");
            Path seriesDir = Files.createDirectories(dir.resolve(m.id()));
            Files.writeString(seriesDir.resolve("np.out"), "");
            for (long bytes : schedule(8_388_611L)) {
                double t = m.oneWaySeconds(bytes);
                ObjectNode p = points.addObject();
                p.put("bytes", bytes);
                p.put("mbps", round(mbps(bytes, t), 6));
                p.put("oneWaySeconds", round(t, 8));
                if (m.histograms() && bytes <= 1_048_576) {
                    Histogram h = roundTrips(random, t);
                    String rel = m.id() + "/histograms/" + bytes + ".hlog";
                    writeHlog(dir.resolve(rel), h);
                    if (percentilesInSummary) {
                        p.put("rttP50Us", h.getValueAtPercentile(50) / 1000.0);
                        p.put("rttP99Us", h.getValueAtPercentile(99) / 1000.0);
                        p.put("rttMaxUs", h.getMaxValue() / 1000.0);
                    } else {
                        p.putNull("rttP50Us").putNull("rttP99Us").putNull("rttMaxUs");
                    }
                    p.put("histogram", rel);
                } else {
                    p.putNull("rttP50Us").putNull("rttP99Us").putNull("rttMaxUs").putNull("histogram");
                }
            }
        }
        config.put("note", ESCAPE_PROBE);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);

        ObjectNode env = JSON.createObjectNode();
        env.put("hostname", "testbox");
        env.put("kernel", "Linux 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC x86_64");
        env.put("cpuModel", "AMD EPYC 7B13");
        env.put("cpus", 2);
        env.put("memoryBytes", 8_331_034_624L);
        env.put("jdk", "Eclipse Adoptium OpenJDK 64-Bit Server VM 25+36-LTS");
        env.put("gitCommit", "b39abf2c0ffee");
        env.put("gitDirty", false);
        env.put("nptcpVersion", "3.7.2-8");
        env.putArray("linkRates").add("unshaped").add("100mbit");
        env.put("started", "2026-11-26T17:00:00Z");
        env.put("finished", "2026-11-26T17:20:00Z");
        JSON.writeValue(dir.resolve("env.json").toFile(), env);
        return dir;
    }

    /** Writes a directory holding only a summary.json of hand-made series (no env.json, no config.json). */
    static Path writeSummary(Path dir, List<NetpipeSummary.Series> series) throws IOException {
        Files.createDirectories(dir);
        ObjectNode summary = JSON.createObjectNode();
        summary.put("experiment", "netpipe");
        ArrayNode array = summary.putArray("series");
        for (NetpipeSummary.Series s : series) {
            ObjectNode o = array.addObject();
            o.put("id", s.id()).put("label", s.label()).put("tool", s.tool()).put("transport", s.transport())
                    .put("nodes", s.nodes()).put("delivery", s.delivery()).put("linkRate", s.linkRate())
                    .put("command", s.command()).put("receiverCommand", s.receiverCommand());
            ArrayNode points = o.putArray("points");
            for (NetpipeSummary.Point p : s.points()) {
                points.addObject().put("bytes", p.bytes()).put("mbps", p.mbps()).put("oneWaySeconds", p.oneWaySeconds())
                        .putNull("rttP50Us").putNull("rttP99Us").putNull("rttMaxUs").putNull("histogram");
            }
        }
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        return dir;
    }

    /** 200 round trips of about {@code 2 * oneWaySeconds}, in ns, with a long tail. */
    static Histogram roundTrips(Random random, double oneWaySeconds) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        double rttNs = 2 * oneWaySeconds * 1e9;
        for (int i = 0; i < 200; i++) {
            double jitter = 1.0 + 0.05 * random.nextDouble() + (i % 50 == 0 ? 1.5 * random.nextDouble() : 0.0);
            h.recordValue(Math.round(rttNs * jitter));
        }
        return h;
    }

    static void writeHlog(Path file, Histogram h) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); PrintStream ps = new PrintStream(out, false, "UTF-8")) {
            HistogramLogWriter writer = new HistogramLogWriter(ps);
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_795_000_000_000L);
            writer.outputLegend();
            h.setStartTimeStamp(1_795_000_000_000L);
            h.setEndTimeStamp(1_795_000_000_500L);
            writer.outputIntervalHistogram(h);
        }
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
