package org.artcp.bench.mysql;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One request a failover client made and what came of it: the thread that made it, its kind, when it was sent and
 * when its response (or its failure) arrived, in microseconds since the epoch ({@link #nowMicros}), so the ops of
 * several client processes and the instants the orchestrator injects faults at lie on one time line.
 *
 * <p>A results file holds one op per line ({@link #CSV_HEADER}); {@link #writeCsv} and {@link #readCsv} are the two
 * ends of it, gzip-compressed when the file name ends in {@code .gz} (a ping-pong makes tens of thousands of ops a
 * second).
 *
 * @param kind  {@value #APPEND}, {@value #READ}, {@value #COMMIT} or {@value #PING}
 * @param ok    the client got the response it expected
 * @param error what the client saw instead; null when {@code ok}
 */
public record Op(int thread, String kind, long startMicros, long endMicros, boolean ok, String error) {
    public static final String APPEND = "append";
    public static final String READ = "read";
    public static final String COMMIT = "commit";
    public static final String PING = "ping";
    public static final String CSV_HEADER = "thread,kind,startMicros,endMicros,ok,error";
    private static final List<String> KINDS = List.of(APPEND, READ, COMMIT, PING);

    public Op {
        Objects.requireNonNull(kind, "kind");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("op kind '" + kind + "': one of " + KINDS);
        }
        if (endMicros < startMicros) {
            throw new IllegalArgumentException("op ends (" + endMicros + ") before it starts (" + startMicros + ")");
        }
        if (ok && error != null) {
            throw new IllegalArgumentException("an ok op has no error: " + error);
        }
    }

    /** A successful op. */
    public static Op ok(int thread, String kind, long startMicros, long endMicros) {
        return new Op(thread, kind, startMicros, endMicros, true, null);
    }

    /** A failed op; {@code error} says what the client saw. */
    public static Op failed(int thread, String kind, long startMicros, long endMicros, String error) {
        return new Op(thread, kind, startMicros, endMicros, false, error == null || error.isEmpty() ? "(no message)" : error);
    }

    /** Wall-clock microseconds since the epoch, the time line of every op. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** This op as one CSV line (no line break); the error is quoted when it holds a comma, a quote or a line break. */
    public String toCsv() {
        return thread + "," + kind + "," + startMicros + "," + endMicros + "," + ok + "," + (error == null ? "" : quote(error));
    }

    /** Parses a line {@link #toCsv} wrote. */
    public static Op fromCsv(String line) {
        String[] f = line.split(",", 6);
        if (f.length != 6) {
            throw new IllegalArgumentException("an op line has 6 fields (" + CSV_HEADER + "): " + line);
        }
        try {
            boolean ok = Boolean.parseBoolean(f[4]);
            String error = f[5].isEmpty() ? null : unquote(f[5]);
            return new Op(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), ok, error);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an op line (" + CSV_HEADER + "): " + line, e);
        }
    }

    /** Writes the header and one line per op. */
    public static void writeCsv(Path file, Iterable<Op> ops) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file);
        if (file.toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(CSV_HEADER);
            w.write('\n');
            for (Op op : ops) {
                w.write(op.toCsv());
                w.write('\n');
            }
        }
    }

    /**
     * The end instants of the successful ops of one or more files {@link #writeCsv} wrote, merged and sorted: what
     * {@link Stall#around(long[], long, long)} needs, without an object per op.
     */
    public static long[] completionsMicros(Path... files) throws IOException {
        long[] ends = new long[1 << 16];
        int n = 0;
        for (Path file : files) {
            try (BufferedReader r = reader(file)) {
                String header = r.readLine();
                if (!CSV_HEADER.equals(header)) {
                    throw new IOException(file + " does not start with the op header " + CSV_HEADER);
                }
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    Op op = fromCsv(line);
                    if (op.ok()) {
                        if (n == ends.length) {
                            ends = Arrays.copyOf(ends, 2 * n);
                        }
                        ends[n++] = op.endMicros();
                    }
                }
            }
        }
        long[] sorted = Arrays.copyOf(ends, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static BufferedReader reader(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Reads a file {@link #writeCsv} wrote. */
    public static List<Op> readCsv(Path file) throws IOException {
        try (BufferedReader r = reader(file)) {
            String header = r.readLine();
            if (!CSV_HEADER.equals(header)) {
                throw new IOException(file + " does not start with the op header " + CSV_HEADER);
            }
            List<Op> ops = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    ops.add(fromCsv(line));
                }
            }
            return ops;
        }
    }

    /** Errors are one line: line breaks become spaces; quotes are doubled, as in RFC 4180. */
    private static String quote(String s) {
        String oneLine = s.replace('\r', ' ').replace('\n', ' ');
        if (oneLine.indexOf(',') < 0 && oneLine.indexOf('"') < 0) {
            return oneLine;
        }
        return '"' + oneLine.replace("\"", "\"\"") + '"';
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }
}
