package org.artcp.node.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.artcp.node.order.SerialNumbers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random exchanges checked end to end: one client and N nodes, each node a
 * {@link SequenceTranslator} in front of a model of its kernel's TCP (just SND.NXT and RCV.NXT).
 * Causal requests go to every node, read-only requests to one duty node; requests and responses
 * span several segments; the client sends partial and full pure ACKs and duplicates, kernels
 * retransmit. Checked on every segment: the kernel receives exactly the next bytes it expects and
 * ACKs that never exceed what it sent (and equal it once the client has everything), and the client
 * receives every response byte at exactly the sequence number it expects with the ACK of
 * everything it sent, and the same numbers from every node for causal responses.
 */
class SequenceTranslatorModelTest {
    private static final SerialNumbers TCP = SerialNumbers.TCP;
    private static final int MSS = 1460;

    /** A node: its translator and its kernel's two numbers. */
    private static final class Node {
        final SequenceTranslator translator;
        final long localIsn;
        long kernelSndNxt;
        long kernelRcvNxt;

        Node(long clusterIsn, long localIsn) {
            this.translator = new SequenceTranslator(clusterIsn);
            this.localIsn = localIsn;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void randomExchangesTranslateExactly(long seed) {
        Random random = new Random(seed);
        int nodeCount = 2 + random.nextInt(3);
        long clientIsn = nearWrapOrAnywhere(random);
        long clusterIsn = random.nextBoolean()
                ? SequenceTranslator.clusterIsn(random.nextLong(), 0xC6120065, 40_000 + (int) seed, 0xC612000A, 5002, clientIsn)
                : nearWrapOrAnywhere(random);
        Node[] nodes = new Node[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            nodes[i] = new Node(clusterIsn, nearWrapOrAnywhere(random));
        }

        // Handshake: c1 SYN, s1 SYN-ACK from every kernel, c2 ACK.
        for (Node n : nodes) {
            assertEquals(clientIsn, n.translator.onClientSyn(clientIsn));
            n.kernelRcvNxt = TCP.next(clientIsn);
            assertEquals(clusterIsn, n.translator.onLocalSynAck(n.localIsn));
            assertEquals(TCP.next(clientIsn), n.translator.responseAck());
            n.kernelSndNxt = TCP.next(n.localIsn);
            assertEquals(SequenceTranslator.isnOffset(clusterIsn, n.localIsn), n.translator.isnOffset());
        }
        long clientSndNxt = TCP.next(clientIsn);
        long clientRcvNxt = TCP.next(clusterIsn);
        for (Node n : nodes) {
            assertEquals(n.kernelRcvNxt, n.translator.localSequence(clientSndNxt));
            assertEquals(n.kernelSndNxt, n.translator.onFollowUp(clientRcvNxt));
        }

        int negligibleSeen = 0;
        for (int request = 0; request < 300; request++) {
            boolean readOnly = random.nextInt(3) > 0;
            int duty = readOnly ? random.nextInt(nodeCount) : -1;
            int requestLength = 1 + random.nextInt(4000);
            boolean[] delivers = new boolean[nodeCount];
            long[] lanAtBase = new long[nodeCount];
            for (int i = 0; i < nodeCount; i++) {
                delivers[i] = !readOnly || i == duty;
                lanAtBase[i] = nodes[i].kernelSndNxt;
            }

            // The request, in segments; sometimes one is sent twice.
            for (int sent = 0; sent < requestLength; ) {
                int len = Math.min(MSS, requestLength - sent);
                long csn = TCP.add(clientSndNxt, sent);
                for (int i = 0; i < nodeCount; i++) {
                    Node n = nodes[i];
                    SequenceTranslator t = n.translator;
                    if (delivers[i]) {
                        assertEquals(n.kernelRcvNxt, t.localSequence(csn), "seed " + seed + " request " + request);
                        assertEquals(n.kernelSndNxt, t.onBaseRequest(csn, clientRcvNxt, len));
                        n.kernelRcvNxt = TCP.add(n.kernelRcvNxt, len);
                        if (random.nextInt(10) == 0) { // the client retransmits the segment
                            assertEquals(TCP.add(n.kernelRcvNxt, -len), t.localSequence(csn));
                            assertEquals(n.kernelSndNxt, t.onFollowUp(clientRcvNxt));
                        }
                    } else {
                        long before = t.negligibleBytes();
                        t.onNegligibleReadOnly(csn, len);
                        assertEquals(TCP.add(before, len), t.negligibleBytes());
                        if (random.nextInt(10) == 0) {
                            t.onNegligibleReadOnly(csn, len);
                            assertEquals(TCP.add(before, len), t.negligibleBytes(), "a duplicate counts once");
                        }
                    }
                }
                sent += len;
            }
            clientSndNxt = TCP.add(clientSndNxt, requestLength);
            if (readOnly) {
                negligibleSeen += requestLength * (nodeCount - 1);
            }

            // The response: the same bytes from every delivering node (deterministic servers).
            int responseLength = random.nextInt(6000);
            long[] firstSent = new long[nodeCount];
            for (int sent = 0; sent < responseLength; ) {
                int len = Math.min(MSS, responseLength - sent);
                long expected = TCP.add(clientRcvNxt, sent);
                for (int i = 0; i < nodeCount; i++) {
                    if (!delivers[i]) {
                        continue;
                    }
                    Node n = nodes[i];
                    if (sent == 0) {
                        firstSent[i] = n.kernelSndNxt;
                    }
                    assertEquals(expected, n.translator.responseSequence(n.kernelSndNxt, len),
                            "seed " + seed + " request " + request + " node " + i);
                    assertEquals(clientSndNxt, n.translator.responseAck());
                    n.kernelSndNxt = TCP.add(n.kernelSndNxt, len);
                    if (random.nextInt(8) == 0) { // the kernel retransmits its first response segment
                        int firstLen = Math.min(MSS, responseLength);
                        assertEquals(clientRcvNxt, n.translator.responseSequence(firstSent[i], firstLen));
                        assertEquals(n.kernelSndNxt, n.translator.currentLocalSequence());
                    }
                }
                sent += len;
                // A pure ACK of part of what the client has received so far.
                if (random.nextInt(3) == 0) {
                    int acked = random.nextInt(sent + 1);
                    long can = TCP.add(clientRcvNxt, acked);
                    for (int i = 0; i < nodeCount; i++) {
                        Node n = nodes[i];
                        long lan = n.translator.onFollowUp(can);
                        assertEquals(n.kernelRcvNxt, n.translator.localSequence(clientSndNxt));
                        if (delivers[i]) {
                            assertEquals(TCP.add(lanAtBase[i], acked), lan, "partial ACK, node " + i);
                        } else {
                            assertEquals(n.kernelSndNxt, lan, "during a negligible request: CURR_SEQ");
                        }
                        assertTrue(TCP.lessOrEqual(lan, n.kernelSndNxt));
                    }
                }
            }
            clientRcvNxt = TCP.add(clientRcvNxt, responseLength);

            // A full pure ACK, sometimes.
            if (random.nextBoolean()) {
                for (Node n : nodes) {
                    assertEquals(n.kernelRcvNxt, n.translator.localSequence(clientSndNxt));
                    assertEquals(n.kernelSndNxt, n.translator.onFollowUp(clientRcvNxt));
                }
            }
        }

        // c6 FIN, the kernels' ACK and FIN, c7 ACK.
        for (Node n : nodes) {
            assertEquals(n.kernelRcvNxt, n.translator.localSequence(clientSndNxt));
            assertEquals(n.kernelSndNxt, n.translator.onBaseRequest(clientSndNxt, clientRcvNxt, 1));
            n.kernelRcvNxt = TCP.next(n.kernelRcvNxt);
            assertEquals(clientRcvNxt, n.translator.responseSequence(n.kernelSndNxt, 1));
            assertEquals(TCP.next(clientSndNxt), n.translator.responseAck());
            n.kernelSndNxt = TCP.next(n.kernelSndNxt);
        }
        clientSndNxt = TCP.next(clientSndNxt);
        clientRcvNxt = TCP.next(clientRcvNxt);
        long totalNegligible = 0;
        for (Node n : nodes) {
            assertEquals(n.kernelRcvNxt, n.translator.localSequence(clientSndNxt));
            assertEquals(n.kernelSndNxt, n.translator.onFollowUp(clientRcvNxt));
            totalNegligible += n.translator.negligibleBytes();
        }
        assertEquals(negligibleSeen, totalNegligible, "every read-only byte is negligible on every node but one");
    }

    /** An ISN within a few kilobytes of 2^32 half of the time, so that the exchange wraps. */
    private static long nearWrapOrAnywhere(Random random) {
        return random.nextBoolean() ? (1L << 32) - 1 - random.nextInt(20_000) : random.nextLong() & 0xFFFF_FFFFL;
    }
}
