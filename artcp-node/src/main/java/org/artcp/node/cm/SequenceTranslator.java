package org.artcp.node.cm;

import org.artcp.node.order.SerialNumbers;

/**
 * The TCP sequence number translation of one replicated connection on one node (paper §5.1,
 * equations 1–4) and the mapping of the node's own ISN onto the cluster's sequence space (DESIGN §2).
 *
 * <p>Why: every node runs an unmodified kernel TCP stack, but it does not see the whole client byte
 * stream (negligible read-only requests are served by another node, paper §4.2) nor send the whole
 * server byte stream (it sends no response to those requests), and its kernel chose its own ISN. So
 * each request is translated before it is written to the local stack (stage one) and each response
 * before it leaves for the client (stage two). Pure: numbers in, numbers out; no clock, no I/O, no
 * allocation. Every number is a 32-bit TCP sequence number in {@code [0, 2^32)} and all arithmetic
 * is modulo 2^32 through {@link SerialNumbers#TCP}.
 *
 * <h2>The paper's variables</h2>
 * <table>
 * <caption>Paper §5.1 name, meaning, where it lives here</caption>
 * <tr><th>paper</th><th>meaning</th><th>here</th></tr>
 * <tr><td>Req_CSN, Req_CAN, Req_LEN</td><td>client sequence, ACK, length of a request packet</td>
 *     <td>arguments {@code reqCsn}, {@code reqCan}, {@code reqLen}</td></tr>
 * <tr><td>Req_LSN, Req_LAN</td><td>the same packet's numbers for the local stack</td>
 *     <td>results of {@link #localSequence} and of {@link #onBaseRequest}/{@link #onFollowUp}</td></tr>
 * <tr><td>ΣReq_LEN_NRO</td><td>bytes of negligible read-only requests so far</td>
 *     <td>{@link #negligibleBytes()}</td></tr>
 * <tr><td>CURR_SEQ</td><td>the local stack's current (next) sequence number</td>
 *     <td>{@link #currentLocalSequence()}: the highest end of a local response seen</td></tr>
 * <tr><td>Req_CSN_base, Req_CAN_base, Req_LEN (of the base)</td><td>the duty read-only or causal request
 *     packet being processed</td><td>{@link #baseClientSequence()}, {@link #baseClientAck()},
 *     {@link #baseLength()}</td></tr>
 * <tr><td>Req_LAN_base</td><td>the local ACK number the base was delivered with</td>
 *     <td>{@link #baseLocalAck()}</td></tr>
 * <tr><td>Rsp_LSN, Rsp_LEN</td><td>a local response's sequence number and length</td>
 *     <td>arguments of {@link #responseSequence}</td></tr>
 * <tr><td>ΣRsp_LEN</td><td>bytes of responses to the base sent before this one</td>
 *     <td>{@code Rsp_LSN - Req_LAN_base} (see interpretation 2)</td></tr>
 * <tr><td>Rsp_CSN, Rsp_CAN</td><td>the response's numbers for the client</td>
 *     <td>results of {@link #responseSequence} and {@link #responseAck}</td></tr>
 * </table>
 *
 * <h2>Equations</h2>
 * <ol>
 * <li>{@code Req_LSN = Req_CSN − ΣReq_LEN_NRO} ({@link #localSequence}).</li>
 * <li>New duty read-only or causal request packet: {@code Req_LAN = CURR_SEQ}, and it becomes the base
 *     ({@link #onBaseRequest}). Pure ACK or duplicate while the base is processed:
 *     {@code Req_LAN = Req_LAN_base + (Req_CAN − Req_CAN_base)}; while a negligible read-only request
 *     is: {@code Req_LAN = CURR_SEQ} ({@link #onFollowUp}).</li>
 * <li>{@code Rsp_CSN = Req_CAN_base + ΣRsp_LEN} ({@link #responseSequence}).</li>
 * <li>{@code Rsp_CAN = Req_CSN_base + Req_LEN} ({@link #responseAck}).</li>
 * </ol>
 *
 * <h2>Where the paper had to be interpreted</h2>
 * <ol>
 * <li><b>Lengths are sequence-space lengths</b> (RFC 9293 SEG.LEN): a SYN or FIN counts one. This is
 *     what makes equation 4 acknowledge a FIN ({@code c6} of Fig. 2) and equation 3 step past the
 *     server's SYN and FIN.</li>
 * <li><b>ΣRsp_LEN is measured, not summed</b>: {@code ΣRsp_LEN = Rsp_LSN − Req_LAN_base}. The local
 *     stack starts the responses to the base at {@code CURR_SEQ = Req_LAN_base} and sends them in
 *     order, so this equals the paper's running sum for every first transmission, and it stays right
 *     when the local stack retransmits a response (a running sum would move past it). Equation 3 thus
 *     reads {@code Rsp_CSN = Rsp_LSN + (Req_CAN_base − Req_LAN_base)}: each base request fixes the
 *     offset between the node's local and the cluster's server sequence space until the next one.</li>
 * <li><b>The ISN mapping is the SYN's base</b>. The paper assumes synchronised ISNs (§4, from HARTS);
 *     we get them by computing a cluster ISN every node derives alike ({@link #clusterIsn}) and treating
 *     the client's SYN as the first base request with {@code Req_CAN_base = clusterIsn} (the SYN carries
 *     no ACK) and, once the local SYN-ACK shows the kernel's ISN, {@code Req_LAN_base = localIsn}. Then
 *     equation 3 gives the SYN-ACK {@code Rsp_CSN = clusterIsn}, equation 2 gives the handshake's
 *     final ACK {@code Req_LAN = localIsn + 1}, and the offset {@code clusterIsn − localIsn} of DESIGN
 *     §2 is the first of the per-base offsets of interpretation 2 ({@link #isnOffset()}).</li>
 * <li><b>CURR_SEQ</b> is the local stack's SND.NXT as this node observes it: the highest
 *     {@code Rsp_LSN + Rsp_LEN} of the responses passed to {@link #responseSequence} (all of them,
 *     pure ACKs included: the node sees every packet its kernel sends).</li>
 * <li><b>Equation 2 is capped at CURR_SEQ</b>. The client's ACK can only cover bytes this node sent
 *     while the base is processed, so the cap changes nothing in the paper's model; it keeps a stray
 *     ACK (after a failover, or a response another node sent) from acknowledging data the local stack
 *     never sent, which the stack would answer by dropping the segment (RFC 9293 §3.10.7.4).</li>
 * <li><b>ΣReq_LEN_NRO counts each byte once</b>: a retransmitted negligible read-only packet adds
 *     only bytes beyond the highest client sequence seen, so duplicates do not shift equation 1.</li>
 * <li><b>Equation 1 uses today's sum</b>, as the paper writes it: a duplicate of a request older than
 *     a negligible read-only request would be mistranslated; interactivity (paper §3) rules that out,
 *     since the client saw the older request acknowledged before it sent the newer one.</li>
 * <li><b>Order</b>: requests are passed in the order the node delivers (or, for negligible ones,
 *     would deliver) them, i.e. MO's order, and responses in the order the local stack sends them.</li>
 * <li><b>Equation 4 as written</b>: every response acknowledges the whole base packet, whatever the
 *     local stack's own ACK ({@code Rsp_LAN}) says. That is right for data responses, which the
 *     interactive server (paper §3) sends only after it read the request; a local pure ACK sent
 *     before the base arrived whole would overstate, but RC drops pure-ACK responses (paper §4.1).
 *     The translated local ACK, {@code Rsp_LAN + ΣReq_LEN_NRO}, is the alternative if issue 4's
 *     packet scripts show a case that needs it.</li>
 * <li><b>Equation 2's first case reads the client's ACK</b> unless a negligible read-only request
 *     came between: {@code Req_LAN = min(CURR_SEQ, Req_LAN_base + (Req_CAN − Req_CAN_base))}. The paper
 *     sets {@code Req_LAN = CURR_SEQ} because, with an interactive client, a new request means every
 *     response was received, and then both are equal. Servers that send before they read break that:
 *     NetPIPE's start-up has each side write "SyncMe" and then read the other's. A node whose server
 *     wrote first would acknowledge, with CURR_SEQ, bytes the client had not received; the stack would
 *     never retransmit them, and the new base would shift every later response of that node by their
 *     length against the other nodes' (seen on the testbed in safe mode, where delivery comes later).
 *     After a negligible read-only request the client's ACK covers bytes another node sent, so there
 *     the paper's CURR_SEQ stays.</li>
 * </ol>
 *
 * <p>Before the local stack has answered the SYN its ISN is unknown: {@link #onBaseRequest} and
 * {@link #onFollowUp} then return {@link #UNKNOWN} and the caller holds or drops the packet (the client
 * retransmits).
 */
