package org.artcp.node.net;

/** What {@link LinuxNet#receivePacket} reports besides the bytes: the frame's packet type and source MAC. */
public final class PacketInfo {
    /** {@code sll_pkttype}: 0 to this host, 1 broadcast, 2 multicast, 3 another host, 4 outgoing. */
    public int packetType;
    /** The sender's MAC address (6 bytes, overwritten by each receive). */
    public final byte[] sourceMac = new byte[6];
}
