package org.artcp.node.cm;

/**
 * Where a replicated connection is, as CM sees it from both of its sides: the client's segments and
 * the local stack's responses (RFC 9293 §3.3.2, folded to what the node needs). Every transition is
 * in {@link #on(ConnectionEvent)}; a connection leaves the table only from {@link #SYN_SEEN} (the
 * handshake timed out) or {@link #TIME_WAIT} (the reclaim delay passed).
 */
public enum ConnectionState {
    /** The client's SYN was accepted; the handshake's final ACK has not arrived yet. */
    SYN_SEEN,
    /** The client acknowledged the SYN-ACK: data may flow both ways. */
    ESTABLISHED,
    /** The client sent its FIN; the server may still send. */
    CLIENT_FIN,
    /** The local stack sent its FIN; the client may still send. */
    SERVER_FIN,
    /** Both sides sent their FIN; not both are acknowledged yet. */
    CLOSING,
    /** Closed (both FINs acknowledged, or a RST): kept for retransmissions until it is reclaimed. */
    TIME_WAIT;

    /** The state after {@code event}; an event that does not apply leaves the state as it is. */
    public ConnectionState on(ConnectionEvent event) {
        return switch (event) {
            case RESET -> TIME_WAIT;
            case HANDSHAKE_ACK -> this == SYN_SEEN ? ESTABLISHED : this;
            case CLIENT_FIN -> switch (this) {
                case SYN_SEEN, ESTABLISHED -> CLIENT_FIN;
                case SERVER_FIN -> CLOSING;
                default -> this;
            };
            case SERVER_FIN -> switch (this) {
                case SYN_SEEN, ESTABLISHED -> SERVER_FIN;
                case CLIENT_FIN -> CLOSING;
                default -> this;
            };
            case BOTH_FINS_ACKNOWLEDGED -> this == CLOSING ? TIME_WAIT : this;
        };
    }

    /** Whether the connection is closed and only waits to be reclaimed. */
    public boolean isClosed() {
        return this == TIME_WAIT;
    }
}