public final class SequenceTranslator {
    /** Returned for a local number that cannot be known yet (the local stack's ISN is not seen yet). */
    public static final long UNKNOWN = -1;

    /** Where the connection is, as far as translation cares. */
    public enum Phase {
        /** No SYN seen yet. */
        AWAITING_SYN,
        /** The client's SYN was translated; the local stack's SYN-ACK (its ISN) is not seen yet. */
        AWAITING_LOCAL_SYN_ACK,
        /** A duty read-only or causal request (or the SYN) is the base: equation 2 for pure ACKs and duplicates. */
        BASE,
        /** A negligible read-only request is being processed elsewhere: pure ACKs and duplicates get CURR_SEQ. */
        NEGLIGIBLE
    }

    private static final SerialNumbers TCP = SerialNumbers.TCP;

    private final long clusterIsn;
    private Phase phase = Phase.AWAITING_SYN;
    private long clientIsn;
    private long localIsn;
    /** ΣReq_LEN_NRO, modulo 2^32. */
    private long negligibleBytes;
    private boolean strictlyInteractive;
    /** One past the highest client sequence number of any request seen. */
    private long clientHighWater;
    /** Where the last run of negligible bytes starts, while nothing came after it; -1 otherwise. */
    private long lastNegligibleStart = -1;
    /** CURR_SEQ. */
    private long currSeq;
    /** Req_CSN_base. */
    private long baseCsn;
    /** Req_CAN_base. */
    private long baseCan;
    /** Req_LEN of the base, in sequence space. */
    private int baseLen;
    /** Req_LAN_base (valid from the local SYN-ACK on). */
    private long baseLan;

