package org.artcp.orchestrator.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.artcp.reports.FailoverSummary.Distribution;

/**
 * The failover bench's records (docs/failover.md, "Benchmark"): one {@link Crash} per crash, filled in step by
 * step as the crash runs, and the per-series summary and CSV built from them. Pure: no I/O. The percentiles are
 * {@link Distribution#of}, the report's own, so the file and the page agree.
 */
final class FailoverResults {
    private FailoverResults() {}

    /** The history check of one crash, as the worker's check file gave it. */
    record History(boolean ok, long acknowledged, long indeterminate, long lost, long duplicated, long outOfOrder,
                   long unexpected) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            m.put("acknowledged", acknowledged);
            m.put("indeterminate", indeterminate);
            m.put("lost", lost);
            m.put("duplicated", duplicated);
            m.put("outOfOrder", outOfOrder);
            m.put("unexpected", unexpected);
            return m;
        }
    }

    /** One crash. Fields left null were not measured; {@link #problem} says why when the pipeline failed. */
    static final class Crash {
        final String series;
        final String app;
        final String kind;
        final String delivery;
        final int index;
        final String dir;
        String victim;
        Integer victimRank;
        Instant killedAt;
        Double stallMs;
        Instant stallFrom;
        Instant stallTo;
        boolean stallOpen;
        Double worstThreadStallMs;
        Integer worstThread;
        boolean worstThreadStallOpen;
        long operations;
        long errors;
        String firstError;
        long reconnects;
        History history;
        Boolean checksumsEqual;
        String checksumError;
        Double detectionMs;
        Double takeOverMs;
        String workerEnd;
        String problem;
        Map<String, Map<String, Long>> counters = new LinkedHashMap<>();

        Crash(String series, String app, String kind, String delivery, int index, String dir) {
            this.series = series;
            this.app = app;
            this.kind = kind;
            this.delivery = delivery;
            this.index = index;
            this.dir = dir;
        }

        /** Records the first problem; later ones are appended, so none is lost. */
        void problem(String what) {
            problem = problem == null ? what : problem + "; " + what;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", series);
            m.put("index", index);
            m.put("dir", dir);
            m.put("victim", victim);
            m.put("victimRank", victimRank);
            m.put("killedAt", str(killedAt));
            m.put("stallMs", stallMs);
            m.put("stallFrom", str(stallFrom));
            m.put("stallTo", str(stallTo));
            m.put("stallOpen", stallOpen);
            m.put("worstThreadStallMs", worstThreadStallMs);
            m.put("worstThread", worstThread);
            m.put("worstThreadStallOpen", worstThreadStallOpen);
            m.put("operations", operations);
            m.put("errors", errors);
            m.put("firstError", firstError);
            m.put("reconnects", reconnects);
            m.put("history", history == null ? null : history.toJson());
            m.put("checksumsEqual", checksumsEqual);
            m.put("checksumError", checksumError);
            m.put("detectionMs", detectionMs);
            m.put("takeOverMs", takeOverMs);
            m.put("workerEnd", workerEnd);
            m.put("problem", problem);
            m.put("counters", counters);
            return m;
        }

        /** One line of progress. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(victim == null ? "no victim" : "killed " + victim + " (" + kind + ")");
            sb.append(": stall ").append(stallMs == null ? "—" : (stallOpen ? "≥ " : "") + round(stallMs) + " ms");
            if (worstThreadStallMs != null) {
                sb.append(" (worst thread ").append(worstThreadStallOpen ? "≥ " : "").append(round(worstThreadStallMs))
                        .append(" ms)");
            }
            sb.append(", ").append(errors).append(" errors of ").append(operations).append(" operations");
            sb.append(", ").append(reconnects).append(" reconnects");
            if (history != null) {
                sb.append(", history ").append(history.ok() ? "ok" : "NOT ok (lost " + history.lost() + ", duplicated "
                        + history.duplicated() + ", out of order " + history.outOfOrder() + ", unexpected "
                        + history.unexpected() + ")");
            }
            if (checksumsEqual != null || checksumError != null) {
                sb.append(", checksums ").append(checksumsEqual == null ? "not taken" : checksumsEqual ? "equal" : "DIFFER");
            }
            sb.append(", detection ").append(detectionMs == null ? "—" : round(detectionMs) + " ms");
            if ("primary".equals(kind)) {
                sb.append(", take-over ").append(takeOverMs == null ? "—" : round(takeOverMs) + " ms");
            }
            if (problem != null) {
                sb.append("; PROBLEM: ").append(problem);
            }
            return sb.toString();
        }
    }

    /** The summary of one series' crashes (docs/failover.md). */
    static Map<String, Object> series(String id, String app, String kind, String delivery, int nodes,
                                      List<Crash> crashes) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("label", app + ", " + kind + " killed, " + delivery);
        s.put("app", app);
        s.put("kind", kind);
        s.put("delivery", delivery);
        s.put("nodes", nodes);
        s.put("crashes", crashes.size());
        s.put("measured", crashes.stream().filter(c -> c.stallMs != null).count());
        s.put("problems", crashes.stream().filter(c -> c.problem != null).count());
        s.put("clientErrors", crashes.stream().mapToLong(c -> c.errors).sum());
        s.put("crashesWithErrors", crashes.stream().filter(c -> c.errors > 0).count());
        s.put("reconnects", crashes.stream().mapToLong(c -> c.reconnects).sum());
        if ("mysql".equals(app)) {
            List<History> h = crashes.stream().map(c -> c.history).filter(Objects::nonNull).toList();
            Map<String, Object> history = new LinkedHashMap<>();
            history.put("checked", h.size());
            history.put("ok", h.stream().filter(History::ok).count());
            history.put("lost", h.stream().mapToLong(History::lost).sum());
            history.put("duplicated", h.stream().mapToLong(History::duplicated).sum());
            history.put("outOfOrder", h.stream().mapToLong(History::outOfOrder).sum());
            history.put("unexpected", h.stream().mapToLong(History::unexpected).sum());
            s.put("history", history);
            Map<String, Object> sums = new LinkedHashMap<>();
            sums.put("checked", crashes.stream().filter(c -> c.checksumsEqual != null).count());
            sums.put("equal", crashes.stream().filter(c -> Boolean.TRUE.equals(c.checksumsEqual)).count());
            s.put("checksums", sums);
        } else {
            s.put("history", null);
            s.put("checksums", null);
        }
        s.put("stallMs", distribution(crashes.stream().map(c -> c.stallMs).toList()));
        s.put("worstThreadStallMs", distribution(crashes.stream().map(c -> c.worstThreadStallMs).toList()));
        s.put("detectionMs", distribution(crashes.stream().map(c -> c.detectionMs).toList()));
        s.put("takeOverMs", distribution(crashes.stream().map(c -> c.takeOverMs).toList()));
        return s;
    }

    static Map<String, Object> distribution(List<Double> values) {
        Distribution d = Distribution.of(values);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", d.count());
        m.put("p50", d.p50());
        m.put("p99", d.p99());
        m.put("max", d.max());
        return m;
    }

    static final String CSV_HEADER = "series,app,kind,delivery,index,victim,stall_ms,stall_open,worst_thread_stall_ms,errors,reconnects,"
            + "history_ok,checksums_equal,detection_ms,takeover_ms,problem";

    /** {@code crashes.csv}: one row per crash; empty cells where nothing was measured. */
    static String csv(List<Crash> crashes) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Crash c : crashes) {
            List<String> cells = new ArrayList<>(List.of(c.series, c.app, c.kind, c.delivery, Integer.toString(c.index),
                    text(c.victim), number(c.stallMs), Boolean.toString(c.stallOpen), number(c.worstThreadStallMs), Long.toString(c.errors),
                    Long.toString(c.reconnects), c.history == null ? "" : Boolean.toString(c.history.ok()),
                    c.checksumsEqual == null ? "" : c.checksumsEqual.toString(), number(c.detectionMs),
                    number(c.takeOverMs), quote(c.problem)));
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String number(Double d) {
        return d == null ? "" : Double.toString(round(d));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.contains(",") || one.contains("\"") ? '"' + one.replace("\"", "\"\"") + '"' : one;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
