package org.artcp.netpipe;

import java.util.Locale;

/**
 * One measured point: NetPIPE's figures (minimum one-way time over the trials, Mbps) and, on the transmitter, the
 * distribution of every round trip.
 *
 * @param index         the point's number from 0, as in NPtcp's progress lines
 * @param bytes         message size
 * @param nrepeat       ping-pongs per trial
 * @param trials        trials run
 * @param oneWaySeconds minimum over the trials of elapsed / nrepeat / 2
 * @param mbps          NetPIPE's Mbps ({@link NpOut#mbps})
 * @param variance      2.4's variance of the trials' one-way times; NaN in 3.x
 * @param rtt           the round trips' summary; null on the receiver
 * @param histogram     path of the point's .hlog relative to the results directory; null on the receiver
 */
public record PointResult(int index, int bytes, int nrepeat, int trials, double oneWaySeconds, double mbps,
        double variance, RttSummary rtt, String histogram) {

    /** Round-trip statistics from the point's HdrHistogram, in microseconds. */
    public record RttSummary(long count, double minUs, double p50Us, double p90Us, double p99Us, double maxUs) {
        static RttSummary of(org.HdrHistogram.Histogram h) {
            return new RttSummary(h.getTotalCount(), h.getMinValue() / 1000.0, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
        }
    }

    /** NPtcp's progress line: {@code "%3d: %7d bytes %6d times --> %8.2lf Mbps in %10.2lf usec"}. */
    public String progressLine() {
        return String.format(Locale.ROOT, "%3d: %7d bytes %6d times -->  %8.2f Mbps in %10.2f usec", index, bytes,
                nrepeat, mbps, oneWaySeconds * 1.0e6);
    }
}
