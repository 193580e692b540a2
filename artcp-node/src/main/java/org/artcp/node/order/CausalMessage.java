package org.artcp.node.order;

/**
 * One causal request message as held by a node: its ordering number (and unwrapped position), connection, client sequence
 * number, the aggregator ring it was numbered under, and its packets as they arrive.
 */
public final class CausalMessage {
    private final long position;
    private final long orderingNumber;
    private final long connectionId;
    private final long clientSequence;
    private final int ringMask;
    private final byte[][] packets;
    private int received;

    /**
     * @param position       the unwrapped ordering number (see {@link SerialNumbers#unwrap})
     * @param orderingNumber the folded number on the wire
     */
    public CausalMessage(long position, long orderingNumber, long connectionId, long clientSequence, int ringMask,
                         int packetCount) {
        this.position = position;
        this.orderingNumber = orderingNumber;
        this.connectionId = connectionId;
        this.clientSequence = clientSequence;
        this.ringMask = ringMask;
        this.packets = new byte[packetCount][];
    }

    /** Stores packet {@code index}; false if it was already held. */
    public boolean addPacket(int index, byte[] packet) {
        if (packets[index] != null) {
            return false;
        }
        packets[index] = packet;
        received++;
        return true;
    }

    /** Whether every packet of the message is held. */
    public boolean complete() {
        return received == packets.length;
    }

    /** The unwrapped ordering number. */
    public long position() {
        return position;
    }

    /** The ordering number as on the wire (folded at the bound). */
    public long orderingNumber() {
        return orderingNumber;
    }

    public long connectionId() {
        return connectionId;
    }

    public long clientSequence() {
        return clientSequence;
    }

    /** The live-backup ring (bit mask) under which the primary numbered this request. */
    public int ringMask() {
        return ringMask;
    }

    public int packetCount() {
        return packets.length;
    }

    /** Packet {@code i}, or {@code null} if not yet received. The array is shared, not copied. */
    public byte[] packet(int i) {
        return packets[i];
    }

    /** The packets (shared, not copied). */
    public byte[][] packets() {
        return packets;
    }
}
