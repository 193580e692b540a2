package org.artcp.reports;

import static org.artcp.reports.JsonFields.array;
import static org.artcp.reports.JsonFields.integer;
import static org.artcp.reports.JsonFields.number;
import static org.artcp.reports.JsonFields.required;
import static org.artcp.reports.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The top-level {@code summary.json} of {@code results/failover/<timestamp>/} (docs/failover.md, "Benchmark")
 * and of {@code results/detector/<timestamp>/}, parsed without touching the file system. Times are in
 * milliseconds, as the files hold them. {@link Distribution#of} is also what the bench computes its
 * percentiles with, so the file and the report agree by construction.
 */
public final class FailoverSummary {
    public static final String FAILOVER = "failover";
    public static final String DETECTOR = "detector";
    /** The target for the client-observed stall, p99. */
    public static final double STALL_TARGET_MS = 500.0;
    /** The crash kinds, in the order the report shows them. */
    public static final List<String> KINDS = List.of("primary", "aggregator", "backup");

    private FailoverSummary() {}

    /** Nearest-rank percentiles of values over crashes; null where no value exists. */
    public record Distribution(int count, Double p50, Double p99, Double max) {
        public static final Distribution EMPTY = new Distribution(0, null, null, null);

        /** Nearest-rank p50, p99 and the maximum of the non-null values ({@link #EMPTY} when none). */
        public static Distribution of(List<Double> values) {
            List<Double> v = values.stream().filter(Objects::nonNull).sorted().toList();
            if (v.isEmpty()) {
                return EMPTY;
            }
            return new Distribution(v.size(), nearestRank(v, 0.50), nearestRank(v, 0.99), v.getLast());
        }

        /** The value at rank ceil(q·n) of sorted values (1-based). */
        static double nearestRank(List<Double> sorted, double q) {
            int rank = (int) Math.ceil(q * sorted.size());
            return sorted.get(Math.max(1, Math.min(sorted.size(), rank)) - 1);
        }
    }

    /** The history check summed over a series' crashes (null for series without one, e.g. netpipe). */
    public record HistoryTotals(int checked, int ok, long lost, long duplicated, long outOfOrder, long unexpected) {}

    /**
     * One app × crash kind × delivery.
     *
     * @param stallMs            the stall over every client thread's responses merged (the measure)
     * @param worstThreadStallMs the longest stall of any one thread: shows a connection that hangs while others go on
     *
     * @param crashes  attempted
     * @param measured crashes with a stall
     * @param problems crashes whose pipeline hit a problem
     */
    public record Series(String id, String label, String app, String kind, String delivery, int nodes, int crashes,
                         int measured, int problems, long clientErrors, int crashesWithErrors, long reconnects,
                         HistoryTotals history, Integer checksumsChecked, Integer checksumsEqual, Distribution stallMs,
                         Distribution worstThreadStallMs, Distribution detectionMs, Distribution takeOverMs) {
        /** Met: every crash measured, and the stall's p99 within the target. */
        public CommunicationPenalty.Verdict stallVerdict(double targetMs) {
            if (stallMs.p99() == null) {
                return CommunicationPenalty.Verdict.NO_DATA;
            }
            return measured == crashes && stallMs.p99() <= targetMs ? CommunicationPenalty.Verdict.MET
                    : CommunicationPenalty.Verdict.MISSED;
        }

        /** Met: no client saw an error and every crash was measured. */
        public CommunicationPenalty.Verdict errorVerdict() {
            if (measured == 0) {
                return CommunicationPenalty.Verdict.NO_DATA;
            }
            return clientErrors == 0 && measured == crashes ? CommunicationPenalty.Verdict.MET
                    : CommunicationPenalty.Verdict.MISSED;
        }
    }

    /**
     * One crash, as the bench recorded it.
     *
     * @param stallOpen          no response after the kill before the client stopped: {@code stallMs} is a lower bound
     * @param worstThreadStallMs the longest stall of any one client thread (its own responses only)
     */
    public record Crash(String series, int index, String dir, String victim, String killedAt, Double stallMs,
                        boolean stallOpen, Double worstThreadStallMs, boolean worstThreadStallOpen, long operations,
                        long errors, String firstError, long reconnects,
                        Boolean historyOk, String historyText, Boolean checksumsEqual, Double detectionMs,
                        Double takeOverMs, String workerEnd, String problem) {}

    /** {@code summary.json} of a failover run. */
    public record Failover(String started, String finished, Integer nodes, Integer crashesPerSeries,
                           double stallTargetMs, List<Series> series, List<Crash> crashes) {
        public Failover {
            series = List.copyOf(series);
            crashes = List.copyOf(crashes);
        }

        /** The deliveries present, best-effort first. */
        public List<String> deliveries() {
            return series.stream().map(Series::delivery).filter(Objects::nonNull).distinct()
                    .sorted((a, b) -> Boolean.compare(a.equals("safe"), b.equals("safe"))).toList();
        }

        /** Each crash's stall of series {@code id}, in crash order (null where unmeasured). */
        public List<Double> stalls(String id) {
            return crashes.stream().filter(c -> id.equals(c.series())).map(Crash::stallMs).toList();
        }
    }

    /**
     * One failure timeout of a detector run ({@code ./artcp bench detector}).
     *
     * @param falseSuspicions        membership changes the nodes logged with no fault injected, over the soak
     * @param falseSuspicionsPerHour the same per hour of soak, or null
     * @param detectionMs            the first survivor's detection after each kill
     * @param detectionLastMs        the last survivor's, or {@link Distribution#EMPTY}
     */
    public record Timeout(double failureTimeoutMs, Double heartbeatMs, Double soakSeconds, long falseSuspicions,
                          Double falseSuspicionsPerHour, int kills, Distribution detectionMs,
                          Distribution detectionLastMs) {}

    /** {@code summary.json} of a detector run. */
    public record Detector(String started, String finished, String load, List<Timeout> timeouts) {
        public Detector {
            timeouts = List.copyOf(timeouts);
        }
    }

    public static Failover failover(JsonNode root, String source) throws ResultsFormatException {
        List<Series> series = new ArrayList<>();
        int i = 0;
        for (JsonNode s : array(root, "series", source)) {
            String where = source + ": series[" + i++ + "]";
            JsonNode h = s.get("history");
            HistoryTotals history = h == null || h.isNull() ? null : new HistoryTotals(h.path("checked").asInt(),
                    h.path("ok").asInt(), h.path("lost").asLong(), h.path("duplicated").asLong(),
                    h.path("outOfOrder").asLong(), h.path("unexpected").asLong());
            JsonNode c = s.get("checksums");
            boolean sums = c != null && !c.isNull();
            series.add(new Series(required(s, "id", where), text(s, "label"), required(s, "app", where),
                    required(s, "kind", where), text(s, "delivery"), s.path("nodes").asInt(0), s.path("crashes").asInt(0),
                    s.path("measured").asInt(0), s.path("problems").asInt(0), s.path("clientErrors").asLong(0),
                    s.path("crashesWithErrors").asInt(0), s.path("reconnects").asLong(0), history,
                    sums ? c.path("checked").asInt() : null, sums ? c.path("equal").asInt() : null,
                    distribution(s.get("stallMs")), distribution(s.get("worstThreadStallMs")),
                    distribution(s.get("detectionMs")),
                    distribution(s.get("takeOverMs"))));
        }
        List<Crash> crashes = new ArrayList<>();
        JsonNode list = root.get("crashes");
        if (list != null && list.isArray()) {
            int k = 0;
            for (JsonNode c : list) {
                String where = source + ": crashes[" + k++ + "]";
                JsonNode h = c.get("history");
                boolean hasHistory = h != null && !h.isNull();
                String historyText = !hasHistory ? null : h.path("ok").asBoolean() ? "ok"
                        : "lost " + h.path("lost").asLong() + ", duplicated " + h.path("duplicated").asLong()
                                + ", out of order " + h.path("outOfOrder").asLong() + ", unexpected "
                                + h.path("unexpected").asLong();
                crashes.add(new Crash(required(c, "series", where), c.path("index").asInt(), text(c, "dir"),
                        text(c, "victim"), text(c, "killedAt"), number(c, "stallMs"), c.path("stallOpen").asBoolean(),
                        number(c, "worstThreadStallMs"), c.path("worstThreadStallOpen").asBoolean(),
                        c.path("operations").asLong(), c.path("errors").asLong(), text(c, "firstError"),
                        c.path("reconnects").asLong(), hasHistory ? h.path("ok").asBoolean() : null, historyText,
                        c.path("checksumsEqual").isBoolean() ? c.path("checksumsEqual").asBoolean() : null,
                        number(c, "detectionMs"), number(c, "takeOverMs"), text(c, "workerEnd"), text(c, "problem")));
            }
        }
        Double target = number(root, "stallTargetMs");
        return new Failover(text(root, "started"), text(root, "finished"), integer(root, "nodes"),
                integer(root, "crashesPerSeries"), target == null ? STALL_TARGET_MS : target, series, crashes);
    }

    /**
     * A detector run's summary: {@code timeouts[]} with {@code failureTimeoutMs}, {@code heartbeatMs},
     * {@code soakSeconds}, {@code falseSuspicions}, {@code falseSuspicionsPerHour}, {@code kills} and the detection
     * times as {@code detectionFirstMs} / {@code detectionLastMs} (or {@code detectionMs}), each {@code n} or
     * {@code count}, {@code p50}, {@code max} and the {@code values} (percentiles are taken from the values when
     * present); {@code load} and {@code startedAt} at the top or under {@code config}.
     */
    public static Detector detector(JsonNode root, String source) throws ResultsFormatException {
        List<Timeout> timeouts = new ArrayList<>();
        int i = 0;
        for (JsonNode t : array(root, "timeouts", source)) {
            String where = source + ": timeouts[" + i++ + "]";
            Double timeout = number(t, "failureTimeoutMs");
            if (timeout == null) {
                throw new ResultsFormatException(where + ": no number 'failureTimeoutMs'");
            }
            JsonNode first = t.has("detectionFirstMs") ? t.get("detectionFirstMs") : t.get("detectionMs");
            timeouts.add(new Timeout(timeout, number(t, "heartbeatMs"), number(t, "soakSeconds"),
                    t.path("falseSuspicions").asLong(0), number(t, "falseSuspicionsPerHour"), t.path("kills").asInt(0),
                    distribution(first), distribution(t.get("detectionLastMs"))));
        }
        JsonNode config = root.path("config");
        String started = text(root, "started") != null ? text(root, "started") : text(config, "startedAt");
        String load = text(root, "load") != null ? text(root, "load") : text(config, "load");
        return new Detector(started, text(root, "finished"), load, timeouts);
    }

    private static Distribution distribution(JsonNode d) {
        if (d == null || !d.isObject()) {
            return Distribution.EMPTY;
        }
        JsonNode values = d.get("values");
        if (values != null && values.isArray()) {
            List<Double> v = new ArrayList<>();
            values.forEach(n -> v.add(n.isNumber() ? n.asDouble() : null));
            return Distribution.of(v);
        }
        int count = d.has("count") ? d.path("count").asInt(0) : d.path("n").asInt(0);
        return new Distribution(count, number(d, "p50"), number(d, "p99"), number(d, "max"));
    }
}
