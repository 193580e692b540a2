package org.artcp.node.net;

/**
 * The node's one native boundary (DESIGN §2): the Linux calls the data plane needs, on
 * {@code java.lang.foreign} ({@link FfmLinuxNet}), with errno captured per call. No JNI, no JNA.
 *
 * <p>File descriptors are plain {@code int}s. IPv4 addresses are {@code int}s in network order read
 * big-endian (198.18.0.10 is {@code 0xC612000A}), as in {@code org.artcp.node.packet}. Failures throw
 * {@link NativeException} naming the call and errno's text. Buffers are Java arrays: calls read or
 * write {@code buffer[offset, offset + length)} and keep no reference to it.
 */
public interface LinuxNet {
    /** {@code EtherType} of IPv4. */
    int ETH_P_IP = 0x0800;
    /** {@code EtherType} of ARP. */
    int ETH_P_ARP = 0x0806;
    /** {@code sll_pkttype} of a frame this host sent (AF_PACKET sees its own output too). */
    int PACKET_OUTGOING = 4;

    /** The implementation on this JVM. */
    static LinuxNet get() {
        return FfmLinuxNet.INSTANCE;
    }

    /**
     * Creates (or attaches to) the TUN device {@code name} ({@code IFF_TUN | IFF_NO_PI}: every read
     * and write is one bare IP packet) and returns its descriptor, non-blocking. The device disappears
     * when the descriptor is closed, unless it was made persistent elsewhere.
     */
    int openTun(String name) throws NativeException;

    /**
     * An AF_PACKET socket of type SOCK_DGRAM (frames arrive without their Ethernet header) bound to
     * interface {@code interfaceName} and EtherType {@code etherType}, non-blocking.
     */
    int openPacketSocket(String interfaceName, int etherType) throws NativeException;

    /**
     * Receives one frame from a packet socket: its network-layer bytes into {@code buffer}.
     *
     * @param info filled with the frame's {@code sll_pkttype} and source MAC address
     * @return the frame's length, or -1 when none is waiting
     */
    int receivePacket(int fd, byte[] buffer, int offset, int length, PacketInfo info) throws NativeException;

    /** Sends one network-layer packet out of a packet socket's interface to {@code destinationMac} with {@code etherType}. */
    void sendPacket(int fd, int etherType, byte[] destinationMac, byte[] buffer, int offset, int length)
            throws NativeException;

    /**
     * Frames the kernel dropped on a packet socket (its receive buffer was full) since the last call:
     * {@code PACKET_STATISTICS}' {@code tp_drops}, which reading resets.
     */
    long takePacketDrops(int fd) throws NativeException;

    /**
     * A raw IPv4 socket ({@code IPPROTO_RAW}: the caller supplies the whole IP header) whose packets
     * carry {@code SO_MARK = mark}, so that policy routing can send them past the TUN route. Non-blocking:
     * a send that finds the socket buffer full fails with {@code EAGAIN} (see {@link NativeException#errno()}).
     */
    int openRawIpSocket(int mark) throws NativeException;

    /** Sends the IPv4 packet {@code buffer[offset, offset + length)} (header included) towards {@code destination}. */
    void sendRawIp(int fd, byte[] buffer, int offset, int length, int destination) throws NativeException;

    /**
     * A UDP socket bound to {@code bindAddress:port} (0 for any), non-blocking, with SO_REUSEADDR.
     * When {@code multicastGroup} is not 0 it joins the group on the interface of {@code interfaceAddress},
     * sends multicast out of that interface, with TTL 1 and without looping its own datagrams back.
     * To receive the group's datagrams, bind to 0 (or to the group): Linux hands them only to sockets bound
     * to the group's address or to any address, never to one bound to a unicast address.
     */
    int openUdpSocket(int bindAddress, int port, int multicastGroup, int interfaceAddress) throws NativeException;

    /** Sends one datagram to {@code destination:port}. */
    void sendUdp(int fd, byte[] buffer, int offset, int length, int destination, int port) throws NativeException;

    /**
     * Receives one datagram.
     *
     * @return its length, or -1 when none is waiting
     */
    int receiveUdp(int fd, byte[] buffer, int offset, int length) throws NativeException;

    /** {@code read(2)} on a non-blocking descriptor: the byte count, or -1 when nothing is waiting. */
    int read(int fd, byte[] buffer, int offset, int length) throws NativeException;

    /** {@code write(2)} of the whole range (a TUN write is one packet). */
    void write(int fd, byte[] buffer, int offset, int length) throws NativeException;

    /**
     * {@code poll(2)} for readability.
     *
     * @param fds the descriptors
     * @param readable set to whether each descriptor is readable (or has an error or hang-up)
     * @param timeoutMillis how long to wait at most; 0 returns at once
     * @return how many are readable (0 on timeout or EINTR)
     */
    int pollReadable(int[] fds, boolean[] readable, int timeoutMillis) throws NativeException;

    /** Closes the descriptor; errors are ignored. */
    void close(int fd);

    /**
     * Moves the calling thread into the network namespace {@code name} ({@code /run/netns/NAME}, as
     * {@code ip netns} makes them) with {@code setns(2)}. Sockets and TUN devices the thread opens
     * afterwards live there; other threads are not affected. Use a thread of its own for it.
     */
    void enterNetworkNamespace(String name) throws NativeException;

    /** The interface's index ({@code if_nametoindex}). */
    int interfaceIndex(String interfaceName) throws NativeException;

    /** The interface's 6-byte MAC address. */
    byte[] macAddress(String interfaceName) throws NativeException;
}
