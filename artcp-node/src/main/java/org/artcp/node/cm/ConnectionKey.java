package org.artcp.node.cm;

/**
 * A connection's 4-tuple packed into one {@code long}: the client's address (32 bits), the client's
 * port and the server's port (16 bits each). The fourth element, the server's address, is the portal
 * IP, the same for every connection of a node, so it needs no bits. The key is also the connection id
 * MO uses ({@code NodeCore.onClientRequest}). No allocation.
 */
public final class ConnectionKey {
    private ConnectionKey() {
    }

    /** The key of the connection from {@code clientAddress:clientPort} to {@code portal:serverPort}. */
    public static long of(int clientAddress, int clientPort, int serverPort) {
        return (clientAddress & 0xFFFF_FFFFL) << 32 | (long) (clientPort & 0xFFFF) << 16 | (serverPort & 0xFFFF);
    }

    public static int clientAddress(long key) {
        return (int) (key >>> 32);
    }

    public static int clientPort(long key) {
        return (int) (key >>> 16) & 0xFFFF;
    }

    public static int serverPort(long key) {
        return (int) key & 0xFFFF;
    }

    /** For logs: {@code a.b.c.d:port->:port}. */
    public static String format(long key) {
        return org.artcp.node.packet.Ipv4Packet.formatAddress(clientAddress(key)) + ":" + clientPort(key) + "->:"
                + serverPort(key);
    }
}
