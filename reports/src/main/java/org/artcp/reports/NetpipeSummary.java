package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level {@code summary.json} of a {@code results/netpipe/<timestamp>/} directory
 * (docs/results-format.md), parsed without touching the file system.
 *
 * @param experiment always {@code "netpipe"} for these directories
 * @param started    ISO-8601 start of the run, or null
 * @param finished   ISO-8601 end of the run, or null
 * @param series     every series, in file order
 */
public record NetpipeSummary(String experiment, String started, String finished, List<Series> series) {

    /** The value of {@code tool} for Debian's C program. */
    public static final String TOOL_NPTCP = "NPtcp";
    /** The value of {@code tool} for the Java port. */
    public static final String TOOL_JAVA = "netpipe-java";

    public NetpipeSummary {
        series = List.copyOf(series);
    }

    /**
     * One NetPIPE sweep.
     *
     * @param transport {@code "plain-tcp"} or {@code "ar-tcp"}
     * @param nodes     AR-TCP nodes; 0 for plain TCP
     * @param delivery  null for plain TCP, {@code "best-effort"} or {@code "safe"} for AR-TCP
     * @param linkRate  {@code "unshaped"} or a tc rate such as {@code "100mbit"}
     * @param command   the exact transmitter command, or null
     * @param receiverCommand the receiver's command where the run recorded it, or null
     */
    public record Series(String id, String label, String tool, String transport, int nodes, String delivery,
                         String linkRate, String command, String receiverCommand, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }

        /** The label to show: {@code label}, or the id when there is none. */
        public String displayName() {
            return label == null || label.isBlank() ? id : label;
        }

        public Series withPoints(List<Point> newPoints) {
            return new Series(id, label, tool, transport, nodes, delivery, linkRate, command, receiverCommand,
                    newPoints);
        }
    }

    /**
     * One message size of a sweep. The RTT percentiles and {@code histogram} are null where the
     * tool kept no histogram (NPtcp).
     *
     * @param mbps          NetPIPE's throughput, bytes·8 / (t · 2^20)
     * @param oneWaySeconds NetPIPE's one-way time: half the best trial's mean round trip
     * @param histogram     path of the HdrHistogram log, relative to the results directory
     */
    public record Point(long bytes, double mbps, double oneWaySeconds, Double rttP50Us, Double rttP99Us,
                        Double rttMaxUs, String histogram) {

        public double oneWayUs() {
            return oneWaySeconds * 1e6;
        }

        public Point withRtt(Double p50Us, Double p99Us, Double maxUs) {
            return new Point(bytes, mbps, oneWaySeconds, p50Us, p99Us, maxUs, histogram);
        }
    }

    /**
     * Reads the tree of a {@code summary.json}.
     *
     * @param source names the file in error messages
     * @throws ResultsFormatException when a required field is missing or has the wrong type
     */
    public static NetpipeSummary fromJson(JsonNode root, String source) throws ResultsFormatException {
        if (root == null || !root.isObject()) {
            throw new ResultsFormatException(source + ": expected a JSON object (docs/results-format.md)");
        }
        JsonNode seriesNode = root.get("series");
        if (seriesNode == null || !seriesNode.isArray()) {
            throw new ResultsFormatException(source + ": no \"series\" array (docs/results-format.md)");
        }
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < seriesNode.size(); i++) {
            series.add(parseSeries(seriesNode.get(i), source + ": series[" + i + "]"));
        }
        return new NetpipeSummary(text(root, "experiment"), text(root, "started"), text(root, "finished"), series);
    }

    private static Series parseSeries(JsonNode node, String where) throws ResultsFormatException {
        if (!node.isObject()) {
            throw new ResultsFormatException(where + ": expected an object");
        }
        String id = text(node, "id");
        if (id == null || id.isBlank()) {
            throw new ResultsFormatException(where + ": no \"id\"");
        }
        JsonNode pointsNode = node.get("points");
        if (pointsNode == null || !pointsNode.isArray()) {
            throw new ResultsFormatException(where + " (" + id + "): no \"points\" array");
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < pointsNode.size(); i++) {
            points.add(parsePoint(pointsNode.get(i), where + " (" + id + "): points[" + i + "]"));
        }
        JsonNode nodes = node.get("nodes");
        return new Series(id, text(node, "label"), text(node, "tool"), text(node, "transport"),
                nodes != null && nodes.canConvertToInt() ? nodes.asInt() : 0, text(node, "delivery"),
                text(node, "linkRate"), text(node, "command"), text(node, "receiverCommand"), points);
    }

    private static Point parsePoint(JsonNode node, String where) throws ResultsFormatException {
        if (!node.isObject()) {
            throw new ResultsFormatException(where + ": expected an object");
        }
        JsonNode bytes = node.get("bytes");
        if (bytes == null || !bytes.isIntegralNumber()) {
            throw new ResultsFormatException(where + ": \"bytes\" must be an integer");
        }
        return new Point(bytes.asLong(), requiredNumber(node, "mbps", where),
                requiredNumber(node, "oneWaySeconds", where), optionalNumber(node, "rttP50Us"),
                optionalNumber(node, "rttP99Us"), optionalNumber(node, "rttMaxUs"), text(node, "histogram"));
    }

    private static double requiredNumber(JsonNode node, String field, String where) throws ResultsFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new ResultsFormatException(where + ": \"" + field + "\" must be a number");
        }
        return value.asDouble();
    }

    private static Double optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
