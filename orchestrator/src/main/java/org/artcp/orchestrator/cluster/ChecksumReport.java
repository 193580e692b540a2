package org.artcp.orchestrator.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code CHECKSUM TABLE} of every base table of the benchmark database on every replica ({@code ./artcp cluster
 * checksum}). A table missing on a replica has no checksum there (null) and counts as differing.
 *
 * @param hosts     the replicas, in node order
 * @param checksums table name → one checksum per host, in {@code hosts} order (null: no such table there)
 */
public record ChecksumReport(List<String> hosts, SortedMap<String, List<Long>> checksums) {
    public ChecksumReport {
        hosts = List.copyOf(hosts);
        SortedMap<String, List<Long>> copy = new TreeMap<>();
        for (Map.Entry<String, List<Long>> e : checksums.entrySet()) {
            if (e.getValue().size() != hosts.size()) {
                throw new IllegalArgumentException(e.getKey() + ": " + e.getValue().size() + " checksums for "
                        + hosts.size() + " hosts");
            }
            // not List.copyOf: a missing table is a null checksum
            copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
        }
        checksums = Collections.unmodifiableSortedMap(copy);
    }

    /** From each host's {@code table → checksum} (a missing table is simply absent there). */
    public static ChecksumReport of(Map<String, Map<String, Long>> perHost) {
        List<String> hosts = List.copyOf(perHost.keySet());
        SortedMap<String, List<Long>> sums = new TreeMap<>();
        perHost.values().forEach(tables -> tables.keySet().forEach(t -> sums.put(t, new ArrayList<>())));
        for (Map.Entry<String, List<Long>> e : sums.entrySet()) {
            for (String h : hosts) {
                e.getValue().add(perHost.get(h).get(e.getKey()));
            }
        }
        return new ChecksumReport(hosts, sums);
    }

    /**
     * Reads {@code CHECKSUM TABLE}'s batch output, lines {@code db.table<TAB>checksum} (checksum {@code NULL}
     * for a table that vanished meanwhile), into {@code table → checksum}.
     */
    public static Map<String, Long> parse(List<String> checksumTableOutput) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : checksumTableOutput) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 2) {
                throw new IllegalArgumentException("not a CHECKSUM TABLE line: " + line);
            }
            m.put(f[0], f[1].equals("NULL") ? null : Long.parseLong(f[1]));
        }
        return m;
    }

    /** Whether every table exists on every replica with one checksum. */
    public boolean identical() {
        return differing().isEmpty();
    }

    /** The tables whose checksums differ, or that some replica lacks, in name order. */
    public List<String> differing() {
        return checksums.entrySet().stream()
                .filter(e -> e.getValue().contains(null) || e.getValue().stream().distinct().count() > 1)
                .map(Map.Entry::getKey).toList();
    }

    /** A table: {@code TABLE node1 node2 …}, one row per table, {@code -} for a missing one, then a verdict line. */
    public String table() {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("TABLE"));
        header.addAll(hosts);
        rows.add(header);
        checksums.forEach((t, sums) -> {
            List<String> row = new ArrayList<>(List.of(t));
            sums.forEach(s -> row.add(s == null ? "-" : Long.toString(s)));
            rows.add(row);
        });
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s  ", r.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** One line: {@code identical: 3 tables on node1, node2} or {@code replicas differ in db.t1, db.t2}. */
    public String verdict() {
        if (identical()) {
            return "identical: " + checksums.size() + (checksums.size() == 1 ? " table" : " tables") + " on "
                    + String.join(", ", hosts);
        }
        return "replicas differ in " + String.join(", ", differing());
    }
}
