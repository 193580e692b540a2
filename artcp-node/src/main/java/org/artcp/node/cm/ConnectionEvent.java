package org.artcp.node.cm;

/** The inputs that move a {@link ConnectionState}. */
public enum ConnectionEvent {
    /** The client's ACK covers the SYN-ACK (the handshake's third segment, or any later one). */
    HANDSHAKE_ACK,
    /** The client sent a FIN (a new one, not a retransmission). */
    CLIENT_FIN,
    /** The local stack sent a FIN. */
    SERVER_FIN,
    /** The local stack acknowledged the client's FIN and the client acknowledged the local FIN. */
    BOTH_FINS_ACKNOWLEDGED,
    /** A RST from either side. */
    RESET
}
