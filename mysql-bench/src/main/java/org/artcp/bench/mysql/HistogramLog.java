package org.artcp.bench.mysql;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * HdrHistogram log files of response times in nanoseconds, one interval per file: the same
 * format netpipe-java writes and the reports read ({@code HistogramFiles}).
 */
public final class HistogramLog {
    private HistogramLog() {}

    public static void write(Path file, Histogram ns, String comment, long startMs, long endMs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Histogram copy = ns.copy();
        copy.setStartTimeStamp(startMs);
        copy.setEndTimeStamp(Math.max(startMs, endMs));
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment(comment.replace('\n', ' '));
            w.outputLogFormatVersion();
            w.outputStartTime(startMs);
            w.setBaseTime(startMs);
            w.outputLegend();
            w.outputIntervalHistogram(copy);
        }
    }

    /** Every interval of the log added up; an empty histogram when it holds none. */
    public static Histogram read(Path file) throws IOException {
        Histogram total = new Histogram(3);
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h instanceof Histogram interval) {
                    total.add(interval);
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable HdrHistogram log: " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        return total;
    }
}