    /**
     * A translator for a connection whose server side every node presents with {@code clusterIsn}.
     *
     * @param clusterIsn the cluster's ISN for this connection ({@link #clusterIsn(long, int, int, int, int, long)})
     */
    public SequenceTranslator(long clusterIsn) {
        requireSequence(clusterIsn);
        this.clusterIsn = clusterIsn;
    }

    /**
     * Equation 2's first case as the paper writes it, {@code Req_LAN = CURR_SEQ}, for a protocol whose
     * server writes only in answer to a request (MySQL): a new request then means the client has every
     * response byte, so the local stack is told so, even bytes of a response that was longer here than
     * the one the client got (a replica whose answer differed). Without it such bytes stay
     * unacknowledged and shift every later response of this node (interpretation 10 keeps them for
     * servers that write unasked, such as NetPIPE's).
     */
    public void acknowledgeEverythingOnNewRequest() {
        strictlyInteractive = true;
    }

    /**
     * The cluster's ISN for a connection: a deterministic function of a cluster secret, the
     * connection's 4-tuple and the client's ISN, so that every node computes the same one without a
     * round trip (DESIGN §2's "synchronized ISNs"). Keyed, as RFC 6528 asks, so that an off-path host
     * cannot predict it without the secret; the client's ISN stands in for RFC 6528's clock, so a new
     * incarnation of the same 4-tuple gets a new ISN. The mixer is MurmurHash3's 64-bit finaliser, not
     * a cryptographic PRF (see the package documentation).
     *
     * @param secret a 64-bit secret every node of the cluster shares (derived from the cluster key)
     * @param clientAddress the client's IPv4 address
     * @param clientPort the client's port
     * @param portalAddress the portal IPv4 address
     * @param portalPort the server's port
     * @param clientIsn the sequence number of the client's SYN
     */
    public static long clusterIsn(long secret, int clientAddress, int clientPort, int portalAddress, int portalPort,
            long clientIsn) {
        long h = mix(secret ^ 0x41522D5443500001L);
        h = mix(h ^ ((clientAddress & 0xFFFF_FFFFL) << 32 | (portalAddress & 0xFFFF_FFFFL)));
        h = mix(h ^ ((long) (clientPort & 0xFFFF) << 48 | (long) (portalPort & 0xFFFF) << 32 | (clientIsn & 0xFFFF_FFFFL)));
        return (h ^ (h >>> 32)) & 0xFFFF_FFFFL;
    }

