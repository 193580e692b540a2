package org.artcp.netpipe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The transmitter's files (STYLE §12, {@code docs/results-format.md}): the NetPIPE output file (one flushed line per
 * point, as C), {@code histograms/<bytes>.hlog} per point and {@code summary.json}, rewritten after every point so
 * that an interrupted run leaves valid results.
 */
final class ResultsWriter implements AutoCloseable {
    /** A failure to write a results file, told apart from failures of the exchange. */
    static final class WriteFailed extends IOException {
        WriteFailed(Path file, IOException cause) {
            super("cannot write " + file + ": " + cause.getMessage(), cause);
        }
    }

    private final NetpipeOptions options;
    private final Path directory;
    private final BufferedWriter out;
    private final List<Map<String, Object>> points = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String started = Instant.now().toString();
    private String peer;
    private double latencySeconds = Double.NaN;

    ResultsWriter(NetpipeOptions options) throws IOException {
        this.options = options;
        this.directory = options.resultsDirectory();
        Files.createDirectories(directory.resolve("histograms"));
        this.out = Files.newBufferedWriter(options.output(), StandardCharsets.US_ASCII);
    }

    void onStart(String peerName, double latency) {
        this.peer = peerName;
        this.latencySeconds = latency;
    }

    /** Writes the point's line, its histogram and the updated summary; returns the histogram's relative path. */
    String write(PointResult p, Histogram rtt, long startMs, long endMs) throws WriteFailed {
        try {
            return writeOrFail(p, rtt, startMs, endMs);
        } catch (WriteFailed e) {
            throw e;
        } catch (IOException e) {
            throw new WriteFailed(options.output(), e);
        }
    }

    private String writeOrFail(PointResult p, Histogram rtt, long startMs, long endMs) throws IOException {
        if (options.compat() == Compat.V2_4) {
            out.write(NpOut.format24(p.bytes(), p.mbps(), p.oneWaySeconds(), p.variance()));
        } else {
            out.write(NpOut.format(p.bytes(), p.mbps(), p.oneWaySeconds()));
        }
        out.flush();
        String relative = "histograms/" + p.bytes() + ".hlog";
        rtt.setStartTimeStamp(startMs);
        rtt.setEndTimeStamp(endMs);
        try (PrintStream ps = new PrintStream(Files.newOutputStream(directory.resolve(relative)), false,
                StandardCharsets.US_ASCII)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("netpipe-java round trips of " + p.bytes() + "-byte messages, ns; " + p.trials()
                    + " trials x " + p.nrepeat() + " ping-pongs");
            w.outputLogFormatVersion();
            w.outputStartTime(startMs);
            w.setBaseTime(startMs);
            w.outputLegend();
            w.outputIntervalHistogram(rtt);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        PointResult.RttSummary s = PointResult.RttSummary.of(rtt);
        m.put("bytes", p.bytes());
        m.put("nrepeat", p.nrepeat());
        m.put("trials", p.trials());
        m.put("oneWaySeconds", p.oneWaySeconds());
        m.put("mbps", p.mbps());
        if (options.compat() == Compat.V2_4) {
            m.put("variance", p.variance());
        }
        m.put("rttCount", s.count());
        m.put("rttMinUs", s.minUs());
        m.put("rttP50Us", s.p50Us());
        m.put("rttP90Us", s.p90Us());
        m.put("rttP99Us", s.p99Us());
        m.put("rttMaxUs", s.maxUs());
        m.put("histogram", relative);
        points.add(m);
        writeSummary(false);
        return relative;
    }

    void finish() throws WriteFailed {
        try {
            writeSummary(true);
        } catch (IOException e) {
            throw new WriteFailed(directory.resolve("summary.json"), e);
        }
    }

    private void writeSummary(boolean complete) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "netpipe-java");
        root.put("compat", options.compat().label());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", options.host());
        o.put("port", options.port());
        o.put("start", options.start());
        o.put("end", options.end());
        o.put("perturbation", options.perturbation());
        o.put("fixedRepeats", options.fixedRepeats());
        o.put("socketBufferBytes", options.socketBufferBytes());
        o.put("output", options.output().getFileName().toString());
        o.put("trials", options.compat().trials());
        o.put("runSeconds", options.compat().runSeconds());
        o.put("jvmWarmup", options.jvmWarmup());
        root.put("options", o);
        root.put("peer", peer);
        root.put("latencySeconds", Double.isNaN(latencySeconds) ? null : latencySeconds);
        root.put("started", started);
        root.put("finished", complete ? Instant.now().toString() : null);
        root.put("complete", complete);
        root.put("rttUnit", "ns in histograms, us in this file");
        root.put("points", points);
        Path target = directory.resolve("summary.json");
        Path tmp = directory.resolve("summary.json.tmp");
        json.writeValue(tmp.toFile(), root);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
