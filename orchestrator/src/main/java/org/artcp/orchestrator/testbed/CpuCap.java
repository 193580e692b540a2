package org.artcp.orchestrator.testbed;

/**
 * A CPU cap for every process started in a node host, as a fraction of one CPU ({@code 0.5} = half a
 * core, {@code 2} = two cores), enforced by the CFS bandwidth controller: cgroup v1
 * {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us} or cgroup v2 {@code cpu.max}. This is what makes
 * "four independent machines" an honest emulation on a small box (DESIGN §5).
 *
 * @param cpus the fraction of one CPU, at least {@link #MIN_CPUS}
 */
public record CpuCap(double cpus) {
    /** The CFS period we use: the kernel default, 100 ms. */
    public static final long PERIOD_US = 100_000;
    /** The kernel refuses a quota below 1 ms. */
    public static final long MIN_QUOTA_US = 1_000;
    public static final double MIN_CPUS = 0.01;

    public CpuCap {
        if (!(cpus >= MIN_CPUS) || Double.isInfinite(cpus)) {
            throw new IllegalArgumentException("invalid node CPU cap " + cpus + ": give a fraction of one CPU of at least "
                    + MIN_CPUS + ", e.g. 0.5");
        }
    }

    /**
     * Parses and checks a cap against the machine: more CPUs than it has would cap nothing.
     *
     * @throws IllegalArgumentException with a one-line message
     */
    public static CpuCap parse(String text, int availableCpus) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid node CPU cap '" + text + "': give a fraction of one CPU, e.g. 0.5");
        }
        if (!(value >= MIN_CPUS) || value > availableCpus) {
            throw new IllegalArgumentException("node CPU cap '" + text + "' is out of range: use " + MIN_CPUS + " to "
                    + availableCpus + " (this machine has " + availableCpus + " CPUs)");
        }
        return new CpuCap(value);
    }

    /** Microseconds of CPU time the group may use per {@link #PERIOD_US}. */
    public long quotaUs() {
        return Math.max(MIN_QUOTA_US, Math.round(cpus * PERIOD_US));
    }

    /** The content of cgroup v2 {@code cpu.max}. */
    public String cpuMax() {
        return quotaUs() + " " + PERIOD_US;
    }

    @Override
    public String toString() {
        String s = Double.toString(cpus);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