    /** The offset that maps a local server-side number onto the cluster's: {@code clusterIsn − localIsn}, modulo 2^32. */
    public static long isnOffset(long clusterIsn, long localIsn) {
        return TCP.distance(localIsn, clusterIsn);
    }

    // ---- stage one: from receiving to delivery (paper §5.1.1) ----

    /**
     * The client's SYN (the first base request, interpretation 3). A retransmitted SYN with the same
     * ISN changes nothing; a SYN with another ISN is another connection and needs a new translator
     * (the caller's connection table decides).
     *
     * @return the SYN's local sequence number (equation 1 with nothing negligible yet: the client's ISN)
     */
    public long onClientSyn(long reqCsn) {
        requireSequence(reqCsn);
        if (phase == Phase.AWAITING_SYN) {
            clientIsn = reqCsn;
            clientHighWater = TCP.next(reqCsn);
            baseCsn = reqCsn;
            baseCan = clusterIsn;
            baseLen = 1;
            phase = Phase.AWAITING_LOCAL_SYN_ACK;
        }
        return localSequence(reqCsn);
    }

    /** Equation 1: {@code Req_LSN = Req_CSN − ΣReq_LEN_NRO}. */
    public long localSequence(long reqCsn) {
        return TCP.add(reqCsn, -negligibleBytes);
    }

    /**
     * A new causal request packet or a new duty read-only request packet for this node (data, or a FIN):
     * it becomes the base.
     *
     * @param reqLen the packet's length in sequence space (payload, plus one for a FIN)
     * @return {@code Req_LAN}: CURR_SEQ (equation 2's first case) after a negligible read-only request,
     *         otherwise the client's ACK moved into the local space and capped at CURR_SEQ (interpretation
     *         10); {@link #UNKNOWN} before the local SYN-ACK
     */
    public long onBaseRequest(long reqCsn, long reqCan, int reqLen) {
        requireSequence(reqCsn);
        requireSequence(reqCan);
        requireLength(reqLen);
        if (!localIsnKnown()) {
            return UNKNOWN;
        }
        long lan = currSeq;
        if (phase == Phase.BASE && !strictlyInteractive) {
            // Interpretation 10: the client's own ACK, moved by the current base's offset, unless it
            // acknowledges more than this node sent.
            long own = TCP.add(baseLan, TCP.distance(baseCan, reqCan));
            lan = TCP.greaterThan(own, currSeq) ? currSeq : own;
        }
        baseCsn = reqCsn;
        baseCan = reqCan;
        baseLen = reqLen;
        baseLan = lan;
        phase = Phase.BASE;
        raiseClientHighWater(reqCsn, reqLen);
        return lan;
    }

