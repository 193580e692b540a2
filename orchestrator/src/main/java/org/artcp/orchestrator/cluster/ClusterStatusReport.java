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
    private static final List<String> HEADER = List.of("HOST", "RANK", "PID", "STATE", "FAULT", "ROLE", "TERM", "PRIMARY",
            "LIVE", "CONTIG/DELIV", "CONN", "AGE", "COUNTERS");

    private ClusterStatusReport() {
    }

    /** A heading line, then one row per node; counters show only the non-zero ones, as {@code name=value}. */
    public static String table(Cluster.State state, List<NodeView> views) {
        return table(state, views, List.of());
    }

    /**
     * As {@link #table(Cluster.State, List)}, with columns {@code DB} (up, down or dead) and {@code DBPID} for the
     * MariaDB replicas when {@code replicas} is not empty.
     */
    public static String table(Cluster.State state, List<NodeView> views, List<ReplicaView> replicas) {
        List<String> header = new ArrayList<>(HEADER);
        if (!replicas.isEmpty()) {
            header.addAll(header.size() - 1, List.of("DB", "DBPID"));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (NodeView v : views) {
            NodeStatus s = v.status();
            List<String> row = new ArrayList<>(List.of(v.member().host(), Integer.toString(v.member().rank()),
                    v.member().pid() == 0 ? "-" : Long.toString(v.member().pid()),
                    v.health().label(),
                    v.member().faultState().label(),
                    s == null || s.role() == null ? "-" : s.role(),
                    s == null ? "-" : Long.toString(s.term()),
                    s == null ? "-" : Integer.toString(s.primary()),
                    s == null ? "-" : s.liveRanks().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    s == null ? "-" : s.contiguous() + "/" + s.delivered(),
                    s == null ? "-" : Long.toString(s.connections()),
                    s == null ? "-" : age(v.ageMillis()),
                    s == null ? "" : s.nonZeroCounters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))));
            if (!replicas.isEmpty()) {
                ReplicaView r = replicas.stream().filter(x -> x.host().equals(v.member().host())).findFirst().orElse(null);
                row.addAll(row.size() - 1, List.of(r == null ? "-" : r.label(),
                        r == null || r.pid() == 0 ? "-" : Long.toString(r.pid())));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
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
     * without a status has only {@code host rank pid pidAlive state}), and {@code fault} (the FAULT column's label) and
     * {@code faults} ({@code killed killedAt paused pausedAt cut cutAt lossPercent}).
     */
    public static String json(Cluster.State state, List<NodeView> views) {
        return json(state, views, List.of());
    }

    /**
     * As {@link #json(Cluster.State, List)}, each node with a {@code "mysql": {socket, pid, pidAlive, up, state}}
     * object when {@code replicas} is not empty. The password in the settings shows as {@code ***}.
     */
    public static String json(Cluster.State state, List<NodeView> views, List<ReplicaView> replicas) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode settings = JSON.valueToTree(state.settings());
        if (settings.path("mysql") instanceof ObjectNode m && !m.path("password").asText("").isEmpty()) {
            m.put("password", "***");
        }
        root.set("settings", settings);
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
            FaultState f = v.member().faultState();
            n.put("fault", f.label());
            ObjectNode faults = n.putObject("faults");
            faults.put("killed", f.killed());
            faults.put("killedAt", f.killedAt());
            faults.put("paused", f.paused());
            faults.put("pausedAt", f.pausedAt());
            faults.put("cut", f.cut());
            faults.put("cutAt", f.cutAt());
            faults.put("lossPercent", f.lossPercent());
            if (v.status() != null) {
                n.put("ageMillis", v.ageMillis());
            }
            replicas.stream().filter(r -> r.host().equals(v.member().host())).findFirst().ifPresent(r -> {
                ObjectNode m = n.putObject("mysql");
                m.put("socket", r.socket());
                m.put("pid", r.pid());
                m.put("pidAlive", r.pidAlive());
                m.put("up", r.up());
                m.put("state", r.label());
            });
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
