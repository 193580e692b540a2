package org.artcp.reports;

import static org.artcp.reports.JsonFields.array;
import static org.artcp.reports.JsonFields.integer;
import static org.artcp.reports.JsonFields.number;
import static org.artcp.reports.JsonFields.required;
import static org.artcp.reports.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level {@code summary.json} of {@code results/updates/<timestamp>/} (paper Fig. 7) and
 * {@code results/reads/<timestamp>/} (Fig. 8) directories (docs/results-format.md), parsed without
 * touching the file system. Times are in microseconds, as the files hold them.
 */
public final class MysqlSummary {
    public static final String UPDATES = "updates";
    public static final String READS = "reads";
    /** The transport of the baseline: one MariaDB, no AR-TCP ({@code --nodes 1}). */
    public static final String STANDALONE = "standalone";

    private MysqlSummary() {}

    /** Response times of one kind of request; null where nothing was timed. */
    public record Stats(long count, long errors, Double meanUs, Double p50Us, Double p90Us, Double p99Us,
                        Double maxUs) {}

    /** One operation of one update series. */
    public record Operation(String operation, Stats stats, String histogram) {}

    /**
     * One update series: standalone ({@code nodes} 1, no delivery) or AR-TCP with N nodes and a delivery.
     *
     * @param command the worker's command line as run, or null
     */
    public record UpdateSeries(String id, String label, String transport, int nodes, String delivery, String command,
                               List<Operation> operations) {
        public UpdateSeries {
            operations = List.copyOf(operations);
        }

        public boolean standalone() {
            return nodes <= 1 || STANDALONE.equals(transport);
        }

        /** The operation called {@code name}, or null. */
        public Operation operation(String name) {
            return operations.stream().filter(o -> o.operation().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One reads series: one cluster (or the standalone server) and one thread count.
     *
     * @param readPolicy       {@code rr-np} or {@code rr-p}; null for standalone
     * @param threadsPerClient how the threads were split over client processes
     * @param perThreadMeanUs  each thread's mean response time
     * @param commands         the workers' command lines, one per client
     */
    public record ReadSeries(String id, String label, String transport, int nodes, String delivery, String readPolicy,
                             int threads, List<Integer> threadsPerClient, int loops, Stats stats,
                             List<Double> perThreadMeanUs, List<String> histograms, List<String> commands) {
        public ReadSeries {
            threadsPerClient = List.copyOf(threadsPerClient);
            perThreadMeanUs = List.copyOf(perThreadMeanUs);
            histograms = List.copyOf(histograms);
            commands = List.copyOf(commands);
        }

        public boolean standalone() {
            return nodes <= 1 || STANDALONE.equals(transport);
        }
    }

    /** {@code summary.json} of an updates run. */
    public record Updates(String started, String finished, Integer repetitions, List<UpdateSeries> series) {
        public Updates {
            series = List.copyOf(series);
        }
    }

    /** {@code summary.json} of a reads run. */
    public record Reads(String started, String finished, Integer loops, Double nodeCpu, List<ReadSeries> series) {
        public Reads {
            series = List.copyOf(series);
        }
    }

    /** The {@code experiment} of a summary, or null. */
    public static String experiment(JsonNode root) {
        return text(root, "experiment");
    }

    public static Updates updates(JsonNode root, String source) throws ResultsFormatException {
        List<UpdateSeries> series = new ArrayList<>();
        int i = 0;
        for (JsonNode s : array(root, "series", source)) {
            String where = source + ": series[" + i++ + "]";
            List<Operation> ops = new ArrayList<>();
            for (JsonNode o : array(s, "operations", where)) {
                ops.add(new Operation(required(o, "operation", where), stats(o), text(o, "histogram")));
            }
            series.add(new UpdateSeries(required(s, "id", where), text(s, "label"), text(s, "transport"),
                    s.path("nodes").asInt(1), text(s, "delivery"), text(s, "command"), ops));
        }
        return new Updates(text(root, "started"), text(root, "finished"), integer(root, "repetitions"), series);
    }

    public static Reads reads(JsonNode root, String source) throws ResultsFormatException {
        List<ReadSeries> series = new ArrayList<>();
        int i = 0;
        for (JsonNode s : array(root, "series", source)) {
            String where = source + ": series[" + i++ + "]";
            if (!s.path("threads").canConvertToInt()) {
                throw new ResultsFormatException(where + ": no whole number 'threads'");
            }
            List<Integer> split = new ArrayList<>();
            s.path("threadsPerClient").forEach(n -> split.add(n.asInt()));
            List<Double> perThread = new ArrayList<>();
            s.path("perThreadMeanUs").forEach(n -> perThread.add(n.isNumber() ? n.asDouble() : null));
            List<String> histograms = new ArrayList<>();
            s.path("histograms").forEach(n -> histograms.add(n.asText()));
            List<String> commands = new ArrayList<>();
            s.path("commands").forEach(n -> commands.add(n.asText()));
            series.add(new ReadSeries(required(s, "id", where), text(s, "label"), text(s, "transport"),
                    s.path("nodes").asInt(1), text(s, "delivery"), text(s, "readPolicy"), s.path("threads").asInt(),
                    split, s.path("loops").asInt(0), stats(s), perThread, histograms, commands));
        }
        Double nodeCpu = root.path("nodeCpu").isNumber() ? root.path("nodeCpu").asDouble() : null;
        return new Reads(text(root, "started"), text(root, "finished"), integer(root, "loops"), nodeCpu, series);
    }

    private static Stats stats(JsonNode n) {
        return new Stats(n.path("count").asLong(0), n.path("errors").asLong(0), number(n, "meanUs"), number(n, "p50Us"),
                number(n, "p90Us"), number(n, "p99Us"), number(n, "maxUs"));
    }
}
