package org.artcp.node.order;

/**
 * The primary's ordering numbers (paper §4.1): "an ordering number, which grows monotonically and
 * refolds at a bound". Packets of one request message share the number the message was given.
 * Internally a 64-bit position that never wraps; {@link #lastAssigned()} is the folded number
 * that goes on the wire.
 */
public final class Sequencer {
    private final SerialNumbers serial;
    private long lastPosition;

    /** @param lastPosition the position issued last (the next request gets the one after it) */
    public Sequencer(SerialNumbers serial, long lastPosition) {
        this.serial = serial;
        this.lastPosition = lastPosition;
    }

    /** Issues the next number and returns its position. */
    public long next() {
        return ++lastPosition;
    }

    /** The position issued last. */
    public long lastPosition() {
        return lastPosition;
    }

    /** The number issued last, folded: the scheduling header's "most recent ordering number of the causal requests". */
    public long lastAssigned() {
        return serial.fold(lastPosition);
    }

    /** Continues numbering after {@code basePosition} (a new primary after gap fill, paper §5.2). */
    public void resetTo(long basePosition) {
        this.lastPosition = basePosition;
    }
}
