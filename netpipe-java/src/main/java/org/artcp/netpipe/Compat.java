package org.artcp.netpipe;

/**
 * Which NetPIPE a run is compatible with: its trials, run time per trial, default end, output file and wire
 * protocol ({@code ../shared/NETPIPE.md}).
 */
public enum Compat {
    /** Debian's {@code NPtcp} 3.7.2: 3 trials of 0.10 s, end 10,000,000, {@code -p} and {@code -n}, {@code np.out}. */
    V3_7("3.7", 3, 0.10, 10_000_000, "np.out"),
    /** NetPIPE 2.4 as used by the paper: 7 trials of 0.25 s, end 2^31-1, perturbation fixed at 3, {@code NetPIPE.out}. */
    V2_4("2.4", 7, 0.25, Integer.MAX_VALUE, "NetPIPE.out");

    /** Perturbation NetPIPE uses unless told otherwise (2.4 cannot be told otherwise). */
    public static final int DEFAULT_PERTURBATION = 3;
    /** NetPIPE's {@code DEFPORT}. */
    public static final int DEFAULT_PORT = 5002;
    /** Ping-pongs before the main loop that give the first {@code tlast}. */
    public static final int LATENCY_REPS = 100;
    /** {@code NSAMP - 3}: the most points one run measures. */
    public static final int MAX_POINTS = 7997;
    /** {@code STOPTM}: the sweep stops after a point whose one-way time reached this. */
    public static final double STOP_SECONDS = 1.0;

    private final String label;
    private final int trials;
    private final double runSeconds;
    private final int defaultEnd;
    private final String defaultOutput;

    Compat(String label, int trials, double runSeconds, int defaultEnd, String defaultOutput) {
        this.label = label;
        this.trials = trials;
        this.runSeconds = runSeconds;
        this.defaultEnd = defaultEnd;
        this.defaultOutput = defaultOutput;
    }

    /** "3.7" or "2.4", as given to {@code --compat}. */
    public String label() { return label; }

    /** {@code TRIALS}: timed repetitions per point; the point reports the minimum. */
    public int trials() { return trials; }

    /** {@code RUNTM}: the target duration of one trial, in seconds. */
    public double runSeconds() { return runSeconds; }

    /** The default upper bound {@code -u}. */
    public int defaultEnd() { return defaultEnd; }

    /** The default output file name. */
    public String defaultOutput() { return defaultOutput; }

    /** Parses {@code --compat}'s value; null when it is neither "3.7" nor "2.4". */
    public static Compat parse(String text) {
        for (Compat c : values()) {
            if (c.label.equals(text)) {
                return c;
            }
        }
        if ("3".equals(text) || "3.7.2".equals(text)) {
            return V3_7;
        }
        if ("2".equals(text)) {
            return V2_4;
        }
        return null;
    }
}
