package org.artcp.node.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.artcp.node.cm.SequenceTranslator.Phase;
import org.junit.jupiter.api.Test;

/**
 * Paper Fig. 2 walked packet by packet on the two kinds of node: c1 SYN, s1 SYN-ACK, c2 ACK, c3 a
 * causal (update) request, s2 its response, c4 a read-only request, s3/s4 its response (only on the
 * duty node), c5 ACK, c6 FIN, s5/s6 ACK and FIN, c7 ACK. Every expected number is written out.
 */
class SequenceTranslatorTest {
    // The client's ISN, the cluster's ISN, this node's kernel's ISN.
    private static final long CLIENT_ISN = 1_000;
    private static final long CLUSTER_ISN = 7_000;
    private static final long LOCAL_ISN = 5_000_000;

    /** The node that does not serve c4: c4 is negligible read-only here (30 bytes, answered elsewhere with 400). */
    @Test
    void fig2OnANodeWhereTheReadOnlyRequestIsNegligible() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        assertEquals(Phase.AWAITING_SYN, t.phase());

        // c1 SYN seq 1000
        assertEquals(1_000, t.onClientSyn(1_000));
        assertEquals(Phase.AWAITING_LOCAL_SYN_ACK, t.phase());
        assertEquals(SequenceTranslator.UNKNOWN, t.onFollowUp(7_001), "no local ISN yet");
        // s1 SYN-ACK from the local stack: seq 5000000 ack 1001 -> seq 7000 ack 1001
        assertEquals(7_000, t.onLocalSynAck(5_000_000));
        assertEquals(1_001, t.responseAck());
        assertEquals(5_000_001, t.currentLocalSequence());
        assertEquals(Phase.BASE, t.phase());
        assertEquals(Math.floorMod(7_000 - 5_000_000, 1L << 32), t.isnOffset());
        assertEquals(7_000, t.onLocalSynAck(5_000_000), "a retransmitted SYN-ACK");

        // c2 ACK seq 1001 ack 7001 -> seq 1001 ack 5000001 (eq. 2 on the SYN's base)
        assertEquals(1_001, t.localSequence(1_001));
        assertEquals(5_000_001, t.onFollowUp(7_001));

        // c3 causal, seq 1001 ack 7001 len 100 -> seq 1001 ack CURR_SEQ 5000001
        assertEquals(1_001, t.localSequence(1_001));
        assertEquals(5_000_001, t.onBaseRequest(1_001, 7_001, 100));
        // its duplicate, and a pure ACK before any response: eq. 2 with Req_CAN = Req_CAN_base
        assertEquals(5_000_001, t.onFollowUp(7_001));
        // s2: the local response, 50 bytes at 5000001 ack 1101 -> seq 7001 ack 1101
        assertEquals(7_001, t.responseSequence(5_000_001, 50));
        assertEquals(1_101, t.responseAck());
        assertEquals(5_000_051, t.currentLocalSequence());
        // a pure ACK of 20 of the 50 bytes -> 5000021; of all -> 5000051
        assertEquals(5_000_021, t.onFollowUp(7_021));
        assertEquals(5_000_051, t.onFollowUp(7_051));
        // a local retransmission of s2 keeps its number
        assertEquals(7_001, t.responseSequence(5_000_001, 50));

        // c4 read-only, seq 1101 ack 7051 len 30, served by another node: not delivered here
        t.onNegligibleReadOnly(1_101, 30);
        assertEquals(30, t.negligibleBytes());
        assertEquals(Phase.NEGLIGIBLE, t.phase());
        t.onNegligibleReadOnly(1_101, 30); // retransmitted
        assertEquals(30, t.negligibleBytes(), "a duplicate is counted once");
        // the other node answered 400 bytes (7051..7451); pure ACKs meanwhile get CURR_SEQ
        assertEquals(5_000_051, t.onFollowUp(7_251));

