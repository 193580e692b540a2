package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.artcp.reports.HtmlReport.Figure;
import org.artcp.reports.MysqlSummary.ReadSeries;
import org.artcp.reports.MysqlSummary.Stats;
import org.artcp.reports.MysqlSummary.UpdateSeries;
import org.artcp.reports.ReadScaling.Curve;
import org.artcp.reports.ReadScaling.SpeedUp;
import org.artcp.reports.UpdateOverhead.OperationRows;
import org.artcp.reports.UpdateOverhead.Row;

/**
 * The single-file pages of the MySQL experiments, in the NetPIPE report's style: paper Fig. 7
 * (update operations) for {@code results/updates/…} and Fig. 8 (simultaneous SELECT threads) for
 * {@code results/reads/…}. Figures embedded, nothing loaded from elsewhere, nothing depending on
 * the clock.
 */
public final class MysqlReport {
    private MysqlReport() {}

    /** Everything the updates page shows. */
    public record UpdatesInputs(String directory, MysqlSummary.Updates summary, JsonNode env, JsonNode config,
                                JsonNode published, List<OperationRows> operations, List<Figure> figures) {}

    /** Everything the reads page shows. */
    public record ReadsInputs(String directory, MysqlSummary.Reads summary, JsonNode env, JsonNode config,
                              JsonNode published, List<Curve> curves, List<SpeedUp> speedUps, List<Figure> figures) {}

    public static String renderUpdates(UpdatesInputs in) {
        StringBuilder h = new StringBuilder(1 << 16);
        head(h, "MySQL update operations report — " + in.directory());
        h.append("<h1>MySQL update operations (paper Fig. 7)</h1>\n");
        meta(h, in.directory(), MysqlSummary.UPDATES, in.summary().started(), in.summary().finished(),
                in.summary().series().size());
        h.append("""
                <nav><ul>
                <li><a href="#fig7">Fig. 7: update operations against standalone</a></li>
                <li><a href="#paper">The paper beside ours</a></li>
                <li><a href="#charts">Charts</a></li>
                <li><a href="#series">Series and commands</a></li>
                <li><a href="#environment">Environment</a></li>
                <li><a href="#configuration">Configuration</a></li>
                </ul></nav>
                """);
        fig7(h, in);
        updatesPaper(h, in);
        charts(h, in.figures(), "Per delivery mode: the mean of each operation, standalone black, AR-TCP with 2, 3 "
                + "and 4 nodes blue, orange and red (logarithmic axis: create table takes far longer than the others); "
                + "then every AR-TCP series' mean over standalone's.");
        updateSeries(h, in.summary().series());
        HtmlReport.environment(h, in.env());
        HtmlReport.configuration(h, in.config());
        foot(h);
        return h.toString();
    }

    public static String renderReads(ReadsInputs in) {
        StringBuilder h = new StringBuilder(1 << 16);
        head(h, "MySQL SELECT threads report — " + in.directory());
        h.append("<h1>MySQL simultaneous SELECT threads (paper Fig. 8)</h1>\n");
        meta(h, in.directory(), MysqlSummary.READS, in.summary().started(), in.summary().finished(),
                in.summary().series().size());
        h.append("""
                <nav><ul>
                <li><a href="#fig8">Fig. 8: response time against threads</a></li>
                <li><a href="#speedup">Speed-up over 1 node</a></li>
                <li><a href="#charts">Charts</a></li>
                <li><a href="#series">Series and commands</a></li>
                <li><a href="#environment">Environment</a></li>
                <li><a href="#configuration">Configuration</a></li>
                </ul></nav>
                """);
        fig8(h, in);
        speedUp(h, in);
        charts(h, in.figures(), "Per delivery mode: the mean response time of one SELECT against the number of "
                + "select threads; standalone black, AR-TCP with 2, 3 and 4 nodes blue, orange and red, RR-NP solid "
                + "and RR-P dashed; the paper's 40-thread values (safe delivery) as lone markers.");
        readSeries(h, in.summary().series());
        HtmlReport.environment(h, in.env());
        HtmlReport.configuration(h, in.config());
        foot(h);
        return h.toString();
    }

    // ---------------------------------------------------------------- Fig. 7