    /**
     * A pure ACK, or a duplicate of a causal or duty read-only request packet.
     *
     * @return {@code Req_LAN}: equation 2 ({@code Req_LAN_base + (Req_CAN − Req_CAN_base)}, capped at
     *         CURR_SEQ) while a base is processed, {@code CURR_SEQ} while a negligible read-only request
     *         is; {@link #UNKNOWN} before the local SYN-ACK
     */
    public long onFollowUp(long reqCan) {
        requireSequence(reqCan);
        if (!localIsnKnown()) {
            return UNKNOWN;
        }
        if (phase == Phase.NEGLIGIBLE) {
            return currSeq;
        }
        long lan = TCP.add(baseLan, TCP.distance(baseCan, reqCan));
        return TCP.greaterThan(lan, currSeq) ? currSeq : lan;
    }

    /**
     * A negligible read-only request packet (served by another node): its new bytes join
     * ΣReq_LEN_NRO and it is not delivered.
     *
     * @param reqLen the packet's payload length
     */
    public void onNegligibleReadOnly(long reqCsn, int reqLen) {
        requireSequence(reqCsn);
        requireLength(reqLen);
        long end = TCP.add(reqCsn, reqLen);
        if (TCP.greaterThan(end, clientHighWater)) {
            long from = TCP.max(reqCsn, clientHighWater);
            negligibleBytes = TCP.add(negligibleBytes, TCP.distance(from, end));
            if (lastNegligibleStart < 0 || from != clientHighWater) {
                lastNegligibleStart = from;
            }
            clientHighWater = end;
            if (phase == Phase.BASE) {
                phase = Phase.NEGLIGIBLE;
            }
        }
    }

    /**
     * A read-only request this node counted as negligible is to be served here after all (its duty
     * node failed before answering, paper §5.2): if it is the last thing the client sent that this node
     * saw, its bytes stop counting as negligible, so that it can be delivered as a duty request.
     *
     * @return whether the bytes were given back (false: the request is not the last negligible one)
     */
    public boolean reclaimLastNegligible(long reqCsn, int reqLen) {
        requireSequence(reqCsn);
        requireLength(reqLen);
        if (lastNegligibleStart < 0 || TCP.add(reqCsn, reqLen) != clientHighWater
                || TCP.lessThan(reqCsn, lastNegligibleStart) || reqLen == 0) {
            return false;
        }
        negligibleBytes = TCP.add(negligibleBytes, -reqLen);
        clientHighWater = reqCsn;
        if (reqCsn == lastNegligibleStart) {
            lastNegligibleStart = -1;
        }
        return true;
    }

    /** Whether {@code [reqCsn, reqCsn + reqLen)} reaches beyond every client byte this node has seen. */
    public boolean carriesNewBytes(long reqCsn, int reqLen) {
        return TCP.greaterThan(TCP.add(reqCsn, reqLen), clientHighWater);
    }

    /**
     * A new request starts at {@code reqCsn}, beyond every client byte this node has seen: where client
     * streams reach the node in order except for read-only requests served elsewhere, the bytes between
     * were such a request whose notice did not arrive (lost, or overtaken by this request). They are
     * counted as negligible, as {@link #onNegligibleReadOnly} would have.
     *
     * @return how many bytes were counted (0 when there was no gap)
     */
    public long skipGapBefore(long reqCsn) {
        requireSequence(reqCsn);
        if (phase == Phase.AWAITING_SYN || !TCP.greaterThan(reqCsn, clientHighWater)) {
            return 0;
        }
        long gap = TCP.distance(clientHighWater, reqCsn);
        onNegligibleReadOnly(clientHighWater, (int) gap);
        return gap;
    }

    // ---- stage two: from responding to sending out (paper §5.1.2) ----

