package org.artcp.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.artcp.node.packet.ArpPacket;
import org.artcp.node.packet.Checksums;
import org.artcp.node.packet.Ipv4Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link FfmLinuxNet} against the real kernel, in throw-away network namespaces ({@link NetNamespaces}): TUN, AF_PACKET
 * (IPv4 and ARP), raw IP with IP_HDRINCL, UDP unicast and multicast, poll, and the errors. Needs root; elsewhere every
 * test is skipped with the reason on stderr.
 */
@Tag("testbed")
class FfmLinuxNetTest {
    private static final LinuxNet NET = LinuxNet.get();
    private static final int WAIT_MS = 5_000;
    private static final int UDP_HEADER = 8;

    private static String unavailable;
    private NetNamespaces namespaces;
    private final List<Integer> fds = new ArrayList<>();

    @BeforeAll
    static void probeRootAndNamespaces() {
        unavailable = NetNamespaces.unavailableReason();
        if (unavailable != null) {
            System.err.println("FfmLinuxNetTest skipped: " + unavailable);
        }
    }

    /** Assumed per test rather than in {@code @BeforeAll}, so that every skipped test is counted as skipped. */
    @BeforeEach
    void namespaces() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
        namespaces = new NetNamespaces();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (namespaces == null) {
            return;
        }
        fds.forEach(NET::close); // before the namespaces go, or a TUN descriptor would keep one alive
        namespaces.close();
    }

    @Test
    void tunCarriesIpPacketsBothWays() throws Exception {
        String ns = namespaces.create("tun");
        int tun = keep(NetNamespaces.inside(ns, () -> NET.openTun("t0")));
        namespaces.ip(ns, "addr", "add", "10.77.0.1/24", "dev", "t0");
        namespaces.ip(ns, "link", "set", "t0", "up");
        int local = ip(10, 77, 0, 1);
        int peer = ip(10, 77, 0, 2);
        int udp = keep(NetNamespaces.inside(ns, () -> NET.openUdpSocket(local, 40001, 0, 0)));

        byte[] payload = "to the tun device".getBytes(StandardCharsets.US_ASCII);
        NET.sendUdp(udp, payload, 0, payload.length, peer, 9);
        byte[] packet = new byte[2048];
        int n = awaitRead(tun, packet, p -> isUdpTo(p, peer, 9));
        Ipv4Packet ip = new Ipv4Packet().wrap(packet, 0, n);
        assertTrue(ip.isValid() && ip.verifyHeaderChecksum());
        assertEquals(local, ip.source());
        assertEquals(40001, u16(packet, 20));
        assertEquals(payload.length + 28, ip.totalLength());
        assertArrayEquals(payload, Arrays.copyOfRange(packet, 28, n));
        assertEquals(0xFFFF, udpChecksumSum(packet, n), "a TUN device without offloads gets full UDP checksums");

        byte[] reply = "from the tun device".getBytes(StandardCharsets.US_ASCII);
        byte[] in = udpPacket(peer, 9, local, 40001, reply, false);
        NET.write(tun, in, 0, in.length);
        byte[] received = new byte[2048];
        int m = awaitUdp(udp, received);
        assertArrayEquals(reply, Arrays.copyOf(received, m));
    }

    @Test
    void packetSocketsAndRawIpAcrossAVeth() throws Exception {
        String a = namespaces.create("a");
        String b = namespaces.create("b");
        namespaces.ip(a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b);
        namespaces.ip(a, "addr", "add", "10.78.0.1/24", "dev", "va");
        namespaces.ip(b, "addr", "add", "10.78.0.2/24", "dev", "vb");
        namespaces.ip(a, "link", "set", "va", "up");
        namespaces.ip(b, "link", "set", "vb", "up");
        int addressA = ip(10, 78, 0, 1);
        int addressB = ip(10, 78, 0, 2);
        byte[] macA = NetNamespaces.inside(a, () -> NET.macAddress("va"));
        byte[] macB = NetNamespaces.inside(b, () -> NET.macAddress("vb"));
        assertEquals(6, macA.length);
        assertFalse(Arrays.equals(macA, macB));
        int tapB = keep(NetNamespaces.inside(b, () -> NET.openPacketSocket("vb", LinuxNet.ETH_P_IP)));
        int arpB = keep(NetNamespaces.inside(b, () -> NET.openPacketSocket("vb", LinuxNet.ETH_P_ARP)));
        int raw = keep(NetNamespaces.inside(a, () -> NET.openRawIpSocket(7)));
        int udpA = keep(NetNamespaces.inside(a, () -> NET.openUdpSocket(addressA, 40002, 0, 0)));

        // A raw, fully built packet from A arrives in B byte for byte, as a frame to this host from A's MAC.
        byte[] out = udpPacket(addressA, 40003, addressB, 40004, "raw".getBytes(StandardCharsets.US_ASCII), true);
        NET.sendRawIp(raw, out, 0, out.length, addressB);
        byte[] frame = new byte[2048];
        PacketInfo info = new PacketInfo();
        int n = awaitPacket(tapB, frame, info, p -> isUdpTo(p, addressB, 40004));
        assertArrayEquals(out, Arrays.copyOf(frame, n));
        assertEquals(0, info.packetType, "PACKET_HOST");
        assertArrayEquals(macA, info.sourceMac);

        // B answers from its packet socket, addressed by MAC; A's kernel takes it up as ordinary UDP.
        byte[] answer = "answer".getBytes(StandardCharsets.US_ASCII);
        byte[] back = udpPacket(addressB, 40004, addressA, 40002, answer, true);
        NET.sendPacket(tapB, LinuxNet.ETH_P_IP, macA, back, 0, back.length);
        byte[] received = new byte[2048];
        int m = awaitUdp(udpA, received);
        assertArrayEquals(answer, Arrays.copyOf(received, m));

        // A resolving a neighbour that does not exist broadcasts an ARP request, which B's ARP socket sees.
        int absent = ip(10, 78, 0, 3);
        NET.sendUdp(udpA, answer, 0, answer.length, absent, 9);
        ArpPacket arp = new ArpPacket();
        int k = awaitPacket(arpB, frame, info, p -> arp.wrap(p, 0, p.length).isRequestFor(absent));
        arp.wrap(frame, 0, k);
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(1, info.packetType, "PACKET_BROADCAST");
        assertArrayEquals(macA, info.sourceMac);
        assertEquals(mac(macA), arp.senderMac());
    }

    @Test
    void multicastReachesTheOthersButNotTheSender() throws Exception {
        String lan = namespaces.create("lan");
        namespaces.ip(lan, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        namespaces.ip(lan, "link", "set", "br0", "up");
        int group = ip(239, 18, 0, 1);
        int[] sockets = new int[3];
        for (int i = 0; i < 3; i++) {
            String host = namespaces.create("h" + (i + 1));
            String port = "vl" + (i + 1);
            namespaces.ip(lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host);
            namespaces.ip(lan, "link", "set", port, "master", "br0", "up");
            namespaces.ip(host, "addr", "add", "10.79.0." + (i + 1) + "/24", "dev", "eth0");
            namespaces.ip(host, "link", "set", "eth0", "up");
            int own = ip(10, 79, 0, i + 1);
            // Bound to any address: Linux hands a group's datagrams only to sockets bound to the group or to any.
            sockets[i] = keep(NetNamespaces.inside(host, () -> NET.openUdpSocket(0, 45000, group, own)));
        }
        byte[] message = "ordered request".getBytes(StandardCharsets.US_ASCII);
        NET.sendUdp(sockets[0], message, 0, message.length, group, 45000);
        byte[] received = new byte[2048];
        for (int i = 1; i < 3; i++) {
            int n = awaitUdp(sockets[i], received);
            assertArrayEquals(message, Arrays.copyOf(received, n), "member " + (i + 1));
        }
        boolean[] readable = new boolean[1];
        assertEquals(0, NET.pollReadable(new int[] {sockets[0]}, readable, 300), "no loopback to the sender");
        assertEquals(-1, NET.receiveUdp(sockets[0], received, 0, received.length));
    }

    @Test
    void aUnicastBoundSocketDoesNotSeeTheGroup() throws Exception {
        // The kernel behaviour behind LinuxNet.openUdpSocket's note: bound to its own address, a member gets nothing.
        String lan = namespaces.create("lan");
        namespaces.ip(lan, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        namespaces.ip(lan, "link", "set", "br0", "up");
        int group = ip(239, 18, 0, 1);
        int[] sockets = new int[2];
        for (int i = 0; i < 2; i++) {
            String host = namespaces.create("u" + (i + 1));
            String port = "vu" + (i + 1);
            namespaces.ip(lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host);
            namespaces.ip(lan, "link", "set", port, "master", "br0", "up");
            namespaces.ip(host, "addr", "add", "10.79.1." + (i + 1) + "/24", "dev", "eth0");
            namespaces.ip(host, "link", "set", "eth0", "up");
            int own = ip(10, 79, 1, i + 1);
            sockets[i] = keep(NetNamespaces.inside(host, () -> NET.openUdpSocket(own, 45000, group, own)));
        }
        byte[] message = "lost".getBytes(StandardCharsets.US_ASCII);
        NET.sendUdp(sockets[0], message, 0, message.length, group, 45000);
        assertEquals(0, NET.pollReadable(new int[] {sockets[1]}, new boolean[1], 500));
    }

    @Test
    void pollTimesOutWhenIdleAndNamesTheReadableDescriptor() throws Exception {
        String ns = namespaces.create("poll");
        int loopback = ip(127, 0, 0, 1);
        int first = keep(NetNamespaces.inside(ns, () -> NET.openUdpSocket(loopback, 40010, 0, 0)));
        int second = keep(NetNamespaces.inside(ns, () -> NET.openUdpSocket(loopback, 40011, 0, 0)));
        int[] both = {first, second};
        boolean[] readable = {true, true};
        assertEquals(0, NET.pollReadable(both, readable, 0));
        assertEquals(0, NET.pollReadable(both, readable, 100));
        assertFalse(readable[0] || readable[1]);

        byte[] ping = {1, 2, 3};
        NET.sendUdp(first, ping, 0, ping.length, loopback, 40011);
        assertEquals(1, NET.pollReadable(both, readable, WAIT_MS));
        assertFalse(readable[0]);
        assertTrue(readable[1]);
        byte[] buffer = new byte[16];
        assertEquals(3, NET.receiveUdp(second, buffer, 4, 12));
        assertArrayEquals(ping, Arrays.copyOfRange(buffer, 4, 7), "received at the offset given");
        assertEquals(-1, NET.receiveUdp(second, buffer, 0, buffer.length), "EAGAIN is -1");
        assertEquals(-1, NET.read(second, buffer, 0, buffer.length), "EAGAIN is -1");
    }

    @Test
    void manyThreadsShareTheInstance() throws Exception {
        String ns = namespaces.create("threads");
        int loopback = ip(127, 0, 0, 1);
        int threads = 4;
        int datagrams = 2_000;
        int[] sockets = new int[threads];
        for (int t = 0; t < threads; t++) {
            int port = 40100 + t;
            sockets[t] = keep(NetNamespaces.inside(ns, () -> NET.openUdpSocket(loopback, port, 0, 0)));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int socket = sockets[t];
            int port = 40100 + t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    byte[] out = new byte[64];
                    byte[] in = new byte[64];
                    for (int i = 0; i < datagrams; i++) {
                        out[0] = (byte) port;
                        out[1] = (byte) i;
                        NET.sendUdp(socket, out, 0, out.length, loopback, port);
                        int n = awaitUdp(socket, in);
                        assertEquals(64, n);
                        assertEquals(out[0], in[0]);
                        assertEquals(out[1], in[1]);
                        // An error on one thread must report its own errno, not another thread's.
                        NativeException e = assertThrows(NativeException.class, () -> NET.read(-1, in, 0, 1));
                        assertEquals(9, e.errno(), "EBADF");
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(List.of(), List.copyOf(failures));
    }

    @Test
    void errorsNameWhatFailed() throws Exception {
        String ns = namespaces.create("errors");
        NativeException missing = assertThrows(NativeException.class,
                () -> NetNamespaces.inside(ns, () -> NET.openPacketSocket("nosuchif0", LinuxNet.ETH_P_IP)));
        assertTrue(missing.getMessage().contains("nosuchif0"), missing.getMessage());
        assertThrows(NativeException.class, () -> NetNamespaces.inside(ns, () -> NET.interfaceIndex("nosuchif0")));
        assertThrows(NativeException.class, () -> NetNamespaces.inside(ns, () -> NET.macAddress("nosuchif0")));

        NativeException tooLong = assertThrows(NativeException.class,
                () -> NetNamespaces.inside(ns, () -> NET.openTun("sixteen-chars-xx")));
        assertTrue(tooLong.getMessage().contains("sixteen-chars-xx"), tooLong.getMessage());
        int tun = keep(NetNamespaces.inside(ns, () -> NET.openTun("fifteen-chars-x")));
        assertTrue(tun >= 0);
        assertEquals(1, NetNamespaces.inside(ns, () -> NET.interfaceIndex("lo")));

        NativeException badFd = assertThrows(NativeException.class, () -> NET.write(-1, new byte[1], 0, 1));
        assertEquals(9, badFd.errno());
        assertTrue(badFd.getMessage().contains("Bad file descriptor"), badFd.getMessage());
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private static int awaitRead(int fd, byte[] buffer, Predicate<byte[]> wanted) throws NativeException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            NET.pollReadable(new int[] {fd}, new boolean[1], 100);
            int n;
            while ((n = NET.read(fd, buffer, 0, buffer.length)) >= 0) {
                if (wanted.test(Arrays.copyOf(buffer, n))) {
                    return n;
                }
            }
        }
        throw new AssertionError("nothing wanted arrived on fd " + fd);
    }

    private static int awaitPacket(int fd, byte[] buffer, PacketInfo info, Predicate<byte[]> wanted)
            throws NativeException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            NET.pollReadable(new int[] {fd}, new boolean[1], 100);
            int n;
            while ((n = NET.receivePacket(fd, buffer, 0, buffer.length, info)) >= 0) {
                if (info.packetType != LinuxNet.PACKET_OUTGOING && wanted.test(Arrays.copyOf(buffer, n))) {
                    return n;
                }
            }
        }
        throw new AssertionError("nothing wanted arrived on packet socket " + fd);
    }

    private static int awaitUdp(int fd, byte[] buffer) throws NativeException {
        boolean[] readable = new boolean[1];
        if (NET.pollReadable(new int[] {fd}, readable, WAIT_MS) != 1 || !readable[0]) {
            throw new AssertionError("no datagram on fd " + fd + " within " + WAIT_MS + " ms");
        }
        int n = NET.receiveUdp(fd, buffer, 0, buffer.length);
        assertTrue(n >= 0, "poll said readable");
        return n;
    }

    private static boolean isUdpTo(byte[] packet, int destination, int port) {
        Ipv4Packet ip = new Ipv4Packet().wrap(packet, 0, packet.length);
        return ip.isValid() && ip.protocol() == Ipv4Packet.PROTOCOL_UDP && ip.destination() == destination
                && ip.headerLength() == 20 && packet.length >= 28 && u16(packet, 22) == port;
    }

    /** An IPv4/UDP packet with a correct header checksum; the UDP checksum computed or left 0 (none). */
    private static byte[] udpPacket(int source, int sourcePort, int destination, int destinationPort, byte[] payload,
            boolean udpChecksum) {
        byte[] p = new byte[20 + UDP_HEADER + payload.length];
        Ipv4Packet ip = new Ipv4Packet().wrap(p, 0, p.length).initHeader();
        ip.totalLength(p.length).identification(0x1234).protocol(Ipv4Packet.PROTOCOL_UDP)
                .source(source).destination(destination).updateHeaderChecksum();
        u16(p, 20, sourcePort);
        u16(p, 22, destinationPort);
        u16(p, 24, UDP_HEADER + payload.length);
        System.arraycopy(payload, 0, p, 28, payload.length);
        if (udpChecksum) {
            int checksum = Checksums.complement(udpChecksumSum(p, p.length));
            u16(p, 26, checksum == 0 ? 0xFFFF : checksum);
        }
        return p;
    }

    /** The folded sum of the UDP pseudo-header and datagram (checksum field included): 0xFFFF when correct. */
    private static int udpChecksumSum(byte[] p, int length) {
        int sum = Checksums.sum(p, 12, 8, 0);
        sum = Checksums.add(sum, Ipv4Packet.PROTOCOL_UDP);
        sum = Checksums.add(sum, length - 20);
        return Checksums.sum(p, 20, length - 20, sum);
    }

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private static long mac(byte[] mac) {
        return Long.parseLong(HexFormat.of().formatHex(mac), 16);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static void u16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