        // c5 ACK seq 1131 ack 7451 -> seq 1101 ack 5000051
        assertEquals(1_101, t.localSequence(1_131));
        assertEquals(5_000_051, t.onFollowUp(7_451));

        // c6 FIN seq 1131 ack 7451 -> seq 1101 ack 5000051 (a FIN counts one)
        assertEquals(1_101, t.localSequence(1_131));
        assertEquals(5_000_051, t.onBaseRequest(1_131, 7_451, 1));
        // s5 the local ACK of the FIN (seq 5000051 ack 1102) and s6 its FIN -> seq 7451 ack 1132
        assertEquals(7_451, t.responseSequence(5_000_051, 0));
        assertEquals(1_132, t.responseAck());
        assertEquals(7_451, t.responseSequence(5_000_051, 1));
        assertEquals(1_132, t.responseAck());
        assertEquals(5_000_052, t.currentLocalSequence());

        // c7 ACK of the FIN, seq 1132 ack 7452 -> seq 1102 ack 5000052
        assertEquals(1_102, t.localSequence(1_132));
        assertEquals(5_000_052, t.onFollowUp(7_452));
    }

    /** The node that serves c4 (its duty read-only request): nothing is negligible here. */
    @Test
    void fig2OnTheDutyNode() {
        long localIsn = 90_000;
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        assertEquals(1_000, t.onClientSyn(1_000));
        assertEquals(7_000, t.onLocalSynAck(localIsn));
        assertEquals(90_001, t.onFollowUp(7_001));
        // c3 and s2, as on every node
        assertEquals(90_001, t.onBaseRequest(1_001, 7_001, 100));
        assertEquals(7_001, t.responseSequence(90_001, 50));
        assertEquals(1_101, t.responseAck());
        // c4 read-only, duty here: delivered as a base request
        assertEquals(1_101, t.localSequence(1_101));
        assertEquals(90_051, t.onBaseRequest(1_101, 7_051, 30));
        // s3 the local ACK of c4, s4 its 400-byte answer in 300 + 100
        assertEquals(7_051, t.responseSequence(90_051, 0));
        assertEquals(1_131, t.responseAck());
        assertEquals(7_051, t.responseSequence(90_051, 300));
        assertEquals(7_351, t.responseSequence(90_351, 100));
        assertEquals(1_131, t.responseAck());
        // c5 ACK seq 1131 ack 7451 -> ack 90451 by eq. 2 (90051 + (7451 - 7051))
        assertEquals(1_131, t.localSequence(1_131));
        assertEquals(90_451, t.onFollowUp(7_451));
        // c6 FIN and its answer
        assertEquals(90_451, t.onBaseRequest(1_131, 7_451, 1));
        assertEquals(7_451, t.responseSequence(90_451, 1));
        assertEquals(1_132, t.responseAck());
        assertEquals(90_452, t.onFollowUp(7_452));
        assertEquals(0, t.negligibleBytes());
    }

    /**
     * The negligible node's walk with every sequence space crossing 2^32: the client's (ISN
     * 0xFFFFFFF0), the cluster's (ISN 0xFFFFFFFA) and the local stack's (ISN 0xFFFFFFE0).
     */
    @Test
    void fig2AcrossTheWrap() {
        SequenceTranslator t = new SequenceTranslator(0xFFFF_FFFAL);
        assertEquals(0xFFFF_FFF0L, t.onClientSyn(0xFFFF_FFF0L));
        assertEquals(0xFFFF_FFFAL, t.onLocalSynAck(0xFFFF_FFE0L));
        assertEquals(0xFFFF_FFF1L, t.responseAck());
        assertEquals(0x1AL, t.isnOffset());
        // c2 ACK seq fff1 ack fffb
        assertEquals(0xFFFF_FFF1L, t.localSequence(0xFFFF_FFF1L));
        assertEquals(0xFFFF_FFE1L, t.onFollowUp(0xFFFF_FFFBL));
        // c3 causal, 100 bytes: fff1 .. 0x55
        assertEquals(0xFFFF_FFE1L, t.onBaseRequest(0xFFFF_FFF1L, 0xFFFF_FFFBL, 100));
        // s2, 50 bytes from local ffe1: the cluster's fffb .. 0x2d
        assertEquals(0xFFFF_FFFBL, t.responseSequence(0xFFFF_FFE1L, 50));
        assertEquals(0x55L, t.responseAck());
        assertEquals(0x13L, t.currentLocalSequence());
        assertEquals(0xFFFF_FFF5L, t.onFollowUp(0x0FL), "a partial ACK: 20 bytes");
        // c4 negligible read-only: seq 0x55 ack 0x2d len 30; answered elsewhere with 400 bytes (0x2d..0x1bd)
        t.onNegligibleReadOnly(0x55L, 30);
        assertEquals(0x13L, t.onFollowUp(0x1BDL));
        // c5 ACK seq 0x73 ack 0x1bd -> seq 0x55 ack 0x13
        assertEquals(0x55L, t.localSequence(0x73L));
        // c6 FIN seq 0x73 ack 0x1bd -> seq 0x55, ack 0x13
        assertEquals(0x13L, t.onBaseRequest(0x73L, 0x1BDL, 1));
        assertEquals(0x1BDL, t.responseSequence(0x13L, 1));
        assertEquals(0x74L, t.responseAck());
        // c7 ACK of the FIN
        assertEquals(0x56L, t.localSequence(0x74L));
        assertEquals(0x14L, t.onFollowUp(0x1BEL));
    }

    @Test
    void negligibleBytesCountOnlyWhatIsNew() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        t.onClientSyn(CLIENT_ISN);
        t.onLocalSynAck(LOCAL_ISN);
        t.onNegligibleReadOnly(1_001, 100);
        t.onNegligibleReadOnly(1_051, 100); // half old, half new
        assertEquals(150, t.negligibleBytes());
        t.onNegligibleReadOnly(1_001, 10); // entirely old
        assertEquals(150, t.negligibleBytes());
        assertEquals(1_001, t.localSequence(1_151));
    }

    @Test
    void theLastNegligibleRequestCanBeTakenBackAndServedHereWhenItsDutyNodeFails() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        t.onClientSyn(CLIENT_ISN);
        t.onLocalSynAck(LOCAL_ISN);
        t.onNegligibleReadOnly(1_001, 100);
        t.onNegligibleReadOnly(1_101, 30);
        assertEquals(130, t.negligibleBytes());
        assertFalse(t.reclaimLastNegligible(1_001, 100), "not the last thing the client sent");
        assertTrue(t.reclaimLastNegligible(1_101, 30));
        assertEquals(100, t.negligibleBytes());
        assertTrue(t.carriesNewBytes(1_101, 30), "served as a duty request now");
        assertEquals(1_001, t.localSequence(1_101), "its bytes reach the local stack right after what it saw");
        long lan = t.onBaseRequest(1_101, 7_001, 30);
        assertEquals(t.currentLocalSequence(), lan);
        assertFalse(t.reclaimLastNegligible(1_101, 30), "a base request is not negligible");
        assertEquals(100, t.negligibleBytes());
    }

    @Test
    void equationTwoIsCappedAtCurrSeq() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        t.onClientSyn(CLIENT_ISN);
        t.onLocalSynAck(LOCAL_ISN);
        t.onBaseRequest(1_001, 7_001, 10);
        t.responseSequence(5_000_001, 10);
        assertEquals(5_000_011, t.onFollowUp(7_011));
        assertEquals(5_000_011, t.onFollowUp(7_500), "an ACK beyond what the local stack sent");
        assertEquals(5_000_001, t.onFollowUp(7_001));
        assertEquals(4_999_999, t.onFollowUp(6_999), "an old ACK stays old");
    }

    @Test
    void beforeTheLocalSynAckLocalAcksAreUnknown() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        assertEquals(SequenceTranslator.UNKNOWN, t.onBaseRequest(1_001, 7_001, 10));
        assertEquals(SequenceTranslator.UNKNOWN, t.responseSequence(5, 10));
        t.onClientSyn(CLIENT_ISN);
        assertEquals(1_000, t.onClientSyn(CLIENT_ISN), "a retransmitted SYN");
        assertEquals(SequenceTranslator.UNKNOWN, t.onBaseRequest(1_001, 7_001, 10));
        assertEquals(Phase.AWAITING_LOCAL_SYN_ACK, t.phase());
    }

    @Test
    void rejectsNumbersThatAreNotSequenceNumbers() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        assertThrows(IllegalArgumentException.class, () -> new SequenceTranslator(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> t.onClientSyn(-1));
        t.onClientSyn(CLIENT_ISN);
        t.onLocalSynAck(LOCAL_ISN);
        assertThrows(IllegalArgumentException.class, () -> t.onBaseRequest(1_001, 7_001, -1));
    }

    @Test
    void clusterIsnIsDeterministicAndKeyed() {
        int client = 0xC6120065;
        int portal = 0xC612000A;
        long a = SequenceTranslator.clusterIsn(42, client, 40_000, portal, 3306, 0x12345678L);
        assertEquals(a, SequenceTranslator.clusterIsn(42, client, 40_000, portal, 3306, 0x12345678L),
                "every node computes the same");
        assertEquals(0, a >>> 32);
        assertNotEquals(a, SequenceTranslator.clusterIsn(43, client, 40_000, portal, 3306, 0x12345678L));
        assertNotEquals(a, SequenceTranslator.clusterIsn(42, client, 40_001, portal, 3306, 0x12345678L));
        assertNotEquals(a, SequenceTranslator.clusterIsn(42, client + 1, 40_000, portal, 3306, 0x12345678L));
        assertNotEquals(a, SequenceTranslator.clusterIsn(42, client, 40_000, portal, 3307, 0x12345678L));
        assertNotEquals(a, SequenceTranslator.clusterIsn(42, client, 40_000, portal, 3306, 0x12345679L));
        assertEquals(0xFFFF_FFF0L, SequenceTranslator.isnOffset(0x10, 0x20));
        assertEquals(0x20L, SequenceTranslator.isnOffset(0x10, 0xFFFF_FFF0L));
    }

    /**
     * A server that writes before it reads (NetPIPE's "SyncMe" exchange): the node's stack sent 6 bytes
     * the client has not received when the client's own 6 bytes arrive. The request must not
     * acknowledge them (the stack would never retransmit them), and the node's later responses keep
     * their place in the cluster's stream.
     */
    @Test
    void aRequestThatCrossesAnUnsolicitedResponseDoesNotAcknowledgeIt() {
        SequenceTranslator t = new SequenceTranslator(CLUSTER_ISN);
        t.onClientSyn(1_000);
        t.onLocalSynAck(5_000_000);
        assertEquals(5_000_001, t.onFollowUp(7_001), "the handshake's ACK");
        // The server writes "SyncMe" first: local 5000001..5000007 -> cluster 7001..7007.
        assertEquals(7_001, t.responseSequence(5_000_001, 6));
        // The client's "SyncMe" crossed it: seq 1001 ack 7001 (it has not seen the server's bytes).
        assertEquals(5_000_001, t.onBaseRequest(1_001, 7_001, 6), "acknowledges only what the client has");
        // The stack retransmits its bytes: same cluster numbers.
        assertEquals(7_001, t.responseSequence(5_000_001, 6));
        // The client acknowledges them; its next request and the answer keep the offset.
        assertEquals(5_000_007, t.onFollowUp(7_007));
        assertEquals(5_000_007, t.onBaseRequest(1_007, 7_007, 4));
        assertEquals(7_007, t.responseSequence(5_000_007, 4));
    }
}
