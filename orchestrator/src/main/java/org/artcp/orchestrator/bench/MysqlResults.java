package org.artcp.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.artcp.bench.mysql.HistogramLog;
import org.artcp.bench.mysql.Worker;

/**
 * Turns the workers' files ({@code worker.json} and {@code histograms/*.hlog} in each client's
 * directory) into the series of a MySQL results directory's {@code summary.json} and its CSV
 * (docs/results-format.md). Reads files only; no testbed.
 */
public final class MysqlResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MysqlResults() {}

    /**
     * One update series: the worker's operations with their histogram paths made relative to the
     * results directory.
     *
     * @param workerDir where the worker wrote (a child of {@code resultsDir})
     */
    public static List<Map<String, Object>> updateOperations(Path resultsDir, Path workerDir) throws IOException {
        JsonNode w = readWorker(workerDir);
        List<Map<String, Object>> ops = new ArrayList<>();
        for (JsonNode o : w.path("operations")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", o.path("operation").asText());
            for (String f : List.of("count", "errors")) {
                m.put(f, o.path(f).asLong());
            }
            for (String f : List.of("meanUs", "p50Us", "p90Us", "p99Us", "minUs", "maxUs")) {
                m.put(f, o.path(f).isNumber() ? o.path(f).asDouble() : null);
            }
            m.put("firstError", o.path("firstError").isTextual() ? o.path("firstError").asText() : null);
            m.put("histogram", relative(resultsDir, workerDir.resolve(o.path("histogram").asText())));
            ops.add(m);
        }
        if (ops.isEmpty()) {
            throw new IOException(workerDir.resolve(Worker.SUMMARY_FILE) + " lists no operations");
        }
        return ops;
    }

    /**
     * The numbers of one reads series over every client's worker: counts and errors added, the mean
     * weighted by count (exact, from the workers' exact means), percentiles from the clients'
     * histograms added together, and every thread's mean.
     */
    public static Map<String, Object> readNumbers(Path resultsDir, List<Path> workerDirs) throws IOException {
        long count = 0;
        long errors = 0;
        double weightedMeanUs = 0;
        String firstError = null;
        Histogram all = new Histogram(3);
        List<Double> perThread = new ArrayList<>();
        List<String> histograms = new ArrayList<>();
        for (Path dir : workerDirs) {
            JsonNode w = readWorker(dir);
            long n = w.path("count").asLong();
            count += n;
            errors += w.path("errors").asLong();
            if (n > 0) {
                weightedMeanUs += w.path("meanUs").asDouble() * n;
            }
            if (firstError == null && w.path("firstError").isTextual()) {
                firstError = w.path("firstError").asText();
            }
            Path hlog = dir.resolve(w.path("histogram").asText(Worker.HISTOGRAM_DIR + "/" + Worker.SELECT_HISTOGRAM + ".hlog"));
            all.add(HistogramLog.read(hlog));
            histograms.add(relative(resultsDir, hlog));
            for (JsonNode t : w.path("perThread")) {
                perThread.add(t.path("meanUs").isNumber() ? t.path("meanUs").asDouble() : null);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("errors", errors);
        m.put("meanUs", count == 0 ? null : weightedMeanUs / count);
        boolean timed = all.getTotalCount() > 0;
        m.put("p50Us", timed ? all.getValueAtPercentile(50) / 1000.0 : null);
        m.put("p90Us", timed ? all.getValueAtPercentile(90) / 1000.0 : null);
        m.put("p99Us", timed ? all.getValueAtPercentile(99) / 1000.0 : null);
        m.put("maxUs", timed ? all.getMaxValue() / 1000.0 : null);
        m.put("firstError", firstError);
        m.put("perThreadMeanUs", perThread);
        m.put("histograms", histograms);
        return m;
    }

    /** How {@code threads} select threads are split over client processes: up to 10 in one, more over two. */
    public static List<Integer> threadsPerClient(int threads, int clientsAvailable) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads " + threads + ": at least 1");
        }
        int clients = threads <= ONE_CLIENT_MAX_THREADS || clientsAvailable < 2 ? 1 : 2;
        List<Integer> split = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            split.add(threads / clients + (c < threads % clients ? 1 : 0));
        }
        return split;
    }

    /** The paper runs 10 threads in one client, 20 and 40 in two. */
    public static final int ONE_CLIENT_MAX_THREADS = 10;

    /** {@code updates.csv}: one row per series and operation. */
    public static String updatesCsv(List<Map<String, Object>> series) {
        StringBuilder sb = new StringBuilder("series,nodes,delivery,operation,count,errors,mean_us,p50_us,p90_us,p99_us,max_us\n");
        for (Map<String, Object> s : series) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ops = (List<Map<String, Object>>) s.get("operations");
            for (Map<String, Object> o : ops) {
                row(sb, s.get("id"), s.get("nodes"), s.get("delivery"), o.get("operation"), o.get("count"), o.get("errors"),
                        o.get("meanUs"), o.get("p50Us"), o.get("p90Us"), o.get("p99Us"), o.get("maxUs"));
            }
        }
        return sb.toString();
    }

    /** {@code reads.csv}: one row per series (cluster and thread count). */
    public static String readsCsv(List<Map<String, Object>> series) {
        StringBuilder sb = new StringBuilder("series,nodes,delivery,read_policy,threads,clients,count,errors,mean_us,"
                + "p50_us,p90_us,p99_us,max_us\n");
        for (Map<String, Object> s : series) {
            row(sb, s.get("id"), s.get("nodes"), s.get("delivery"), s.get("readPolicy"), s.get("threads"),
                    ((List<?>) s.get("threadsPerClient")).size(), s.get("count"), s.get("errors"), s.get("meanUs"),
                    s.get("p50Us"), s.get("p90Us"), s.get("p99Us"), s.get("maxUs"));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            Object c = cells[i];
            sb.append(i == 0 ? "" : ",");
            if (c instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.3f", d));
            } else if (c != null) {
                String text = c.toString();
                sb.append(text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text);
            }
        }
        sb.append('\n');
    }

    private static JsonNode readWorker(Path workerDir) throws IOException {
        Path file = workerDir.resolve(Worker.SUMMARY_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("the worker wrote no " + file);
        }
        return JSON.readTree(file.toFile());
    }

    private static String relative(Path resultsDir, Path file) {
        return resultsDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    }
}
