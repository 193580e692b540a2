package org.artcp.node.dataplane;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

import org.artcp.node.cm.ConnectionKey;
import org.artcp.node.mysql.MysqlHandshake;
import org.artcp.node.mysql.MysqlSession;
import org.artcp.node.mysql.PasswordHashes;
import org.artcp.node.mysql.SegmentVerdict;
import org.artcp.node.mysql.SqlClassifier;
import org.artcp.node.mysql.SqlPolicy;
import org.artcp.node.mysql.Verdict;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;
import org.artcp.node.process.NodeProcessConfig;

/**
 * What the data plane does for MySQL connections ({@code classifier = mysql}), per connection:
 * <ul>
 * <li>on the primary, before a new client segment is ordered: its class ({@link MysqlSession}: read-only
 *     or causal, paper §4.2), the refusal of nondeterministic updates (rewritten in place), and the
 *     in-order admission that read-only dispatch needs;</li>
 * <li>on every node, the handshake ({@link MysqlHandshake}): the local server's greeting is rewritten to
 *     the connection's cluster scramble, so every replica's greeting is the same bytes, and the client's
 *     password answer, computed for that scramble, is re-derived for the local server's own.</li>
 * </ul>
 * Stream offsets count payload bytes from the first one after the SYN, in the client's space for client
 * bytes and in the local stack's own space for the local server's bytes (which has no gaps: the local
 * server sends only what it sends).
 */
final class MysqlTraffic {
    /** What the primary does with a new client segment. */
    enum Admission {
        CAUSAL, READ_ONLY, OUT_OF_ORDER,
        /** {@link SegmentVerdict.Kind#PREVIOUS_STATEMENT_DIAGNOSTICS}: the caller decides by the previous request. */
        PREVIOUS_STATEMENT
    }


    private static final class State {
        final long clientIsn;
        MysqlSession session;
        MysqlHandshake handshake;
        /** The next client stream offset the primary admits (new data must start here). */
        long admittedNext;
        /** The client sequence number of the last segment ordered as read-only, or -1. */
        long lastReadOnlySequence = -1;
        boolean warned;

        State(long clientIsn) {
            this.clientIsn = clientIsn;
        }
    }

    private final SqlClassifier classifier;
    private final MysqlSession.Nondeterministic nondeterministic;
    private final PasswordHashes passwords;
    private final byte[] clusterKey;
    private final PrintStream log;
    private final Map<Long, State> states = new HashMap<>();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    long classifiedReadOnly;
    long classifiedCausal;
    long outOfOrder;
    long nondeterministicRefused;
    long nondeterministicPassed;
    long greetingsRewritten;
    long observeHoles;
    private final byte[] observed = new byte[70_000];
    long tokensRewritten;

    MysqlTraffic(NodeProcessConfig config, PrintStream log) throws IOException {
        SqlPolicy policy = config.mysqlPolicy() == null ? SqlPolicy.builtIn() : SqlPolicy.load(config.mysqlPolicy());
        this.classifier = new SqlClassifier(policy);
        this.nondeterministic = config.nondeterministic().equals("warn") ? MysqlSession.Nondeterministic.WARN
                : MysqlSession.Nondeterministic.REFUSE;
        this.passwords = config.mysqlPasswords() == null ? PasswordHashes.empty() : PasswordHashes.load(config.mysqlPasswords());
        this.clusterKey = config.clusterKey();
        this.log = log;
    }

    private State state(long conn, long clientIsn) {
        State s = states.get(conn);
        if (s == null || s.clientIsn != clientIsn) {
            s = new State(clientIsn);
            states.put(conn, s);
        }
        return s;
    }

    private static long offset(long sequence, long isn) {
        return (sequence - isn - 1) & 0xFFFF_FFFFL;
    }

