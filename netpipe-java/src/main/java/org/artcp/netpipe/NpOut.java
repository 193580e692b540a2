package org.artcp.netpipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NetPIPE's output lines, byte for byte.
 *
 * <ul>
 *   <li>3.x {@code np.out}: {@code "%8d %lf %12.8lf\n"}: bytes, Mbps, one-way seconds.</li>
 *   <li>2.4 {@code NetPIPE.out}: {@code "%lf %lf %d %d %lf\n"}: one-way seconds, Mbps, bits, bytes, variance.</li>
 * </ul>
 * Mbps is NetPIPE's: {@code bytes * 8 / (t * 1024 * 1024)}. Numbers are rounded as glibc's printf rounds: the
 * exact binary value, ties to even (Java's {@code %f} rounds the shortest decimal half-up, which differs in the
 * last digit now and then).
 */
public final class NpOut {
    /** One line of {@code np.out}. */
    public record Point(long bytes, double mbps, double oneWaySeconds) {
    }

    private NpOut() {
    }

    /** NetPIPE's Mbps: {@code bytes * 8 / (seconds * 1024 * 1024)}. */
    public static double mbps(long bytes, double oneWaySeconds) {
        return (bytes * 8.0) / (oneWaySeconds * 1024 * 1024);
    }

    /** A 3.x {@code np.out} line, with its newline. */
    public static String format(long bytes, double mbps, double oneWaySeconds) {
        return pad(Long.toString(bytes), 8) + ' ' + fixed(mbps, 6) + ' ' + pad(fixed(oneWaySeconds, 8), 12) + '\n';
    }

    /** A 3.x {@code np.out} line for a point. */
    public static String format(Point p) {
        return format(p.bytes(), p.mbps(), p.oneWaySeconds());
    }

    /** A 2.4 {@code NetPIPE.out} line, with its newline. Bits are computed in 64 bits (C's int wraps at 256 MiB). */
    public static String format24(long bytes, double mbps, double oneWaySeconds, double variance) {
        return fixed(oneWaySeconds, 6) + ' ' + fixed(mbps, 6) + ' ' + (bytes * 8) + ' ' + bytes + ' '
                + fixed(variance, 6) + '\n';
    }

    /** C's {@code %.Nf}: exact binary value, round half to even, "inf"/"nan" for the non-finite. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if ((v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-")) {
            s = "-" + s; // C keeps the sign of a negative number that rounds to zero
        }
        return s;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** Parses one 3.x line; the 2.4 format is recognised by its five columns. */
    public static Point parseLine(String line) {
        String[] f = line.trim().split("\\s+");
        try {
            if (f.length == 3) {
                return new Point(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
            }
            if (f.length >= 5) { // 2.4: t, Mbps, bits, bytes, variance
                return new Point(Long.parseLong(f[3]), Double.parseDouble(f[1]), Double.parseDouble(f[0]));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a NetPIPE output line: '" + line + "'", e);
        }
        throw new IllegalArgumentException("not a NetPIPE output line: '" + line + "'");
    }

    /** Parses an {@code np.out} (or {@code NetPIPE.out}) file; blank lines are skipped. */
    public static List<Point> parse(Path file) throws IOException {
        List<Point> points = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                points.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return points;
    }

    /** {@link #parse(Path)} for callers that cannot take a checked exception. */
    public static List<Point> parseUnchecked(Path file) {
        try {
            return parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
