package org.artcp.node.order;

/**
 * The causal request messages a node holds, by position (the unwrapped ordering number): a
 * circular buffer over the positions after {@code head} (the last one trimmed), growing when a
 * message lands beyond its capacity. It keeps delivered messages until every live node holds them,
 * since any node may become primary and have to fill others' gaps from it (paper §5.2).
 */
public final class MessageLog {
    private CausalMessage[] slots;
    private long head;
    private int headIndex;

    /** @param head the position before the first one this log will hold */
    public MessageLog(long head, int initialCapacity) {
        this.head = head;
        this.slots = new CausalMessage[Math.max(4, initialCapacity)];
    }

    /** The position before the first one held. */
    public long head() {
        return head;
    }

    /** The message at {@code position}, or {@code null}. */
    public CausalMessage get(long position) {
        long d = position - head;
        if (d <= 0 || d > slots.length) {
            return null;
        }
        CausalMessage m = slots[slot(d)];
        return m != null && m.position() == position ? m : null;
    }

    /** Stores {@code m}; false if its position is not after the head. */
    public boolean put(CausalMessage m) {
        long d = m.position() - head;
        if (d <= 0) {
            return false;
        }
        if (d > slots.length) {
            grow(d);
        }
        slots[slot(d)] = m;
        return true;
    }

    /** Forgets every message up to {@code newHead}; a head behind the current one is ignored. */
    public void trimTo(long newHead) {
        long d = newHead - head;
        if (d <= 0) {
            return;
        }
        long clear = Math.min(d, slots.length);
        for (long i = 1; i <= clear; i++) {
            slots[slot(i)] = null;
        }
        headIndex = (int) ((headIndex + d) % slots.length);
        head = newHead;
    }

    /** Forgets every message after {@code position} (a new primary's base, paper §5.2). */
    public void discardAfter(long position) {
        long keep = Math.max(0, position - head);
        for (long d = keep + 1; d <= slots.length; d++) {
            slots[slot(d)] = null;
        }
    }

    private int slot(long d) {
        return (int) ((headIndex + d - 1) % slots.length);
    }

    private void grow(long needed) {
        if (needed > (1 << 24)) {
            throw new IllegalStateException("message log would exceed 2^24 slots");
        }
        int capacity = slots.length;
        while (capacity < needed) {
            capacity *= 2;
        }
        CausalMessage[] bigger = new CausalMessage[capacity];
        for (int d = 1; d <= slots.length; d++) {
            bigger[d - 1] = slots[slot(d)];
        }
        slots = bigger;
        headIndex = 0;
    }
}