    private static void fig7(StringBuilder h, UpdatesInputs in) {
        h.append("<h2 id=\"fig7\">Fig. 7: update operations against standalone</h2>\n");
        h.append("<p>Each operation timed once per repetition over one connection")
                .append(in.summary().repetitions() == null ? "" : " (" + in.summary().repetitions() + " repetitions)")
                .append(", from sending the statement to its OK. <em>Standalone</em> is one MariaDB without AR-TCP "
                        + "(<code>--nodes 1</code>); the ratios are AR-TCP over standalone, of the mean, the median "
                        + "and the 99th percentile. Targets, on the mean: best-effort ≤ ")
                .append(Html.number(UpdateOverhead.MAX_BEST_EFFORT_RATIO)).append("×, safe ≤ ")
                .append(Html.number(UpdateOverhead.MAX_SAFE_RATIO)).append("× standalone.</p>\n");
        if (in.operations().isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no timed operation.</p>\n");
            return;
        }
        for (OperationRows op : in.operations()) {
            h.append("<h3>").append(Html.escape(op.operation())).append("</h3>\n");
            h.append("<table class=\"fig7\" data-operation=\"").append(Html.escape(op.operation())).append("\">\n")
                    .append("<thead><tr><th>series</th><th class=\"num\">nodes</th><th>delivery</th>"
                            + "<th class=\"num\">count</th><th class=\"num\">errors</th><th class=\"num\">mean µs</th>"
                            + "<th class=\"num\">p50 µs</th><th class=\"num\">p99 µs</th><th class=\"num\">mean / "
                            + "standalone</th><th class=\"num\">p50 / standalone</th><th class=\"num\">p99 / "
                            + "standalone</th><th>target</th></tr></thead>\n<tbody>\n");
            for (Row r : op.rows()) {
                Stats s = r.stats();
                h.append("<tr data-nodes=\"").append(r.nodes()).append("\" data-delivery=\"")
                        .append(Html.escape(r.delivery() == null ? "" : r.delivery())).append("\"><td><code class=\"id\">")
                        .append(Html.escape(r.seriesId())).append("</code></td><td class=\"num\">").append(r.nodes())
                        .append("</td><td>").append(r.standalone() ? "standalone" : Html.text(r.delivery()))
                        .append("</td><td class=\"num\">").append(s.count()).append("</td><td class=\"num\">")
                        .append(s.errors()).append("</td><td class=\"num\">").append(Html.number(s.meanUs()))
                        .append("</td><td class=\"num\">").append(Html.number(s.p50Us())).append("</td><td class=\"num\">")
                        .append(Html.number(s.p99Us())).append("</td><td class=\"num\">")
                        .append(r.standalone() ? "1 (itself)" : ratioText(r.meanRatio())).append("</td><td class=\"num\">")
                        .append(r.standalone() ? "" : ratioText(r.p50Ratio())).append("</td><td class=\"num\">")
                        .append(r.standalone() ? "" : ratioText(r.p99Ratio())).append("</td>");
                Double limit = UpdateOverhead.limit(r.delivery());
                h.append(r.standalone() ? "<td class=\"na\">the baseline</td>"
                        : HtmlReport.verdictCell(r.verdict(), "no target for this delivery")
                                .replace("</td>", limit == null ? "</td>" : " (≤ " + Html.number(limit) + "×)</td>"));
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table>\n");
            if (op.standaloneSeriesId() == null) {
                h.append("<p class=\"note\">No standalone series in this run, so no ratios.</p>\n");
            }
        }
    }

    private static void updatesPaper(StringBuilder h, UpdatesInputs in) {
        h.append("<h2 id=\"paper\">The paper beside ours</h2>\n");
        JsonNode fig7 = in.published() == null ? null : in.published().get("fig7_update_operations");
        if (fig7 == null) {
            h.append("<p class=\"note\">— published-values.json has no Fig. 7 entry.</p>\n");
            return;
        }
        h.append("<p>The paper's Fig. 7 gives no numbers in its text, only these claims (")
                .append(Html.text(fig7.path("table").asText(null))).append("; operations named: ");
        List<String> named = new ArrayList<>();
        fig7.path("operations_named").forEach(n -> named.add(n.asText()));
        h.append(Html.escape(String.join(", ", named))).append(" of ")
                .append(fig7.path("operations_count").asInt()).append(").</p>\n");
        h.append("<table class=\"paper-beside-ours\">\n<thead><tr><th>the paper's claim</th><th>ours</th></tr></thead>\n"
                + "<tbody>\n");
        List<String> claims = new ArrayList<>();
        fig7.path("claims").forEach(n -> claims.add(n.asText()));
        List<String> ours = List.of(slowestCell(in.summary().series()), bestEffortVsSafeCell(in.operations()),
                longerOperationsCell(in.operations()));
        for (int i = 0; i < claims.size(); i++) {
            h.append("<tr><td><blockquote>").append(Html.escape(claims.get(i))).append("</blockquote></td><td>")
                    .append(i < ours.size() ? ours.get(i) : Html.MISSING).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String slowestCell(List<UpdateSeries> series) {
        StringBuilder c = new StringBuilder();
        for (UpdateSeries s : UpdateOverhead.ordered(series)) {
            c.append("<div><code>").append(Html.escape(s.id())).append("</code>: ")
                    .append(Html.text(UpdateOverhead.slowest(s))).append("</div>");
        }
        return c.isEmpty() ? Html.MISSING : "slowest by mean: " + c;
    }

    private static String bestEffortVsSafeCell(List<OperationRows> operations) {
        int pairs = 0;
        int faster = 0;
        List<String> exceptions = new ArrayList<>();
        for (OperationRows op : operations) {
            for (Row be : op.rows()) {
                if (!CommunicationPenalty.BEST_EFFORT.equals(be.delivery())) {
                    continue;
                }
                Row safe = op.row(be.nodes(), CommunicationPenalty.SAFE);
                if (safe == null || be.stats().meanUs() == null || safe.stats().meanUs() == null) {
                    continue;
                }
                pairs++;
                if (be.stats().meanUs() < safe.stats().meanUs()) {
                    faster++;
                } else {
                    exceptions.add(op.operation() + " with " + be.nodes() + " nodes");
                }
            }
        }
        if (pairs == 0) {
            return Html.MISSING + " <span class=\"note\">(needs best-effort and safe series of the same size)</span>";
        }
        return "best-effort faster in " + faster + " of " + pairs + " (operation, nodes) pairs"
                + (exceptions.isEmpty() ? "" : "; not in: " + Html.escape(String.join(", ", exceptions)));
    }

    private static String longerOperationsCell(List<OperationRows> operations) {
        OperationRows slowest = null;
        double worst = -1;
        for (OperationRows op : operations) {
            Row base = op.rows().stream().filter(Row::standalone).findFirst().orElse(null);
            if (base != null && base.stats().meanUs() != null && base.stats().meanUs() > worst) {
                worst = base.stats().meanUs();
                slowest = op;
            }
        }
        if (slowest == null) {
            return Html.MISSING + " <span class=\"note\">(needs a standalone series)</span>";
        }
        StringBuilder c = new StringBuilder();
        for (Row r : slowest.rows()) {
            if (r.standalone() || r.meanRatio() == null) {
                continue;
            }
            List<Double> others = new ArrayList<>();
            for (OperationRows op : operations) {
                Row o = op == slowest ? null : op.row(r.nodes(), r.delivery());
                if (o != null && o.meanRatio() != null) {
                    others.add(o.meanRatio());
                }
            }
            DoubleSummaryStatistics st = others.stream().mapToDouble(Double::doubleValue).summaryStatistics();
            c.append("<div>").append(r.nodes()).append(" nodes, ").append(Html.escape(r.delivery())).append(": ")
                    .append(Html.escape(slowest.operation())).append(" ").append(ratioText(r.meanRatio()))
                    .append(others.isEmpty() ? "" : ", the others " + ratioText(st.getMin()) + " to "
                            + ratioText(st.getMax())).append("</div>");
        }
        return c.isEmpty() ? Html.MISSING : "ratio of the slowest operation (by standalone mean) against the others': " + c;
    }

    private static void updateSeries(StringBuilder h, List<UpdateSeries> series) {
        h.append("<h2 id=\"series\">Series and commands</h2>\n");
        if (series.isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no series.</p>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th>series</th><th>label</th><th class=\"num\">nodes</th><th>delivery</th>"
                + "<th class=\"num\">operations</th><th>command</th></tr></thead>\n<tbody>\n");
        for (UpdateSeries s : series) {
            h.append("<tr><td><code class=\"id\">").append(Html.escape(s.id())).append("</code></td><td>")
                    .append(Html.text(s.label())).append("</td><td class=\"num\">").append(s.nodes()).append("</td><td>")
                    .append(Html.text(s.delivery())).append("</td><td class=\"num\">").append(s.operations().size())
                    .append("</td><td>").append(s.command() == null ? Html.MISSING
                            : "<code>" + Html.escape(s.command()) + "</code>").append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    // ---------------------------------------------------------------- Fig. 8

    private static void fig8(StringBuilder h, ReadsInputs in) {
        h.append("<h2 id=\"fig8\">Fig. 8: response time against threads</h2>\n");
        h.append("<p>Each select thread has its own connection and loops")
                .append(in.summary().loops() == null ? "" : " " + in.summary().loops() + " times")
                .append(" over one SELECT retrieving 100 rows; the response time runs from sending the query to "
                        + "reading its last row. Up to 10 threads run in one client process (client1), more are "
                        + "split over two (client1 and client2), as the paper's 10 = 1 × 10, 20 = 2 × 10 and "
                        + "40 = 2 × 20. ")
                .append(in.summary().nodeCpu() == null ? "The nodes' CPU was not capped."
                        : "Every node's CPU was capped at " + Html.number(in.summary().nodeCpu())
                                + " of one CPU, so that nodes behave like separate machines.")
                .append(" Cells: mean ms (p99 ms).</p>\n");
        if (in.curves().isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no series.</p>\n");
            return;
        }
        List<Integer> threads = new ArrayList<>();
        for (Curve c : in.curves()) {
            for (ReadScaling.Point p : c.points()) {
                if (!threads.contains(p.threads())) {
                    threads.add(p.threads());
                }
            }
        }
        threads.sort(Integer::compare);
        h.append("<table class=\"fig8\">\n<thead><tr><th>cluster</th>");
        for (int t : threads) {
            h.append("<th class=\"num\">").append(t).append(" threads</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (Curve c : in.curves()) {
            h.append("<tr data-nodes=\"").append(c.nodes()).append("\"><td>").append(Html.escape(c.describe()))
                    .append("</td>");
            for (int t : threads) {
                ReadScaling.Point p = c.at(t);
                h.append("<td class=\"num\">");
                if (p == null) {
                    h.append(Html.MISSING);
                } else {
                    h.append(ms(p.stats().meanUs())).append(" (").append(ms(p.stats().p99Us())).append(")");
                    if (p.stats().errors() > 0) {
                        h.append(" <span class=\"note\">").append(p.stats().errors()).append(" errors</span>");
                    }
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void speedUp(StringBuilder h, ReadsInputs in) {
        h.append("<h2 id=\"speedup\">Speed-up over 1 node</h2>\n");
        int threads = ReadScaling.referenceThreads(in.curves());
        Map<Integer, Double> paper = paperMsAt40(in.published());
        String paperDelivery = in.published() == null ? "safe"
                : in.published().path("fig8_simultaneous_read_only").path("delivery").asText("safe");
        h.append("<p>At ").append(threads).append(" threads")
                .append(threads == ReadScaling.REFERENCE_THREADS ? " (the paper's largest load)"
                        : " (the largest load measured; the paper's numbers are at " + ReadScaling.REFERENCE_THREADS
                                + ")")
                .append(": the standalone mean over the cluster's mean. Target: at least ")
                .append(Html.number(ReadScaling.MIN_SPEED_UP_PER_NODE)).append("·N. The paper's means at ")
                .append(ReadScaling.REFERENCE_THREADS).append(" threads (").append(Html.escape(paperDelivery))
                .append(" delivery) are beside ours; it gives no 1-node number, so its speed-up is read between its "
                        + "own cluster sizes only.</p>\n");
        if (in.speedUps().isEmpty()) {
            h.append("<p class=\"note\">— No AR-TCP series in this run.</p>\n");
        } else {
            h.append("<table class=\"speedup\">\n<thead><tr><th class=\"num\">nodes</th><th>delivery</th>"
                    + "<th>read policy</th><th class=\"num\">mean ms</th><th class=\"num\">standalone ms</th>"
                    + "<th class=\"num\">speed-up</th><th class=\"num\">target</th><th>verdict</th>"
                    + "<th class=\"num\">paper ms</th></tr></thead>\n<tbody>\n");
            for (SpeedUp s : in.speedUps()) {
                Double p = paperDelivery.equals(s.curve().delivery()) && threads == ReadScaling.REFERENCE_THREADS
                        ? paper.get(s.curve().nodes()) : null;
                h.append("<tr data-nodes=\"").append(s.curve().nodes()).append("\"><td class=\"num\">")
                        .append(s.curve().nodes()).append("</td><td>").append(Html.text(s.curve().delivery()))
                        .append("</td><td>").append(Html.text(s.curve().readPolicy())).append("</td><td class=\"num\">")
                        .append(ms(s.meanUs())).append("</td><td class=\"num\">").append(ms(s.standaloneUs()))
                        .append("</td><td class=\"num\">")
                        .append(s.speedUp() == null ? Html.MISSING : String.format(Locale.ROOT, "%.2f×", s.speedUp()))
                        .append("</td><td class=\"num\">≥ ").append(Html.number(s.target())).append("×</td>")
                        .append(HtmlReport.verdictCell(s.verdict(), ""))
                        .append("<td class=\"num\">").append(Html.number(p)).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        if (!paper.isEmpty()) {
            h.append("<p class=\"note\">The paper at ").append(ReadScaling.REFERENCE_THREADS).append(" threads: ");
            List<String> parts = new ArrayList<>();
            paper.forEach((n, ms) -> parts.add(n + " nodes " + Html.number(ms) + " ms"));
            h.append(Html.escape(String.join(", ", parts)));
            JsonNode fig8 = in.published().path("fig8_simultaneous_read_only");
            List<String> claims = new ArrayList<>();
            fig8.path("claims").forEach(c -> claims.add(c.asText()));
            if (!claims.isEmpty()) {
                h.append("; its claims: ").append(Html.escape(String.join("; ", claims)));
            }
            h.append(".</p>\n");
        }
    }

    /** The paper's mean response times at 40 threads by node count. */
    static Map<Integer, Double> paperMsAt40(JsonNode published) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        if (published == null) {
            return out;
        }
        JsonNode values = published.path("fig8_simultaneous_read_only").path("avg_response_time_ms_40_threads");
        values.fieldNames().forEachRemaining(k -> {
            if (k.matches("\\d+") && values.get(k).isNumber()) {
                out.put(Integer.parseInt(k), values.get(k).asDouble());
            }
        });
        return out;
    }

    private static void readSeries(StringBuilder h, List<ReadSeries> series) {
        h.append("<h2 id=\"series\">Series and commands</h2>\n");
        if (series.isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no series.</p>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th>series</th><th class=\"num\">nodes</th><th>delivery</th><th>read policy</th>"
                + "<th class=\"num\">threads</th><th>per client</th><th class=\"num\">SELECTs</th>"
                + "<th class=\"num\">errors</th><th class=\"num\">mean ms</th><th class=\"num\">p50 ms</th>"
                + "<th class=\"num\">p99 ms</th><th class=\"num\">per-thread mean ms, min – max</th><th>commands</th>"
                + "</tr></thead>\n<tbody>\n");
        for (ReadSeries s : series) {
            DoubleSummaryStatistics pt = s.perThreadMeanUs().stream().filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).summaryStatistics();
            h.append("<tr><td><code class=\"id\">").append(Html.escape(s.id())).append("</code></td><td class=\"num\">")
                    .append(s.nodes()).append("</td><td>").append(Html.text(s.delivery())).append("</td><td>")
                    .append(Html.text(s.readPolicy())).append("</td><td class=\"num\">").append(s.threads())
                    .append("</td><td>").append(Html.escape(String.join(" + ",
                            s.threadsPerClient().stream().map(String::valueOf).toList())))
                    .append("</td><td class=\"num\">").append(s.stats().count()).append("</td><td class=\"num\">")
                    .append(s.stats().errors()).append("</td><td class=\"num\">").append(ms(s.stats().meanUs()))
                    .append("</td><td class=\"num\">").append(ms(s.stats().p50Us())).append("</td><td class=\"num\">")
                    .append(ms(s.stats().p99Us())).append("</td><td class=\"num\">")
                    .append(pt.getCount() == 0 ? Html.MISSING : ms(pt.getMin()) + " – " + ms(pt.getMax()))
                    .append("</td><td>");
            for (String c : s.commands()) {
                h.append("<div><code>").append(Html.escape(c)).append("</code></div>");
            }
            h.append(s.commands().isEmpty() ? Html.MISSING : "").append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    // ---------------------------------------------------------------- shared

    static void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>\n").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n<main>\n");
    }

    static void meta(StringBuilder h, String directory, String experiment, String started, String finished,
                             int series) {
        h.append("<p class=\"meta\">Results directory <code>").append(Html.escape(directory))
                .append("</code> · experiment ").append(Html.escape(experiment))
                .append(" · started ").append(Html.text(started))
                .append(" · finished ").append(Html.text(finished))
                .append(" · ").append(series).append(" series</p>\n");
    }

    static void charts(StringBuilder h, List<Figure> figures, String note) {
        h.append("<h2 id=\"charts\">Charts</h2>\n<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        for (Figure f : figures) {
            HtmlReport.figure(h, f);
        }
    }

    static void foot(StringBuilder h) {
        h.append("<p class=\"note\">Rendered by <code>./artcp report</code> from the files of the results directory "
                + "alone (summary.json, env.json, config.json; docs/results-format.md).</p>\n");
        h.append("</main>\n</body>\n</html>\n");
    }

    private static String ratioText(Double r) {
        return r == null ? Html.MISSING : String.format(Locale.ROOT, "%.3f×", r);
    }

    private static String ms(Double us) {
        return us == null ? Html.MISSING : Html.number(us / 1000.0);
    }
}