    /**
     * The primary's admission of a new client segment (carrying sequence space the client had not sent
     * before), the IPv4 packet {@code p[0, n)}. A rewritten payload gets its TCP checksum fixed here.
     */
    Admission admit(long conn, long clientIsn, byte[] p, int n) {
        State s = state(conn, clientIsn);
        ip.wrap(p, 0, n);
        tcp.wrap(ip);
        long seq = tcp.sequenceNumber();
        long from = offset(seq, clientIsn);
        long end = from + tcp.sequenceLength();
        if (from > s.admittedNext && from < 1L << 31) {
            outOfOrder++;
            return Admission.OUT_OF_ORDER; // a hole before it: read-only dispatch needs the stream in order
        }
        int len = tcp.payloadLength();
        if (len == 0) {
            s.admittedNext = Math.max(s.admittedNext, end);
            return Admission.CAUSAL;
        }
        if (s.session == null) {
            s.session = new MysqlSession(classifier, nondeterministic);
        }
        SegmentVerdict v = s.session.onClientData(from, p, tcp.payloadOffset(), len);
        if (v.kind() == SegmentVerdict.Kind.OUT_OF_ORDER) {
            outOfOrder++;
            return Admission.OUT_OF_ORDER;
        }
        s.admittedNext = Math.max(s.admittedNext, end);
        if (v.rewritten()) {
            tcp.updateChecksum(ip.source(), ip.destination());
        }
        noteNondeterminism(conn, s, v);
        if (v.kind() == SegmentVerdict.Kind.READ_ONLY) {
            classifiedReadOnly++;
            s.lastReadOnlySequence = seq;
            return Admission.READ_ONLY;
        }
        classifiedCausal++;
        return v.kind() == SegmentVerdict.Kind.PREVIOUS_STATEMENT_DIAGNOSTICS ? Admission.PREVIOUS_STATEMENT
                : Admission.CAUSAL;
    }

    /**
     * A node that is not the primary sees a client segment, {@code p[0, n)} untranslated, in the order the
     * primary admitted them (delivered, served or accounted as negligible): its session follows the
     * connection as the primary's does, so that a new primary classifies with the connection's history
     * (prepared statement ids, transactions). Segments already seen are skipped; a hole (a segment this
     * node never saw) ends the history.
     */
    void observe(long conn, long clientIsn, byte[] p, int n) {
        State s = state(conn, clientIsn);
        ip.wrap(p, 0, n);
        if (!ip.isValid() || !tcp.wrap(ip).isValid() || (tcp.flags() & (TcpSegment.SYN | TcpSegment.RST)) != 0) {
            return;
        }
        long seq = tcp.sequenceNumber();
        long from = offset(seq, clientIsn);
        long end = from + tcp.sequenceLength();
        int len = tcp.payloadLength();
        if (end <= s.admittedNext || len == 0 || s.session == null) {
            s.admittedNext = Math.max(s.admittedNext, end);
            return;
        }
        if (from > s.admittedNext) {
            observeHoles++;
            s.admittedNext = end;
            return;
        }
        System.arraycopy(p, 0, observed, 0, n);
        SegmentVerdict v = s.session.onClientData(from, observed, tcp.payloadOffset(), len);
        s.admittedNext = end;
        if (v.kind() == SegmentVerdict.Kind.READ_ONLY) {
            s.lastReadOnlySequence = seq;
        }
    }

    private void noteNondeterminism(long conn, State s, SegmentVerdict v) {
        Verdict verdict = v.verdict();
        if (verdict == null || !verdict.nondeterministic()) {
            return;
        }
        if (v.rewritten()) {
            nondeterministicRefused++;
        } else {
            nondeterministicPassed++;
            if (!s.warned) {
                s.warned = true;
                log.println("nondeterministic update passed (policy " + nondeterministic.name().toLowerCase()
                        + "): connection " + ConnectionKey.format(conn) + " calls " + verdict.nondeterministicWhat()
                        + "; replicas may now differ (further ones on this connection are only counted)");
            }
        }
    }