    /**
     * The local stack's SYN-ACK: records its ISN, which fixes {@code Req_LAN_base} of the SYN and the
     * ISN offset. A retransmitted SYN-ACK changes nothing.
     *
     * @return the SYN-ACK's sequence number for the client: the cluster ISN
     */
    public long onLocalSynAck(long rspLsn) {
        requireSequence(rspLsn);
        if (phase == Phase.AWAITING_LOCAL_SYN_ACK) {
            localIsn = rspLsn;
            baseLan = rspLsn;
            currSeq = TCP.next(rspLsn);
            phase = Phase.BASE;
        }
        return responseSequence(rspLsn, 1);
    }

    /**
     * Equation 3 for a response packet of the local stack: {@code Rsp_CSN = Req_CAN_base + ΣRsp_LEN}
     * with {@code ΣRsp_LEN = Rsp_LSN − Req_LAN_base} (interpretation 2). Also advances CURR_SEQ.
     *
     * @param rspLen the response's length in sequence space (payload, plus one for SYN and for FIN)
     * @return Rsp_CSN, or {@link #UNKNOWN} before the local SYN-ACK
     */
    public long responseSequence(long rspLsn, int rspLen) {
        requireSequence(rspLsn);
        requireLength(rspLen);
        if (!localIsnKnown()) {
            return UNKNOWN;
        }
        currSeq = TCP.max(currSeq, TCP.add(rspLsn, rspLen));
        return TCP.add(baseCan, TCP.distance(baseLan, rspLsn));
    }

    /** Equation 4: {@code Rsp_CAN = Req_CSN_base + Req_LEN}, the ACK number every response carries to the client. */
    public long responseAck() {
        return TCP.add(baseCsn, baseLen);
    }

    // ---- state, for the connection table, logs and tests ----

    public Phase phase() {
        return phase;
    }

    public long clusterIsn() {
        return clusterIsn;
    }

    /** The client's ISN (valid once the SYN was seen). */
    public long clientIsn() {
        return clientIsn;
    }

    /** The local stack's ISN (valid once its SYN-ACK was seen). */
    public long localIsn() {
        return localIsn;
    }

    /** Whether the local stack's ISN is known (its SYN-ACK was seen). */
    public boolean localIsnKnown() {
        return phase == Phase.BASE || phase == Phase.NEGLIGIBLE;
    }

    /** {@code clusterIsn − localIsn} (valid once the local SYN-ACK was seen). */
    public long isnOffset() {
        return isnOffset(clusterIsn, localIsn);
    }

    /** The offset the current base fixes between the local and the cluster server sequence space: {@code Req_CAN_base − Req_LAN_base}. */
    public long responseOffset() {
        return TCP.distance(baseLan, baseCan);
    }

    /** ΣReq_LEN_NRO modulo 2^32. */
    public long negligibleBytes() {
        return negligibleBytes;
    }

    /** CURR_SEQ: the local stack's next sequence number as far as this node has seen. */
    public long currentLocalSequence() {
        return currSeq;
    }

    /** Req_CSN_base. */
    public long baseClientSequence() {
        return baseCsn;
    }

    /** Req_CAN_base. */
    public long baseClientAck() {
        return baseCan;
    }

    /** Req_LEN of the base, in sequence space. */
    public int baseLength() {
        return baseLen;
    }

    /** Req_LAN_base. */
    public long baseLocalAck() {
        return baseLan;
    }

    @Override
    public String toString() {
        return "SequenceTranslator[" + phase + ", clusterIsn=" + clusterIsn + ", localIsn=" + localIsn
                + ", nro=" + negligibleBytes + ", currSeq=" + currSeq + ", base=<" + baseCsn + ", " + baseCan + ", "
                + baseLen + "> lan " + baseLan + "]";
    }

    private void raiseClientHighWater(long reqCsn, int reqLen) {
        long end = TCP.add(reqCsn, reqLen);
        if (TCP.greaterThan(end, clientHighWater)) {
            clientHighWater = end;
            lastNegligibleStart = -1;
        }
    }

    private static void requireSequence(long n) {
        if (!TCP.isValid(n)) {
            throw new IllegalArgumentException("not a 32-bit sequence number: " + n);
        }
    }

    private static void requireLength(int len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length: " + len);
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
