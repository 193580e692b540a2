package org.artcp.node;

/**
 * Where a {@link NodeCore} puts its effects: frames to send and requests to hand to the local
 * server. The data plane implements it over sockets and the TUN device; the simulation over its
 * network and checker. Calls happen synchronously inside {@code onFrame}, {@code onClientRequest}
 * and {@code doWork}; byte arrays passed in are only valid during the call.
 */
public interface NodeSink {
    /** Destination meaning "every other node" (the tunnel's multicast group). */
    int MULTICAST = -1;

    /** Sends {@code frame[offset, offset + length)} to node {@code toRank}, or to every other node. */
    void send(int toRank, byte[] frame, int offset, int length);

    /**
     * Delivers one causal request message, in ordering-number order, to the local server.
     *
     * @param ringMask the aggregator ring the request was numbered under (see {@code AggregatorRing})
     */
    void deliverCausal(long orderingNumber, long connectionId, long clientSequence, int ringMask, byte[][] packets);

    /** Serves a duty read-only request: every causal request up to {@code lastCausal} was delivered before it. */
    void serveReadOnly(long connectionId, long clientSequence, long lastCausal, byte[][] packets);

    /**
     * A negligible read-only request (served by another node), once every causal request ordered before
     * it was delivered: CM accounts its packets' lengths for sequence translation (equation 1), then drops them.
     */
    default void negligibleReadOnly(long connectionId, long clientSequence, byte[][] packets) {
    }

    /** Delivers a relayed pure ACK (possibly again, possibly out of order: TCP copes). */
    void deliverPureAck(long connectionId, byte[] packet);

    /** The node's role, term or primary changed. */
    default void roleChanged(org.artcp.node.membership.NodeRole role, long term, int primaryRank) {
    }
}
