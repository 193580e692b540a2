package org.artcp.orchestrator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code ./artcp cluster status} prints, built only from the recorded state and the nodes' views
 * (pure: no files, no clock), so tests feed it sample status documents.
 */
public final class ClusterStatusReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> HEADER = List.of("HOST", "RANK", "PID", "STATE", "ROLE", "TERM", "PRIMARY",
            "LIVE", "CONTIG/DELIV", "CONN", "AGE", "COUNTERS");

    private ClusterStatusReport() {
    }

    /** A heading line, then one row per node; counters show only the non-zero ones, as {@code name=value}. */
    public static String table(Cluster.State state, List<NodeView> views) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (NodeView v : views) {
            NodeStatus s = v.status();
            rows.add(List.of(v.member().host(), Integer.toString(v.member().rank()), Long.toString(v.member().pid()),
                    v.health().label(),
                    s == null || s.role() == null ? "-" : s.role(),
                    s == null ? "-" : Long.toString(s.term()),
                    s == null ? "-" : Integer.toString(s.primary()),
                    s == null ? "-" : s.liveRanks().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    s == null ? "-" : s.contiguous() + "/" + s.delivered(),
                    s == null ? "-" : Long.toString(s.connections()),
                    s == null ? "-" : age(v.ageMillis()),
                    s == null ? "" : s.nonZeroCounters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("cluster: ").append(state.settings().describe()).append("; started ").append(state.startedAt())
                .append(state.testbedOwned() ? "; testbed brought up by the cluster" : "").append('\n');
        sb.append("run dir: ").append(state.runDir()).append('\n');
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * One JSON document: {@code {"settings":…, "runDir":…, "testbedOwned":…, "nodes":[…]}} where each node is
     * its status document with {@code host}, {@code pidAlive}, {@code state} and {@code ageMillis} added (a node
     * without a status has only {@code host rank pid pidAlive state}).
     */
    public static String json(Cluster.State state, List<NodeView> views) {
        ObjectNode root = JSON.createObjectNode();
        root.set("settings", JSON.valueToTree(state.settings()));
        root.put("runDir", state.runDir());
        root.put("startedAt", state.startedAt());
        root.put("testbedOwned", state.testbedOwned());
        ArrayNode nodes = root.putArray("nodes");
        for (NodeView v : views) {
            ObjectNode n = JSON.createObjectNode();
            n.put("host", v.member().host());
            if (v.status() != null) {
                n.setAll(v.status().json());
            } else {
                n.put("rank", v.member().rank());
                n.put("pid", v.member().pid());
            }
            n.put("host", v.member().host());
            n.put("pidAlive", v.pidAlive());
            n.put("state", v.health().label());
            if (v.status() != null) {
                n.put("ageMillis", v.ageMillis());
            }
            nodes.add(n);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 0.3s}, {@code 12s}, {@code 4m05s}. */
    static String age(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long s = millis / 1000;
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
