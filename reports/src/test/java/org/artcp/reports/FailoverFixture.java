package org.artcp.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small {@code results/failover/<timestamp>/} and {@code results/detector/<timestamp>/} directories as
 * the benches write them (docs/failover.md), with hand-made numbers whose percentiles and verdicts the tests know.
 */
final class FailoverFixture {
    /** mysql, primary killed, best-effort: p50 300, p99 = max 450 (met), no error. */
    static final double[] PRIMARY_BE_STALLS = {300, 450, 200};
    /** mysql, backup killed, safe: 700 is an open stall (a lower bound): p99 700 missed; 2 errors in one crash. */
    static final double[] BACKUP_SAFE_STALLS = {100, 700, 150};
    /** netpipe, aggregator killed, best-effort: met. */
    static final double[] NETPIPE_AGGREGATOR_BE_STALLS = {50, 60};

    private FailoverFixture() {}

    static Path failover(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = NetpipeFixture.JSON.createObjectNode();
        root.put("experiment", "failover");
        root.put("started", "2026-11-27T00:30:00Z");
        root.put("finished", "2026-11-27T00:50:00Z");
        root.put("nodes", 3);
        root.put("crashesPerSeries", 3);
        root.put("stallTargetMs", 500);
        ArrayNode series = root.putArray("series");
        ArrayNode crashes = root.putArray("crashes");
        add(series, crashes, "mysql", "primary", "best-effort", PRIMARY_BE_STALLS, -1, 0);
        add(series, crashes, "mysql", "backup", "safe", BACKUP_SAFE_STALLS, 1, 2);
        add(series, crashes, "netpipe", "aggregator", "best-effort", NETPIPE_AGGREGATOR_BE_STALLS, -1, 0);
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), root);
        writeEnvAndConfig(dir, "failover");
        return dir;
    }

    /** One series; crash {@code bad} (0-based, -1 none) has {@code errors} errors, an open stall and a lost value. */
    private static void add(ArrayNode series, ArrayNode crashes, String app, String kind, String delivery,
                            double[] stalls, int bad, int errors) {
        boolean mysql = app.equals("mysql");
        String id = app + "-" + kind + "-" + (delivery.equals("safe") ? "safe" : "be");
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < stalls.length; i++) {
            values.add(stalls[i]);
            ObjectNode c = crashes.addObject();
            c.put("series", id);
            c.put("index", i + 1);
            c.put("dir", id + "/crash0" + (i + 1));
            c.put("victim", kind.equals("primary") ? "node1" : "node3");
            c.put("killedAt", "2026-11-27T00:31:0" + i + ".000Z");
            c.put("stallMs", stalls[i]);
            c.put("stallOpen", i == bad);
            c.put("worstThreadStallMs", i == bad ? 10_000 : stalls[i] * 2);
            c.put("worstThreadStallOpen", i == bad);
            c.put("operations", 5000);
            c.put("errors", i == bad ? errors : 0);
            c.put("firstError", i == bad ? "Communications link failure" : null);
            c.put("reconnects", i == bad ? 1 : 0);
            if (mysql) {
                ObjectNode h = c.putObject("history");
                h.put("ok", i != bad);
                h.put("acknowledged", 1000);
                h.put("indeterminate", 0);
                h.put("lost", i == bad ? 1 : 0);
                h.put("duplicated", 0);
                h.put("outOfOrder", 0);
                h.put("unexpected", 0);
                c.put("checksumsEqual", true);
            } else {
                c.putNull("history");
                c.putNull("checksumsEqual");
            }
            c.put("detectionMs", 240 + i);
            c.put("takeOverMs", kind.equals("primary") ? 260 + i : 240 + i);
            c.put("workerEnd", "done");
            c.putNull("problem");
        }
        ObjectNode s = series.addObject();
        s.put("id", id);
        s.put("label", app + ", " + kind + " killed, " + delivery);
        s.put("app", app);
        s.put("kind", kind);
        s.put("delivery", delivery);
        s.put("nodes", 3);
        s.put("crashes", stalls.length);
        s.put("measured", stalls.length);
        s.put("problems", 0);
        s.put("clientErrors", errors);
        s.put("crashesWithErrors", bad >= 0 ? 1 : 0);
        s.put("reconnects", bad >= 0 ? 1 : 0);
        if (mysql) {
            ObjectNode h = s.putObject("history");
            h.put("checked", stalls.length);
            h.put("ok", stalls.length - (bad >= 0 ? 1 : 0));
            h.put("lost", bad >= 0 ? 1 : 0);
            h.put("duplicated", 0);
            h.put("outOfOrder", 0);
            h.put("unexpected", 0);
            ObjectNode sums = s.putObject("checksums");
            sums.put("checked", stalls.length);
            sums.put("equal", stalls.length);
        } else {
            s.putNull("history");
            s.putNull("checksums");
        }
        distribution(s.putObject("stallMs"), values);
        distribution(s.putObject("worstThreadStallMs"), values.stream().map(v -> v * 2).toList());
        List<Double> detection = new ArrayList<>();
        for (int i = 0; i < stalls.length; i++) {
            detection.add(240.0 + i);
        }
        distribution(s.putObject("detectionMs"), detection);
        distribution(s.putObject("takeOverMs"), detection);
    }

    private static void distribution(ObjectNode n, List<Double> values) {
        FailoverSummary.Distribution d = FailoverSummary.Distribution.of(values);
        n.put("count", d.count());
        n.put("p50", d.p50());
        n.put("p99", d.p99());
        n.put("max", d.max());
    }

    /**
     * Timeouts 50 ms (4 false suspicions; detection 60, 80, 85), 100 ms (no kill detected) and 250 ms (none; 262,
     * 280, 280), as {@code bench detector} writes them: the load and start under {@code config}, detection times as
     * {@code detectionFirstMs} / {@code detectionLastMs} with their values.
     */
    static Path detector(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = NetpipeFixture.JSON.createObjectNode();
        root.put("experiment", "detector");
        ObjectNode config = root.putObject("config");
        config.put("startedAt", "2026-11-27T00:10:00Z");
        config.put("load", "CPU hogs in client1 and client2, NPtcp through the portal");
        ArrayNode timeouts = root.putArray("timeouts");
        timeout(timeouts, 250, 0, new double[] {262, 280, 280});
        timeout(timeouts, 50, 4, new double[] {60, 80, 85});
        timeout(timeouts, 100, 0, new double[] {});
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), root);
        writeEnvAndConfig(dir, "detector");
        return dir;
    }

    private static void timeout(ArrayNode timeouts, int ms, int falseSuspicions, double[] detections) {
        ObjectNode t = timeouts.addObject();
        t.put("failureTimeoutMs", ms);
        t.put("heartbeatMs", 10);
        t.put("rounds", 3);
        t.put("soakSeconds", 60.0);
        t.put("falseSuspicions", falseSuspicions);
        t.put("falseSuspicionsPerHour", falseSuspicions * 60.0);
        t.put("kills", 3);
        t.put("detected", detections.length);
        for (String name : List.of("detectionFirstMs", "detectionLastMs")) {
            ObjectNode d = t.putObject(name);
            d.put("n", detections.length);
            ArrayNode values = d.putArray("values");
            for (double v : detections) {
                values.add(name.equals("detectionLastMs") ? v + 5 : v);
            }
            if (detections.length > 0) {
                d.put("min", detections[0]);
                d.put("p50", detections[(detections.length - 1) / 2]);
                d.put("max", detections[detections.length - 1] + (name.equals("detectionLastMs") ? 5 : 0));
            } else {
                d.putNull("min");
                d.putNull("p50");
                d.putNull("max");
            }
        }
    }

    private static void writeEnvAndConfig(Path dir, String experiment) throws IOException {
        ObjectNode env = NetpipeFixture.JSON.createObjectNode();
        env.put("hostname", "test");
        env.put("cpus", 2);
        NetpipeFixture.JSON.writeValue(dir.resolve("env.json").toFile(), env);
        ObjectNode config = NetpipeFixture.JSON.createObjectNode();
        config.put("experiment", experiment);
        config.put("command", "./artcp bench " + experiment + " --crashes 3");
        NetpipeFixture.JSON.writeValue(dir.resolve("config.json").toFile(), config);
    }
}
