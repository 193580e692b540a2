package org.artcp.netpipe;

/**
 * NetPIPE's repeat-count rule: enough ping-pongs that a trial lasts about {@code RUNTM}, extrapolated from the
 * previous point, never fewer than the number of trials.
 *
 * <pre>nrepeat = (int) MAX(RUNTM / ((double) bufflen / (bufflen - inc + 1.0) * tlast), TRIALS)</pre>
 * where {@code bufflen} is the previous size and {@code inc} the current increment.
 */
public final class RepeatCount {
    private RepeatCount() {
    }

    /**
     * @param runSeconds        {@code RUNTM}
     * @param previousBytes     {@code bufflen}: the previous point's size (3.x: {@code -l} before the first point;
     *                          2.4: 1)
     * @param increment         the current point's {@code inc}
     * @param lastOneWaySeconds {@code tlast}
     * @param trials            {@code TRIALS}
     */
    public static int compute(double runSeconds, int previousBytes, int increment, double lastOneWaySeconds,
            int trials) {
        double n = runSeconds / ((double) previousBytes / (previousBytes - increment + 1.0) * lastOneWaySeconds);
        // C's MAX macro ((x) > (y) ? (x) : (y)): a NaN loses; then the double is truncated into an int
        return (int) (n > trials ? n : trials);
    }
}
