package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.artcp.reports.CommunicationPenalty.LinkPenalty;
import org.artcp.reports.CommunicationPenalty.MedianDifference;
import org.artcp.reports.CommunicationPenalty.Row;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.artcp.reports.NetpipeComparison.MedianRatio;
import org.artcp.reports.NetpipeComparison.PenaltyComparison;
import org.artcp.reports.NetpipeComparison.ToolComparison;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;

/**
 * The single-file NetPIPE report: figures embedded as {@code data:} URIs, the numbers, the
 * comparison, the paper's published values, the environment and the commands. Nothing is loaded
 * from elsewhere, and nothing depends on the clock, so rendering a directory twice gives the same
 * page.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** A rendered figure: its file stem (e.g. {@code fig6-latency}), the PNG to embed, and its caption. */
    public record Figure(String name, String title, byte[] png, String caption) {}

    /**
     * Everything the page shows.
     *
     * @param directory names the results directory in the heading
     * @param env       {@code env.json}, or null when the file is missing
     * @param config    {@code config.json}, or null when the file is missing
     * @param published the paper's published values (published-values.json)
     * @param figures   the tool-comparison figures
     * @param penalties the Fig. 6 numbers per link ({@link CommunicationPenalty#byLink})
     * @param penaltyFigures the AR-TCP figures, per link and delivery
     */
    public record Inputs(String directory, NetpipeSummary summary, JsonNode env, JsonNode config,
                         JsonNode published, List<ToolComparison> toolComparisons,
                         List<PenaltyComparison> penaltyComparisons, List<Figure> figures,
                         List<LinkPenalty> penalties, List<Figure> penaltyFigures) {}

    private static final Map<String, String> ENV_LABELS = Map.ofEntries(
            Map.entry("hostname", "host name"), Map.entry("kernel", "kernel"), Map.entry("cpuModel", "CPU model"),
            Map.entry("cpus", "CPUs"), Map.entry("memoryBytes", "memory (bytes)"),
            Map.entry("testbed", "testbed"), Map.entry("linkRates", "link rates"), Map.entry("jdk", "JDK"),
            Map.entry("gitCommit", "git commit"), Map.entry("gitDirty", "uncommitted changes in the tree"),
            Map.entry("nptcpVersion", "NPtcp (netpipe-tcp) version"), Map.entry("started", "started"),
            Map.entry("finished", "finished"));

    static final String CSS = """
            :root { --fg: #1d2430; --muted: #5b6472; --line: #d9dee5; --zebra: #f6f8fa; --accent: #1f5fa8; }
            * { box-sizing: border-box; }
            body { margin: 0; color: var(--fg); background: #fff;
                   font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 64px; }
            h1 { font-size: 1.6em; margin: 0 0 4px; }
            h2 { font-size: 1.25em; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 1.05em; margin: 20px 0 6px; }
            p.meta, .note { color: var(--muted); }
            nav ul { padding-left: 20px; margin: 8px 0; columns: 2; }
            a { color: var(--accent); }
            figure { margin: 16px 0 28px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
            figcaption { color: var(--muted); font-size: 0.92em; margin-top: 6px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
            th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #eef1f5; font-weight: 600; }
            tbody tr:nth-child(even) td { background: var(--zebra); }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.ok { color: #1a7f37; font-weight: 600; }
            td.miss { color: #b3261e; font-weight: 600; }
            td.na { color: var(--muted); }
            div.wide { overflow-x: auto; }
            table.failover td.num, table.crashes td.num { white-space: normal; }
            code, pre { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.88em; }
            pre { background: var(--zebra); border: 1px solid var(--line); padding: 8px 10px;
                  white-space: pre-wrap; word-break: break-all; margin: 4px 0 12px; }
            td code { overflow-wrap: break-word; }
            td code.id { white-space: nowrap; }
            details { margin: 6px 0; }
            summary { cursor: pointer; font-weight: 600; }
            blockquote { margin: 4px 0; color: var(--muted); font-style: italic; }
            """;

    public static String render(Inputs in) {
        StringBuilder h = new StringBuilder(1 << 16);
        NetpipeSummary summary = in.summary();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>NetPIPE report — ").append(Html.escape(in.directory())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>NetPIPE: latency and throughput (paper Fig. 6)</h1>\n");
        h.append("<p class=\"meta\">Results directory <code>").append(Html.escape(in.directory()))
                .append("</code> · experiment ").append(Html.text(summary.experiment()))
                .append(" · started ").append(Html.text(summary.started()))
                .append(" · finished ").append(Html.text(summary.finished()))
                .append(" · ").append(summary.series().size()).append(" series</p>\n");
        h.append("""
                <nav><ul>
                <li><a href="#penalty">Fig. 6: the communication penalty</a></li>
                <li><a href="#figures">Figures: the tools on plain TCP</a></li>
                <li><a href="#comparison">netpipe-java vs NPtcp</a></li>
                <li><a href="#paper">The paper's published values</a></li>
                <li><a href="#series">Series and commands</a></li>
                <li><a href="#numbers">The numbers</a></li>
                <li><a href="#environment">Environment</a></li>
                <li><a href="#configuration">Configuration</a></li>
                </ul></nav>
                """);
        penalty(h, in.penalties(), in.penaltyFigures(), in.published());
        figures(h, in.figures());
        comparison(h, in.toolComparisons());
        paper(h, in.published(), in.penaltyComparisons(), in.penalties());
        series(h, summary);
        numbers(h, summary);
        environment(h, in.env());
        configuration(h, in.config());
        h.append("<p class=\"note\">Rendered by <code>./artcp report</code> from the files of the results directory "
                + "alone (summary.json, env.json, config.json; docs/results-format.md).</p>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void figures(StringBuilder h, List<Figure> figures) {
        h.append("<h2 id=\"figures\">Figures: the tools on plain TCP</h2>\n");
        h.append("<p class=\"note\">Colour is the setup (transport and link: plain TCP unshaped, plain TCP at "
                + "100 Mbit/s, …); the line is the tool: NPtcp solid with circles, netpipe-java dashed with "
                + "triangles. Both axes are logarithmic. One-way latency is NetPIPE's: half the mean round trip "
                + "of the best trial. These figures hold the plain-TCP series (AR-TCP has its own figures in the "
                + "Fig. 6 section); a run without plain TCP shows every series here.</p>\n");
        for (Figure f : figures) {
            figure(h, f);
        }
    }

    static void figure(StringBuilder h, Figure f) {
        h.append("<figure id=\"").append(Html.escape(f.name())).append("\">\n<img src=\"")
                .append(Html.dataUri("image/png", f.png())).append("\" alt=\"").append(Html.escape(f.title()))
                .append("\" width=\"").append(Fig6Charts.WIDTH).append("\" height=\"").append(Fig6Charts.HEIGHT)
                .append("\">\n<figcaption>").append(Html.escape(f.caption()))
                .append(" Beside this page: <a href=\"").append(Html.escape(f.name())).append(".png\">")
                .append(Html.escape(f.name())).append(".png</a>, <a href=\"").append(Html.escape(f.name()))
                .append(".svg\">").append(Html.escape(f.name())).append(".svg</a>.</figcaption>\n</figure>\n");
    }

    private static void penalty(StringBuilder h, List<LinkPenalty> links, List<Figure> figures, JsonNode published) {
        h.append("<h2 id=\"penalty\">Fig. 6: the communication penalty</h2>\n");
        h.append("<p>NPtcp through an AR-TCP cluster of N nodes against NPtcp over plain TCP on the same link. "
                + "Per message size both measured, then the median over sizes: <em>added one-way latency</em> "
                + "(AR-TCP − plain µs) and the <em>latency ratio</em> (AR-TCP / plain) over sizes ≤ ")
                .append(NetpipeComparison.LATENCY_MAX_BYTES).append(" bytes; <em>N / 2 nodes</em>, the one-way "
                        + "latency of N nodes over 2 nodes of the same delivery, same sizes; the <em>throughput "
                        + "fraction</em> (AR-TCP / plain Mbps) over sizes ≥ ")
                .append(NetpipeComparison.THROUGHPUT_MIN_BYTES).append(" bytes. In brackets, how many sizes "
                        + "went into the median.</p>\n");
        h.append("<p>Targets: at most ").append(Html.number(CommunicationPenalty.MAX_ADDED_ONE_WAY_US))
                .append(" µs added one-way latency with 2 nodes; 4 nodes within 10% of 2 (N / 2 ≤ ")
                .append(String.format(Locale.ROOT, "%.2f", CommunicationPenalty.MAX_FOUR_TO_TWO_RATIO))
                .append("); at least ").append(Html.number(CommunicationPenalty.MIN_THROUGHPUT_FRACTION * 100))
                .append("%")
                .append(" of plain TCP's throughput at ≥ 64 KiB on 100 Mbit/s links (on an unshaped link the "
                        + "fraction is shown, but the target applies to 100 Mbit/s links).</p>\n");
        if (links.isEmpty()) {
            h.append("<p class=\"note\">— No AR-TCP series in this run: the NetPIPE bench wrote plain TCP only."
                    + "</p>\n");
            return;
        }
        for (LinkPenalty link : links) {
            h.append("<h3>Link: ").append(Html.text(link.linkRate())).append(", against ");
            h.append(link.plainSeriesId() == null ? "— (no plain-TCP NPtcp series on this link)"
                    : "<code>" + Html.escape(link.plainSeriesId()) + "</code>");
            h.append("</h3>\n");
            h.append("<table class=\"penalty\" data-link=\"").append(Html.escape(link.linkRate())).append("\">\n")
                    .append("<thead><tr><th class=\"num\">nodes</th><th>delivery</th><th>AR-TCP series</th>"
                            + "<th class=\"num\">added one-way µs, ≤ 1 KiB (sizes)</th>"
                            + "<th class=\"num\">latency ratio to plain (sizes)</th>"
                            + "<th class=\"num\">N / 2 nodes (sizes)</th>"
                            + "<th class=\"num\">throughput fraction, ≥ 64 KiB (sizes)</th>"
                            + "<th>≤ 30 µs added (2 nodes)</th><th>4 nodes ≤ 1.10 × 2 nodes</th>"
                            + "<th>≥ 90% throughput (100 Mbit/s)</th></tr></thead>\n<tbody>\n");
            for (Row r : link.rows()) {
                h.append("<tr data-nodes=\"").append(r.nodes()).append("\" data-delivery=\"")
                        .append(Html.escape(r.delivery())).append("\"><td class=\"num\">").append(r.nodes())
                        .append("</td><td>").append(Html.text(r.delivery())).append("</td><td><code class=\"id\">")
                        .append(Html.escape(r.arTcpSeriesId())).append("</code></td><td class=\"num\">")
                        .append(differenceCell(r.addedOneWayUs())).append("</td><td class=\"num\">")
                        .append(ratioCell(r.latencyRatio())).append("</td><td class=\"num\">")
                        .append(r.nodes() == 2 ? "1 (itself)" : ratioCell(r.vsTwoNodes()))
                        .append("</td><td class=\"num\">").append(fractionCell(r.throughputFraction()))
                        .append("</td>")
                        .append(verdictCell(r.addedLatencyVerdict(), "the target is for 2 nodes"))
                        .append(verdictCell(r.scalingVerdict(), "the target is for 4 nodes"))
                        .append(verdictCell(r.throughputVerdict(), "the target applies to 100 Mbit/s links"))
                        .append("</tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        paperBesideOurs(h, links, published);
        h.append("<h3>Charts</h3>\n");
        h.append("<p class=\"note\">Per link and delivery: plain TCP black with circles, AR-TCP with 2, 3 and 4 "
                + "nodes blue, orange and red, dashed. Best-effort delivery is the paper's setting.</p>\n");
        for (Figure f : figures) {
            figure(h, f);
        }
    }

    /** The paper's two Fig. 6 claims against ours, best-effort delivery as in the paper. */
    private static void paperBesideOurs(StringBuilder h, List<LinkPenalty> links, JsonNode published) {
        JsonNode fig6 = published == null ? null : published.get("fig6_communication_penalty");
        String delivery = fig6 == null ? CommunicationPenalty.BEST_EFFORT
                : fig6.path("delivery").asText(CommunicationPenalty.BEST_EFFORT);
        h.append("<h3>The paper beside ours</h3>\n");
        h.append("<table class=\"paper-beside-ours\">\n<thead><tr><th>claim</th><th>paper (")
                .append(Html.escape(delivery)).append(")</th><th>ours (").append(Html.escape(delivery))
                .append(", NPtcp)</th></tr></thead>\n<tbody>\n");
        String twoNodeClaim = Html.MISSING;
        String scalingClaim = Html.MISSING;
        if (fig6 != null) {
            for (JsonNode claim : fig6.path("claims")) {
                JsonNode value = claim.get("value");
                String words = "<blockquote>" + Html.text(claim.path("text").asText(null)) + "</blockquote>";
                if (value != null && value.isNumber()) {
                    twoNodeClaim = Html.escape(Html.number(value.asDouble()) + unit(claim)) + words;
                } else {
                    scalingClaim = words;
                }
            }
        }
        h.append("<tr><td>2-node latency against plain TCP</td><td>").append(twoNodeClaim).append("</td><td>");
        boolean any = false;
        for (LinkPenalty link : links) {
            Row r = link.row(2, delivery);
            if (r != null) {
                any = true;
                h.append("<div>").append(Html.text(link.linkRate())).append(": ").append(ratioCell(r.latencyRatio()))
                        .append(", ").append(differenceCell(r.addedOneWayUs())).append("</div>");
            }
        }
        h.append(any ? "" : Html.MISSING + " <span class=\"note\">(no 2-node " + Html.escape(delivery)
                + " series)</span>");
        h.append("</td></tr>\n<tr><td>latency from 2 to 4 nodes</td><td>").append(scalingClaim).append("</td><td>")
                .append(scalingCell(links, delivery)).append("</td></tr>\n</tbody>\n</table>\n");
    }

    /** The N / 2-node ratios of every link (and of one delivery, or all when null). */
    private static String scalingCell(List<LinkPenalty> links, String delivery) {
        StringBuilder c = new StringBuilder();
        for (LinkPenalty link : links) {
            for (Row r : link.rows()) {
                if (r.nodes() != 2 && (delivery == null || delivery.equals(r.delivery()))) {
                    c.append("<div>").append(Html.text(link.linkRate())).append(", ")
                            .append(Html.text(r.delivery())).append(", ").append(r.nodes()).append(" / 2 nodes: ")
                            .append(ratioCell(r.vsTwoNodes())).append("</div>");
                }
            }
        }
        return c.isEmpty() ? Html.MISSING + " <span class=\"note\">(no AR-TCP series with 3 or 4 nodes in this run)"
                + "</span>" : c.toString();
    }

    private static String differenceCell(MedianDifference d) {
        if (d.median().isEmpty()) {
            return Html.MISSING;
        }
        double us = d.median().getAsDouble();
        return Html.escape((us > 0 ? "+" : "") + Html.number(us) + " µs") + " (" + d.sizes() + ")";
    }

    private static String fractionCell(MedianRatio r) {
        return r.median().isEmpty() ? Html.MISSING : percent(r.median().getAsDouble()) + " (" + r.sizes() + ")";
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100.0);
    }

    static String verdictCell(Verdict v, String notApplicable) {
        return switch (v) {
            case MET -> "<td class=\"ok\">met</td>";
            case MISSED -> "<td class=\"miss\">missed</td>";
            case NO_DATA -> "<td>" + Html.MISSING + " (a series is missing)</td>";
            case NOT_APPLICABLE -> "<td class=\"na\">n/a: " + Html.escape(notApplicable) + "</td>";
        };
    }

    private static void comparison(StringBuilder h, List<ToolComparison> comparisons) {
        h.append("<h2 id=\"comparison\">netpipe-java vs NPtcp</h2>\n");
        h.append("<p>For each message size both tools measured on the same link, the ratio netpipe-java / NPtcp; "
                + "the table gives the median of those ratios: one-way latency over sizes ≤ ")
                .append(NetpipeComparison.LATENCY_MAX_BYTES).append(" bytes, throughput over sizes ≥ ")
                .append(NetpipeComparison.THROUGHPUT_MIN_BYTES).append(" bytes. The target (issue 2) is each within ±")
                .append(Math.round(NetpipeComparison.TOLERANCE * 100)).append("%.</p>\n");
        if (comparisons.isEmpty()) {
            h.append("<p class=\"note\">— No link has both an NPtcp and a netpipe-java series in this run.</p>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th>transport</th><th>link</th><th>netpipe-java series</th><th>NPtcp series</th>"
                + "<th class=\"num\">latency ratio, ≤ 1 KiB (sizes)</th><th class=\"num\">throughput ratio, ≥ 64 KiB "
                + "(sizes)</th><th>within ±10%</th></tr></thead>\n<tbody>\n");
        for (ToolComparison c : comparisons) {
            boolean complete = c.latency().median().isPresent() && c.throughput().median().isPresent();
            h.append("<tr><td>").append(Html.text(c.transport())).append("</td><td>").append(Html.text(c.linkRate()))
                    .append("</td><td><code class=\"id\">").append(Html.escape(c.javaSeriesId()))
                    .append("</code></td><td><code class=\"id\">").append(Html.escape(c.nptcpSeriesId()))
                    .append("</code></td><td class=\"num\">")
                    .append(ratioCell(c.latency())).append("</td><td class=\"num\">").append(ratioCell(c.throughput()))
                    .append("</td>");
            if (!complete) {
                h.append("<td>").append(Html.MISSING).append("</td>");
            } else if (c.meetsTarget()) {
                h.append("<td class=\"ok\">yes</td>");
            } else {
                h.append("<td class=\"miss\">no</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String ratioCell(MedianRatio r) {
        if (r.median().isEmpty()) {
            return Html.MISSING;
        }
        return Html.escape(Html.ratio(r.median().getAsDouble())) + " (" + r.sizes() + ")";
    }

    private static void paper(StringBuilder h, JsonNode published, List<PenaltyComparison> penalties,
                              List<LinkPenalty> links) {
        h.append("<h2 id=\"paper\">The paper's published values (Fig. 6)</h2>\n");
        JsonNode fig6 = published == null ? null : published.get("fig6_communication_penalty");
        if (fig6 == null) {
            h.append("<p class=\"note\">— published-values.json has no Fig. 6 entry.</p>\n");
            return;
        }
        h.append("<p>The paper's Fig. 6 measures the communication penalty of AR-TCP: NetPIPE over an AR-TCP "
                + "connection (delivery: ").append(Html.text(fig6.path("delivery").asText(null)))
                .append(") against standard TCP. Its numbers are ratios of <em>AR-TCP to TCP</em>, not of one tool "
                        + "to another: the series of this run that match them are AR-TCP series; where the run has "
                        + "none the \"ours\" column stays empty. Ours are the median per-size ratio of "
                        + "one-way latency over sizes ≤ 1 KiB, same tool, same link (NetPIPE's one-way time is half "
                        + "its round trip, so the ratio is the RTT's); for the growth from 2 to 4 nodes, the "
                        + "N-node over 2-node ratio, same delivery and link.</p>\n");
        h.append("<table>\n<thead><tr><th>claim</th><th class=\"num\">paper</th><th>the paper's words</th>"
                + "<th>ours</th></tr></thead>\n<tbody>\n");
        for (JsonNode claim : fig6.path("claims")) {
            JsonNode value = claim.get("value");
            boolean hasValue = value != null && value.isNumber();
            h.append("<tr><td>").append(Html.text(claim.path("what").asText(null))).append("</td><td class=\"num\">")
                    .append(hasValue ? Html.escape(Html.number(value.asDouble()) + unit(claim)) : Html.MISSING)
                    .append("</td><td><blockquote>").append(Html.text(claim.path("text").asText(null)))
                    .append("</blockquote></td><td>");
            if (!hasValue) {
                // The claim in words is the growth from 2 to 4 nodes.
                h.append(scalingCell(links, null)).append("</td></tr>\n");
                continue;
            }
            List<PenaltyComparison> ours = new ArrayList<>();
            for (PenaltyComparison p : penalties) {
                // The numeric claim is about the 2-node cluster.
                if (p.nodes() == 2) {
                    ours.add(p);
                }
            }
            if (ours.isEmpty()) {
                h.append(Html.MISSING).append(" <span class=\"note\">(no AR-TCP series in this run)</span>");
            } else {
                for (PenaltyComparison p : ours) {
                    h.append("<div>").append(p.nodes()).append(" nodes, ").append(Html.text(p.delivery()))
                            .append(", ").append(Html.text(p.tool())).append(", ").append(Html.text(p.linkRate()))
                            .append(": ").append(ratioCell(p.latency())).append(" <code>")
                            .append(Html.escape(p.arTcpSeriesId())).append("</code> / <code>")
                            .append(Html.escape(p.plainSeriesId())).append("</code></div>");
                }
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        JsonNode testbed = published.get("testbed");
        if (testbed != null && testbed.isObject()) {
            h.append("<h3>The paper's testbed</h3>\n");
            keyValueTable(h, flatten(testbed), Map.of());
        }
        h.append("<p class=\"note\">Source: ").append(Html.text(published.path("source").asText(null)))
                .append("</p>\n");
    }

    private static String unit(JsonNode claim) {
        String unit = claim.path("unit").asText("");
        return "ratio".equals(unit) ? "×" : unit.isEmpty() ? "" : " " + unit;
    }

    private static void series(StringBuilder h, NetpipeSummary summary) {
        h.append("<h2 id=\"series\">Series and commands</h2>\n");
        if (summary.series().isEmpty()) {
            h.append("<p class=\"note\">— summary.json lists no series.</p>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th>series</th><th>label</th><th>tool</th><th>transport</th>"
                + "<th class=\"num\">nodes</th><th>delivery</th><th>link</th><th class=\"num\">points</th>"
                + "<th>command</th></tr></thead>\n<tbody>\n");
        for (Series s : summary.series()) {
            h.append("<tr><td><code class=\"id\">").append(Html.escape(s.id())).append("</code></td><td>")
                    .append(Html.text(s.label())).append("</td><td>").append(Html.text(s.tool())).append("</td><td>")
                    .append(Html.text(s.transport())).append("</td><td class=\"num\">").append(s.nodes())
                    .append("</td><td>").append(Html.text(s.delivery())).append("</td><td>")
                    .append(Html.text(s.linkRate())).append("</td><td class=\"num\">").append(s.points().size())
                    .append("</td><td>");
            if (s.command() == null && s.receiverCommand() == null) {
                h.append(Html.MISSING);
            } else {
                h.append("<code>").append(Html.text(s.command())).append("</code>");
                if (s.receiverCommand() != null) {
                    h.append("<div class=\"note\">receiver: <code>").append(Html.escape(s.receiverCommand()))
                            .append("</code></div>");
                }
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void numbers(StringBuilder h, NetpipeSummary summary) {
        h.append("<h2 id=\"numbers\">The numbers</h2>\n");
        h.append("<p class=\"note\">Mbps as NetPIPE prints it (bytes·8 / (t·2<sup>20</sup>)); one-way latency in µs; "
                + "RTT percentiles in µs from the HdrHistogram of every round trip, where the tool kept one "
                + "(netpipe-java), else —.</p>\n");
        for (Series s : summary.series()) {
            h.append("<details id=\"numbers-").append(Html.escape(s.id())).append("\">\n<summary><code>")
                    .append(Html.escape(s.id())).append("</code> — ").append(Html.escape(s.displayName()))
                    .append(" (").append(s.points().size()).append(" sizes)</summary>\n");
            h.append("<table>\n<thead><tr><th class=\"num\">bytes</th><th class=\"num\">Mbps</th>"
                    + "<th class=\"num\">one-way µs</th><th class=\"num\">RTT p50 µs</th><th class=\"num\">RTT p99 µs"
                    + "</th><th class=\"num\">RTT max µs</th></tr></thead>\n<tbody>\n");
            for (Point p : s.points()) {
                h.append("<tr><td class=\"num\">").append(p.bytes()).append("</td><td class=\"num\">")
                        .append(Html.number(p.mbps())).append("</td><td class=\"num\">")
                        .append(Html.number(p.oneWayUs())).append("</td><td class=\"num\">")
                        .append(Html.number(p.rttP50Us())).append("</td><td class=\"num\">")
                        .append(Html.number(p.rttP99Us())).append("</td><td class=\"num\">")
                        .append(Html.number(p.rttMaxUs())).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n</details>\n");
        }
    }

    static void environment(StringBuilder h, JsonNode env) {
        h.append("<h2 id=\"environment\">Environment</h2>\n");
        if (env == null) {
            h.append("<p class=\"note\">— env.json is missing from the results directory.</p>\n");
            return;
        }
        List<String[]> rows = flatten(env);
        for (String[] row : rows) {
            if (row[0].equals("memoryBytes") && row[1] != null && row[1].matches("\\d+")) {
                row[1] = row[1] + " (" + Html.number(Long.parseLong(row[1]) / (double) (1L << 30)) + " GiB)";
            }
        }
        keyValueTable(h, rows, ENV_LABELS);
    }

    static void configuration(StringBuilder h, JsonNode config) {
        h.append("<h2 id=\"configuration\">Configuration</h2>\n");
        if (config == null) {
            h.append("<p class=\"note\">— config.json is missing from the results directory.</p>\n");
            return;
        }
        h.append("<p class=\"note\">The experiment's options and the commands run, from config.json.</p>\n");
        keyValueTable(h, flatten(config), Map.of());
    }

    static void keyValueTable(StringBuilder h, List<String[]> rows, Map<String, String> labels) {
        if (rows.isEmpty()) {
            h.append("<p class=\"note\">— (empty)</p>\n");
            return;
        }
        h.append("<table>\n<tbody>\n");
        for (String[] row : rows) {
            String label = labels.getOrDefault(row[0], row[0]);
            h.append("<tr><th>").append(Html.escape(label)).append("</th><td>")
                    .append(row[1] == null ? Html.MISSING : "<code>" + Html.escape(row[1]) + "</code>")
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** Dotted paths to scalar values, in file order; null values stay null, arrays of scalars are joined. */
    static List<String[]> flatten(JsonNode node) {
        List<String[]> rows = new ArrayList<>();
        flatten("", node, rows);
        return rows;
    }

    private static void flatten(String path, JsonNode node, List<String[]> rows) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            rows.add(new String[] {path, null});
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                rows.add(new String[] {path, "{}"});
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), rows);
            }
        } else if (node.isArray()) {
            boolean scalars = true;
            for (JsonNode element : node) {
                scalars &= element.isValueNode();
            }
            if (scalars) {
                List<String> parts = new ArrayList<>();
                node.forEach(e -> parts.add(e.asText()));
                rows.add(new String[] {path, String.join(" ", parts)});
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(path + "[" + i + "]", node.get(i), rows);
                }
            }
        } else {
            rows.add(new String[] {path, node.asText()});
        }
    }
}
