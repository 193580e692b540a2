package org.artcp.node.order;

/**
 * Serial-number arithmetic (RFC 1982, https://www.rfc-editor.org/rfc/rfc1982) generalised from a
 * power-of-two space to any fold bound {@code M}: numbers live in {@code [0, M)}, grow by
 * {@link #next} and fold back to 0 at {@code M}.
 *
 * <p>{@code a < b} exactly when the forward distance {@code d = (b - a) mod M} satisfies
 * {@code 0 < d} and {@code 2d < M}; when {@code 2d == M} the comparison is undefined (RFC 1982
 * §3.2) and both {@link #lessThan} and {@link #greaterThan} answer {@code false}. Callers keep every
 * number they compare within less than {@code M / 2} of each other (the sequencer's window does
 * this for ordering numbers), so the undefined case never arises in the protocol.
 *
 * <p>This is the one helper used for every wrapping number in the node: AR-TCP ordering numbers
 * (paper §4.1, "grows monotonically and refolds at a bound") and TCP sequence numbers
 * ({@link #TCP}). Never compare such numbers with {@code <}.
 */
public final class SerialNumbers {
    /** 32-bit TCP sequence and ACK numbers (RFC 9293 §3.4). */
    public static final SerialNumbers TCP = new SerialNumbers(1L << 32);

    /** The largest fold bound an ordering number may have: it must fit the tunnel frame's 32-bit field. */
    public static final long MAX_ORDERING_BOUND = 1L << 32;

    private final long modulus;

    private SerialNumbers(long modulus) {
        this.modulus = modulus;
    }

    /**
     * Serial numbers folding at {@code foldBound}.
     *
     * @param foldBound the modulus M, at least 4 and at most 2^32
     */
    public static SerialNumbers withFoldBound(long foldBound) {
        if (foldBound < 4 || foldBound > MAX_ORDERING_BOUND) {
            throw new IllegalArgumentException("fold bound must be in [4, 2^32]: " + foldBound);
        }
        return foldBound == TCP.modulus ? TCP : new SerialNumbers(foldBound);
    }

    /** The fold bound M: numbers are in {@code [0, M)}. */
    public long foldBound() {
        return modulus;
    }

    /** Whether {@code n} is a number of this space. */
    public boolean isValid(long n) {
        return n >= 0 && n < modulus;
    }

    /** {@code n + 1}, folded. */
    public long next(long n) {
        long r = n + 1;
        return r == modulus ? 0 : r;
    }

    /** {@code n + delta}, folded; {@code delta} may be negative. */
    public long add(long n, long delta) {
        return Math.floorMod(n + delta, modulus);
    }

    /** The forward distance from {@code from} to {@code to}: {@code (to - from) mod M}, in {@code [0, M)}. */
    public long distance(long from, long to) {
        return Math.floorMod(to - from, modulus);
    }

    /** RFC 1982 {@code a < b}. */
    public boolean lessThan(long a, long b) {
        long d = distance(a, b);
        return d != 0 && 2 * d < modulus;
    }

    /** RFC 1982 {@code a > b}. */
    public boolean greaterThan(long a, long b) {
        return lessThan(b, a);
    }

    /** {@code a <= b}: equal, or {@link #lessThan}. */
    public boolean lessOrEqual(long a, long b) {
        return a == b || lessThan(a, b);
    }

    /** {@code a >= b}: equal, or {@link #greaterThan}. */
    public boolean greaterOrEqual(long a, long b) {
        return a == b || greaterThan(a, b);
    }

    /** The later of two numbers under {@link #greaterThan} ({@code a} when they are not comparable). */
    public long max(long a, long b) {
        return greaterThan(b, a) ? b : a;
    }

    /** The earlier of two numbers under {@link #lessThan} ({@code a} when they are not comparable). */
    public long min(long a, long b) {
        return lessThan(b, a) ? b : a;
    }

    /**
     * The number on the wire for an unwrapped position: {@code position mod M}. Cores keep ordering
     * numbers as unwrapped 64-bit positions (which never wrap in practice, so compare with {@code <})
     * and fold them only on the wire.
     */
    public long fold(long position) {
        return Math.floorMod(position, modulus);
    }

    /**
     * The position nearest {@code referencePosition} whose folded value is {@code n}: the inverse of
     * {@link #fold} for numbers within {@code M / 2} of the reference (ties resolve backwards).
     */
    public long unwrap(long n, long referencePosition) {
        long d = distance(fold(referencePosition), n);
        return 2 * d < modulus ? referencePosition + d : referencePosition + d - modulus;
    }

    @Override
    public String toString() {
        return "SerialNumbers[foldBound=" + modulus + "]";
    }
}
