package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import org.artcp.reports.FailoverSummary.Crash;
import org.artcp.reports.FailoverSummary.Distribution;
import org.artcp.reports.FailoverSummary.Failover;
import org.artcp.reports.FailoverSummary.Series;
import org.artcp.reports.FailoverSummary.Timeout;
import org.artcp.reports.HtmlReport.Figure;

/**
 * The single-file pages of issue 6: "Failover" for {@code results/failover/…} (the client-observed stall per
 * crash kind and delivery against the 500 ms target, client errors, the history check, the survivors'
 * checksums, detection and take-over times) and "Failure detector" for {@code results/detector/…}
 * (detection time and false suspicions per failure timeout). Same style as the MySQL pages; nothing
 * loaded from elsewhere, nothing depending on the clock.
 */
public final class FailoverReport {
    /** The comparison, quoted beside our numbers. */
    static final String COMPARISON = "For comparison (issue 6): VRRP-style IP failover takes seconds and loses the "
            + "connections; Galera and Group Replication clients reconnect after 5–15 s.";

    private FailoverReport() {}

    /** Everything the failover page shows. */
    public record FailoverInputs(String directory, Failover summary, JsonNode env, JsonNode config,
                                 List<Figure> figures) {}

    /** Everything the detector page shows. */
    public record DetectorInputs(String directory, FailoverSummary.Detector summary, JsonNode env, JsonNode config,
                                 List<Figure> figures) {}

    public static String renderFailover(FailoverInputs in) {
        Failover f = in.summary();
        StringBuilder h = new StringBuilder(1 << 16);
        MysqlReport.head(h, "Failover report — " + in.directory());
        h.append("<h1>Failover under load (issue 6)</h1>\n");
        MysqlReport.meta(h, in.directory(), FailoverSummary.FAILOVER, f.started(), f.finished(), f.series().size());
        h.append("""
                <nav><ul>
                <li><a href="#failover">Failover: the client's stall per crash kind</a></li>
                <li><a href="#charts">Charts</a></li>
                <li><a href="#crashes">Every crash</a></li>
                <li><a href="#environment">Environment</a></li>
                <li><a href="#configuration">Configuration</a></li>
                </ul></nav>
                """);
        failover(h, f);
        MysqlReport.charts(h, in.figures(), "Per delivery mode: for each app and crash kind, the fraction of crashes "
                + "whose stall was at most x ms (primary red, aggregator orange, backup blue; MySQL solid, NetPIPE "
                + "ping-pong dashed); the grey dashed line is the target.");
        crashes(h, f.crashes());
        HtmlReport.environment(h, in.env());
        HtmlReport.configuration(h, in.config());
        MysqlReport.foot(h);
        return h.toString();
    }

