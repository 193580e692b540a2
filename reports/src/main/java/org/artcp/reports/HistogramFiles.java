package org.artcp.reports;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads the per-size HdrHistogram logs of netpipe-java ({@code <series>/histograms/<bytes>.hlog},
 * round trips in nanoseconds). The report uses them only where {@code summary.json} gives no
 * percentiles for a point that has a histogram.
 */
public final class HistogramFiles {
    private HistogramFiles() {}

    /** RTT percentiles of one log, in microseconds. */
    public record RttPercentiles(double p50Us, double p99Us, double maxUs, long count) {}

    /**
     * Adds up every interval of the log at {@code hlog}.
     *
     * @return empty when the file is missing, unreadable or holds no round trips
     */
    public static Optional<RttPercentiles> read(Path hlog) {
        if (!Files.isRegularFile(hlog)) {
            return Optional.empty();
        }
        try {
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            try {
                Histogram total = null;
                EncodableHistogram h;
                while ((h = reader.nextIntervalHistogram()) != null) {
                    if (h instanceof Histogram interval) {
                        if (total == null) {
                            total = new Histogram(interval.getNumberOfSignificantValueDigits());
                        }
                        total.add(interval);
                    }
                }
                if (total == null || total.getTotalCount() == 0) {
                    return Optional.empty();
                }
                return Optional.of(new RttPercentiles(total.getValueAtPercentile(50.0) / 1000.0,
                        total.getValueAtPercentile(99.0) / 1000.0, total.getMaxValue() / 1000.0,
                        total.getTotalCount()));
            } finally {
                reader.close();
            }
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // HdrHistogram reports a corrupt log with unchecked exceptions; a bad log shows as "—".
            return Optional.empty();
        }
    }
}
