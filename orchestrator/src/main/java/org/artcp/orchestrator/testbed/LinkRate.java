package org.artcp.orchestrator.testbed;

import java.util.Locale;

/**
 * A link rate for {@code tc-tbf}, parsed the way {@code tc} parses a RATE (iproute2 {@code get_rate}):
 * a number followed by a unit matched case-insensitively — {@code bit kbit mbit gbit tbit}, the IEC
 * {@code kibit mibit gibit tibit}, or bytes per second {@code bps kbps mbps gbps tbps} and
 * {@code kibps mibps gibps tibps}. Beware that, as in {@code tc}, {@code 100mbps} means 100 megabytes
 * per second (800 Mbit/s); {@link #toString()} prints the canonical bit rate so the reading is visible.
 * Unlike {@code tc}, a bare number (which {@code tc} reads as bytes per second) is refused as ambiguous.
 *
 * @param bitsPerSecond the rate, between {@link #MIN_BITS_PER_SECOND} and {@link #MAX_BITS_PER_SECOND}
 */
public record LinkRate(long bitsPerSecond) {
    /** Below this a 1500-byte frame takes more than 100 ms to send; nothing the paper measured. */
    public static final long MIN_BITS_PER_SECOND = 100_000L;
    /** Far above what a veth on one machine can carry; a typo guard. */
    public static final long MAX_BITS_PER_SECOND = 1_000_000_000_000L;

    /** Largest frame on a veth with the default MTU: 1500 bytes of IP plus a 14-byte Ethernet header. */
    static final int FRAME_BYTES = 1514;
    /** How long a tbf queue may hold a packet before it is dropped, as {@code tc}'s {@code latency}. */
    public static final int TBF_LATENCY_MS = 50;

    private static final String[] SUFFIXES = {
        "bit", "kbit", "mbit", "gbit", "tbit", "kibit", "mibit", "gibit", "tibit",
        "bps", "kbps", "mbps", "gbps", "tbps", "kibps", "mibps", "gibps", "tibps"};
    private static final double[] SCALES = {
        1, 1e3, 1e6, 1e9, 1e12, 1024., 1024. * 1024, 1024. * 1024 * 1024, 1024. * 1024 * 1024 * 1024,
        8, 8e3, 8e6, 8e9, 8e12, 8 * 1024., 8 * 1024. * 1024, 8 * 1024. * 1024 * 1024, 8 * 1024. * 1024 * 1024 * 1024};

    public LinkRate {
        if (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("link rate " + bitsPerSecond + "bit is out of range "
                    + format(MIN_BITS_PER_SECOND) + ".." + format(MAX_BITS_PER_SECOND));
        }
    }

    /**
     * Parses a RATE as {@code tc} does (see the class comment).
     *
     * @throws IllegalArgumentException with a one-line message saying what a valid RATE looks like
     */
    public static LinkRate parse(String text) {
        String s = text == null ? "" : text.strip();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String number = s.substring(0, i);
        String unit = s.substring(i).toLowerCase(Locale.ROOT);
        if (number.isEmpty() || number.chars().filter(c -> c == '.').count() > 1 || number.equals(".")) {
            throw new IllegalArgumentException("invalid link rate '" + text + "': give a number and a unit as tc does, e.g. 100mbit, 1gbit, 512kbit");
        }
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("invalid link rate '" + text + "': give a unit (tc would read a bare number as bytes per second), e.g. 100mbit");
        }
        for (int k = 0; k < SUFFIXES.length; k++) {
            if (SUFFIXES[k].equals(unit)) {
                double bits = Double.parseDouble(number) * SCALES[k];
                if (bits < MIN_BITS_PER_SECOND || bits > MAX_BITS_PER_SECOND) {
                    throw new IllegalArgumentException("link rate '" + text + "' is out of range: use "
                            + format(MIN_BITS_PER_SECOND) + " to " + format(MAX_BITS_PER_SECOND));
                }
                return new LinkRate(Math.round(bits));
            }
        }
        throw new IllegalArgumentException("invalid link rate '" + text + "': unknown unit '" + s.substring(i)
                + "'; use bit, kbit, mbit, gbit (or tc's bps, kbps, mbps, … meaning bytes per second)");
    }

    /** The rate as {@code tc} should be given it: an exact integer of bits per second. */
    public String tcRate() {
        return bitsPerSecond + "bit";
    }

    /**
     * The tbf bucket size in bytes: 100 µs of traffic at this rate, but never less than two full frames
     * (a full frame must always fit; tbf segments larger GSO packets itself). A token bucket lets a
     * whole bucket through at veth speed, so a big bucket makes a link faster than its rate for
     * messages near the bucket's size: measured with NPtcp ping-pong at 100mbit, a 12.5 kB bucket gave
     * 110 Mbit/s at 64 KiB, this one 95 Mbit/s. tbf uses high-resolution timers, so the old
     * "burst ≥ rate/HZ" rule of tc-tbf(8) does not apply.
     */
    public long tbfBurstBytes() {
        return Math.max(bitsPerSecond / 8 / 10_000, 2L * FRAME_BYTES);
    }

    /** The arguments after {@code tc qdisc replace dev DEV root}. */
    public java.util.List<String> tbfArguments() {
        return java.util.List.of("tbf", "rate", tcRate(), "burst", Long.toString(tbfBurstBytes()),
                "latency", TBF_LATENCY_MS + "ms");
    }

    /** Canonical decimal form, e.g. {@code 100mbit}, {@code 1gbit}, {@code 1500kbit}. */
    @Override
    public String toString() {
        return format(bitsPerSecond);
    }

    private static String format(long bits) {
        if (bits % 1_000_000_000_000L == 0) {
            return bits / 1_000_000_000_000L + "tbit";
        }
        if (bits % 1_000_000_000L == 0) {
            return bits / 1_000_000_000L + "gbit";
        }
        if (bits % 1_000_000L == 0) {
            return bits / 1_000_000L + "mbit";
        }
        if (bits % 1_000L == 0) {
            return bits / 1_000L + "kbit";
        }
        return bits + "bit";
    }
}