    public static String renderDetector(DetectorInputs in) {
        FailoverSummary.Detector d = in.summary();
        StringBuilder h = new StringBuilder(1 << 15);
        MysqlReport.head(h, "Failure detector report — " + in.directory());
        h.append("<h1>Failure detector: detection time and false suspicions</h1>\n");
        MysqlReport.meta(h, in.directory(), FailoverSummary.DETECTOR, d.started(), d.finished(), d.timeouts().size());
        h.append("<h2 id=\"detector\">Failure detector</h2>\n<p>Per failure timeout: how long after a kill the first "
                + "survivor logged the membership change (detection), and how many membership changes the nodes "
                + "logged with no fault injected (false suspicions), under load");
        h.append(d.load() == null ? "" : ": " + Html.escape(d.load())).append(".</p>\n");
        h.append("<table class=\"detector\">\n<thead><tr><th class=\"num\">failure timeout ms</th>"
                + "<th class=\"num\">heartbeat ms</th><th class=\"num\">soak s</th><th class=\"num\">false suspicions"
                + "</th><th class=\"num\">per hour</th><th class=\"num\">kills</th><th class=\"num\">detected</th>"
                + "<th class=\"num\">detection p50 ms</th><th class=\"num\">p99 ms</th><th class=\"num\">max ms</th>"
                + "<th class=\"num\">last survivor p50 / max ms</th></tr></thead>\n<tbody>\n");
        for (Timeout t : d.timeouts().stream().sorted(Comparator.comparingDouble(Timeout::failureTimeoutMs)).toList()) {
            h.append("<tr data-timeout=\"").append(Html.number(t.failureTimeoutMs())).append("\"><td class=\"num\">")
                    .append(Html.number(t.failureTimeoutMs())).append("</td><td class=\"num\">")
                    .append(Html.number(t.heartbeatMs())).append("</td><td class=\"num\">")
                    .append(Html.number(t.soakSeconds())).append("</td><td class=\"num")
                    .append(t.falseSuspicions() == 0 ? "" : " miss").append("\">").append(t.falseSuspicions())
                    .append("</td><td class=\"num\">").append(Html.number(t.falseSuspicionsPerHour()))
                    .append("</td><td class=\"num\">").append(t.kills()).append("</td><td class=\"num\">")
                    .append(t.detectionMs().count()).append("</td>");
            distributionCells(h, t.detectionMs());
            h.append("<td class=\"num\">").append(t.detectionLastMs().count() == 0 ? Html.MISSING
                    : Html.number(t.detectionLastMs().p50()) + " / " + Html.number(t.detectionLastMs().max()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        MysqlReport.charts(h, in.figures(), "Detection time p50 (blue) and p99 (red) against the failure timeout; "
                + "the grey dashed line is detection = timeout.");
        HtmlReport.environment(h, in.env());
        HtmlReport.configuration(h, in.config());
        MysqlReport.foot(h);
        return h.toString();
    }

    // ---------------------------------------------------------------- failover

    private static void failover(StringBuilder h, Failover f) {
        h.append("<h2 id=\"failover\">Failover: the client's stall per crash kind</h2>\n");
        h.append("<p>Each crash kills one node of a fresh ")
                .append(f.nodes() == null ? "" : f.nodes() + "-node ")
                .append("cluster under load (the whole host: node process, server and link). The <em>stall</em> "
                        + "is the longest gap between successive responses, over every client thread, around the "
                        + "crash (<em>worst thread</em>: the longest gap of any one thread's own responses, which "
                        + "shows a connection that hangs while the others go on); <em>errors</em> are client "
                        + "operations that failed. Targets (issue 6): zero client "
                        + "errors and a stall p99 ≤ ")
                .append(Html.number(f.stallTargetMs())).append(" ms. <em>Detection</em> runs from the kill to the "
                        + "first survivor's membership change in its log, <em>take-over</em> to the new primary's "
                        + "role change (a primary kill; otherwise the membership change).</p>\n");
        h.append("<p class=\"comparison\">").append(Html.escape(COMPARISON)).append("</p>\n");
        if (f.series().isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no series.</p>\n");
            return;
        }
        h.append("<div class=\"wide\"><table class=\"failover\">\n<thead><tr><th>series</th><th>killed</th>"
                + "<th>delivery</th><th class=\"num\">crashes</th><th class=\"num\">errors</th>"
                + "<th class=\"num\">re&shy;connects</th><th class=\"num\">stall p50 / p99 / max ms</th>"
                + "<th class=\"num\">worst thread p99 ms</th><th>p99 ≤ target</th><th>no client error</th>"
                + "<th>history check</th><th>survivors' checksums</th><th class=\"num\">detection p50 / p99 ms</th>"
                + "<th class=\"num\">take-over p50 / p99 ms</th></tr></thead>\n<tbody>\n");
        for (Series s : ordered(f.series())) {
            h.append("<tr data-series=\"").append(Html.escape(s.id())).append("\"><td><code class=\"id\">")
                    .append(Html.escape(s.id())).append("</code></td><td>").append(Html.escape(s.kind()))
                    .append("</td><td>").append(Html.text(s.delivery())).append("</td><td class=\"num\">")
                    .append(s.crashes()).append(s.measured() == s.crashes() ? "" : " (" + s.measured() + " measured)")
                    .append("</td><td class=\"num\">").append(s.clientErrors())
                    .append(s.crashesWithErrors() == 0 ? "" : " (in " + s.crashesWithErrors()
                            + (s.crashesWithErrors() == 1 ? " crash)" : " crashes)"))
                    .append("</td><td class=\"num\">").append(s.reconnects()).append("</td><td class=\"num\">")
                    .append(Html.number(s.stallMs().p50())).append(" / ").append(Html.number(s.stallMs().p99()))
                    .append(" / ").append(Html.number(s.stallMs().max())).append("</td><td class=\"num\">")
                    .append(Html.number(s.worstThreadStallMs().p99())).append("</td>")
                    .append(HtmlReport.verdictCell(s.stallVerdict(f.stallTargetMs()), ""))
                    .append(HtmlReport.verdictCell(s.errorVerdict(), "")).append("<td>").append(historyCell(s))
                    .append("</td><td>").append(checksumCell(s)).append("</td><td class=\"num\">")
                    .append(pair(s.detectionMs())).append("</td><td class=\"num\">").append(pair(s.takeOverMs()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
        long problems = f.series().stream().mapToLong(Series::problems).sum();
        if (problems > 0) {
            h.append("<p class=\"note\">").append(problems).append(" crash(es) hit a problem in the pipeline (a worker "
                    + "that did not finish, a missing file, …): see the <em>problem</em> column below. A crash without "
                    + "a measured stall counts against the target.</p>\n");
        }
    }

    private static String historyCell(Series s) {
        if (s.history() == null) {
            return "<span class=\"note\">n/a</span>";
        }
        var hist = s.history();
        String text = hist.ok() + " of " + hist.checked() + " ok";
        if (hist.lost() + hist.duplicated() + hist.outOfOrder() + hist.unexpected() > 0) {
            text += "; lost " + hist.lost() + ", duplicated " + hist.duplicated() + ", out of order " + hist.outOfOrder()
                    + ", unexpected " + hist.unexpected();
        }
        return Html.escape(text);
    }

    private static String checksumCell(Series s) {
        if (s.checksumsChecked() == null) {
            return "<span class=\"note\">n/a</span>";
        }
        return Html.escape(s.checksumsEqual() + " of " + s.checksumsChecked() + " equal");
    }

    private static String pair(Distribution d) {
        return d.count() == 0 ? Html.MISSING : Html.number(d.p50()) + " / " + Html.number(d.p99());
    }

    private static void distributionCells(StringBuilder h, Distribution d) {
        h.append("<td class=\"num\">").append(Html.number(d.p50())).append("</td><td class=\"num\">")
                .append(Html.number(d.p99())).append("</td><td class=\"num\">").append(Html.number(d.max()))
                .append("</td>");
    }

    /** MySQL before NetPIPE, then primary, aggregator, backup, then best-effort before safe. */
    static List<Series> ordered(List<Series> series) {
        return series.stream().sorted(Comparator.comparing((Series s) -> !"mysql".equals(s.app()))
                .thenComparing(s -> FailoverSummary.KINDS.indexOf(s.kind()))
                .thenComparing(s -> "safe".equals(s.delivery()))).toList();
    }

    private static void crashes(StringBuilder h, List<Crash> crashes) {
        h.append("<h2 id=\"crashes\">Every crash</h2>\n");
        if (crashes.isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no crash.</p>\n");
            return;
        }
        h.append("<div class=\"wide\"><table class=\"crashes\">\n<thead><tr><th>series</th><th class=\"num\">#</th><th>victim</th>"
                + "<th>killed at</th><th class=\"num\">stall ms</th><th class=\"num\">worst thread ms</th>"
                + "<th class=\"num\">operations</th>"
                + "<th class=\"num\">errors</th><th class=\"num\">reconnects</th><th>history</th><th>checksums</th>"
                + "<th class=\"num\">detection ms</th><th class=\"num\">take-over ms</th><th>worker</th>"
                + "<th>problem</th></tr></thead>\n<tbody>\n");
        for (Crash c : crashes) {
            h.append("<tr><td><code class=\"id\">").append(Html.escape(c.series())).append("</code></td><td class=\"num\">")
                    .append(c.index()).append("</td><td>").append(Html.text(c.victim())).append("</td><td>")
                    .append(Html.text(c.killedAt())).append("</td><td class=\"num\">")
                    .append(c.stallMs() == null ? Html.MISSING : (c.stallOpen() ? "≥ " : "") + Html.number(c.stallMs()))
                    .append("</td><td class=\"num\">").append(c.worstThreadStallMs() == null ? Html.MISSING
                            : (c.worstThreadStallOpen() ? "≥ " : "") + Html.number(c.worstThreadStallMs()))
                    .append("</td><td class=\"num\">").append(c.operations()).append("</td><td class=\"num\">")
                    .append(c.errors()).append(c.firstError() == null ? ""
                            : " <span class=\"note\">(" + Html.escape(abbreviate(c.firstError())) + ")</span>")
                    .append("</td><td class=\"num\">").append(c.reconnects()).append("</td><td>")
                    .append(Html.text(c.historyText())).append("</td><td>")
                    .append(c.checksumsEqual() == null ? Html.MISSING : c.checksumsEqual() ? "equal" : "differ")
                    .append("</td><td class=\"num\">").append(Html.number(c.detectionMs())).append("</td><td class=\"num\">")
                    .append(Html.number(c.takeOverMs())).append("</td><td>").append(Html.text(c.workerEnd()))
                    .append("</td><td>").append(Html.text(c.problem())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "…";
    }
}
