package org.artcp.bench.mysql;

import org.HdrHistogram.Histogram;

/**
 * The response times of one kind of request: an HdrHistogram in nanoseconds (3 significant digits,
 * growing as needed) and the exact sum, so the mean is exact where percentiles are within 0.1%.
 * Not thread-safe: one per thread, {@link #add}ed together at the end.
 */
public final class Latencies {
    private final Histogram histogram = new Histogram(3);
    private long sumNs;
    private long errors;
    private String firstError;

    public void record(long ns) {
        long value = Math.max(1, ns);
        histogram.recordValue(value);
        sumNs += value;
    }

    /** A request that failed: counted, not timed; the first reason is kept. */
    public void recordError(String why) {
        errors++;
        if (firstError == null) {
            firstError = why;
        }
    }

    /** Why the first failed request failed, or null. */
    public String firstError() {
        return firstError;
    }

    public void add(Latencies other) {
        histogram.add(other.histogram);
        sumNs += other.sumNs;
        errors += other.errors;
        if (firstError == null) {
            firstError = other.firstError;
        }
    }

    public Histogram histogram() {
        return histogram;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long errors() {
        return errors;
    }

    public long sumNs() {
        return sumNs;
    }

    /** The numbers a summary shows, in microseconds. */
    public Stats stats() {
        long n = count();
        if (n == 0) {
            return new Stats(0, errors, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(n, errors, sumNs / (double) n / 1000.0, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(90) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMinValue() / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    /** Counts and response times in microseconds; NaN where nothing was timed. */
    public record Stats(long count, long errors, double meanUs, double p50Us, double p90Us, double p99Us,
                        double minUs, double maxUs) {}
}