    /**
     * The segment admitted last was not ordered after all (MO refused it): later segments must wait
     * for its retransmission, or the nodes would count it as a read-only request served elsewhere.
     */
    void refused(long conn, long sequence) {
        State s = states.get(conn);
        if (s != null) {
            s.admittedNext = Math.min(s.admittedNext, offset(sequence, s.clientIsn));
        }
    }

    /** Whether a retransmitted client segment repeats the connection's last read-only request (the primary reschedules it). */
    boolean repeatsReadOnly(long conn, long sequence) {
        State s = states.get(conn);
        return s != null && s.lastReadOnlySequence == sequence;
    }

    /**
     * A client packet about to be written to the local stack, {@code p[0, n)}, already translated;
     * {@code clientSequence} is its sequence number in the client's space. Rewrites the handshake's
     * password answer for the local server and fixes the checksum.
     */
    void beforeDelivery(long conn, long clientIsn, long clientSequence, byte[] p, int n) {
        State s = state(conn, clientIsn);
        if (s.handshake != null && s.handshake.done()) {
            return;
        }
        ip.wrap(p, 0, n);
        tcp.wrap(ip);
        int len = tcp.payloadLength();
        if (len == 0 || (tcp.flags() & TcpSegment.SYN) != 0) {
            return;
        }
        if (handshake(s, conn).onClientData(offset(clientSequence, clientIsn), p, tcp.payloadOffset(), len)) {
            tcp.updateChecksum(ip.source(), ip.destination());
            tokensRewritten++;
        }
    }

    /**
     * A segment of the local server, {@code p[0, n)}, already translated for the client;
     * {@code localSequence} and {@code localIsn} are in the local stack's space. The greeting is
     * rewritten (checksum fixed), and the primary's session learns from the server's answers.
     */
    void afterLocalSegment(long conn, long clientIsn, long localIsn, long localSequence, byte[] p, int n) {
        State s = state(conn, clientIsn);
        ip.wrap(p, 0, n);
        tcp.wrap(ip);
        int len = tcp.payloadLength();
        if (len == 0 || (tcp.flags() & TcpSegment.SYN) != 0) {
            return;
        }
        long from = offset(localSequence, localIsn);
        if (s.handshake == null || !s.handshake.done()) {
            if (handshake(s, conn).onServerData(from, p, tcp.payloadOffset(), len)) {
                tcp.updateChecksum(ip.source(), ip.destination());
                greetingsRewritten++;
            }
        }
        if (s.session == null && from == 0) {
            // The session must see the server stream from the greeting on: it learns the end of the
            // authentication (the server's OK) and the prepared statements' ids from it.
            s.session = new MysqlSession(classifier, nondeterministic);
        }
        if (s.session != null) {
            s.session.onServerData(from, p, tcp.payloadOffset(), len);
        }
    }

    private MysqlHandshake handshake(State s, long conn) {
        if (s.handshake == null) {
            byte[] scramble = MysqlHandshake.clusterScramble(clusterKey, conn, s.clientIsn);
            int threadId = ((scramble[0] & 0x7F) << 16 | (scramble[1] & 0xFF) << 8 | (scramble[2] & 0xFF)) + 1;
            s.handshake = new MysqlHandshake(scramble, threadId, passwords);
        }
        return s.handshake;
    }

    /** Forgets a connection (CM reclaimed it). */
    void forget(long conn) {
        states.remove(conn);
    }

    /** The counters for the node's status, prefixed {@code mysql.}. */
    void putCounters(Map<String, Long> c) {
        c.put("mysql.readOnlyRequests", classifiedReadOnly);
        c.put("mysql.causalSegments", classifiedCausal);
        c.put("mysql.outOfOrderRefused", outOfOrder);
        c.put("mysql.nondeterministicRefused", nondeterministicRefused);
        c.put("mysql.nondeterministicPassed", nondeterministicPassed);
        c.put("mysql.greetingsRewritten", greetingsRewritten);
        c.put("mysql.historyHoles", observeHoles);
        c.put("mysql.passwordAnswersRewritten", tokensRewritten);
    }
}
