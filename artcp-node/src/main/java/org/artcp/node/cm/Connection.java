package org.artcp.node.cm;

import org.artcp.node.rc.ResponseNumbering;

/**
 * One replicated connection in the {@link ConnectionManager}'s table: its state, its
 * {@link SequenceTranslator}, its {@link ResponseNumbering} and what the legality checks need. Client
 * side numbers are the client's; server side numbers are the cluster's (what the client sees). Read
 * access is public, for status output and tests; only the manager changes a connection.
 */
public final class Connection {
    final long key;
    final SequenceTranslator translator;
    final ResponseNumbering numbering = new ResponseNumbering();
    ConnectionState state = ConnectionState.SYN_SEEN;
    final long clientIsn;
    /** RCV.NXT in the client's space: one past the highest client sequence number seen. */
    long clientNext;
    /** The highest ACK the client sent, in the cluster's space (SND.UNA as far as this node knows). */
    long clientAcked;
    /** One past the highest cluster sequence number sent to the client (SND.MAX). */
    long sentMax;
    /** The largest window, in bytes, either side may use; bounds the legality checks. */
    long windowBytes;
    boolean clientOfferedWindowScale;
    int serverWindowScale;
    boolean clientFinSeen;
    /** One past the client's FIN in the local stack's space. */
    long clientFinLocalEnd;
    boolean clientFinAcked;
    boolean serverFinSeen;
    /** One past the local stack's FIN in the cluster's space. */
    long serverFinEnd;
    boolean serverFinAcked;
    boolean reset;
    /** The base request is a duty read-only request: local segments go straight to the client. */
    boolean readOnlyBase;
    /** When the handshake times out (in {@link ConnectionState#SYN_SEEN}) or the connection is reclaimed (in TIME_WAIT). */
    long deadlineNs;

    Connection(long key, long clientIsn, long clusterIsn) {
        this.key = key;
        this.clientIsn = clientIsn;
        this.translator = new SequenceTranslator(clusterIsn);
        this.clientAcked = clusterIsn;
        this.sentMax = clusterIsn;
    }

    void on(ConnectionEvent event) {
        state = state.on(event);
    }

    public long key() {
        return key;
    }

    public ConnectionState state() {
        return state;
    }

    public SequenceTranslator translator() {
        return translator;
    }

    public ResponseNumbering numbering() {
        return numbering;
    }

    public long clientIsn() {
        return clientIsn;
    }

    /** One past the highest client sequence number seen. */
    public long clientNext() {
        return clientNext;
    }

    /** One past the highest cluster sequence number sent to the client. */
    public long sentMax() {
        return sentMax;
    }

    /** The highest ACK number the client sent. */
    public long clientAcked() {
        return clientAcked;
    }

    /** Whether the connection was reset. */
    public boolean isReset() {
        return reset;
    }

    @Override
    public String toString() {
        return "Connection[" + ConnectionKey.format(key) + ", " + state + ", " + translator + "]";
    }
}
