package org.artcp.node.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@link LinuxNet} on {@code java.lang.foreign}: one {@code static final MethodHandle} per libc symbol, errno
 * captured per call with {@code Linker.Option.captureCallState("errno")}, failures as {@link NativeException}s
 * with {@code strerror}'s text (DESIGN §2, STYLE 7).
 *
 * <p>Safe to call from any number of threads: it holds no mutable state. The per-packet calls ({@code read},
 * {@code write}, {@code sendto}, {@code recvfrom}) are {@code Linker.Option.critical(true)}: they take the caller's
 * {@code byte[]} itself, without a copy, and capture errno into a small array of their own (critical and
 * captureCallState combine, and a critical call may capture into the heap). A critical call holds off the garbage
 * collector while it runs, so it is only used on descriptors this class opened non-blocking; {@code poll}, which
 * blocks by design, is an ordinary downcall. Every other call allocates its native memory in a confined arena of
 * its own.
 *
 * <p>Expected non-blocking outcomes are status values (OpenJDK {@code IOStatus}): {@code EINTR} is retried (or,
 * for {@code poll}, reported as nothing ready) and {@code EAGAIN} on a receive is -1. {@code EAGAIN} on a send
 * (a full socket buffer) is an exception whose {@link NativeException#errno()} says so; the sockets get 4 MiB
 * buffers to make that rare.
 */
final class FfmLinuxNet implements LinuxNet {
    static final FfmLinuxNet INSTANCE = new FfmLinuxNet();

    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AF_INET = 2;
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_IP = 0;
    private static final int IPPROTO_RAW = 255;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_MARK = 36;
    private static final int IP_MULTICAST_IF = 32;
    private static final int IP_MULTICAST_TTL = 33;
    private static final int IP_MULTICAST_LOOP = 34;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final int IP_MULTICAST_ALL = 49;
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCGIFHWADDR = 0x8927L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 0x0001;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    /** {@code IFNAMSIZ}: an interface name and its terminating NUL. */
    private static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)}: the name, then a union of at most 24 bytes. */
    private static final int IFREQ_BYTES = 40;
    private static final int IFR_FLAGS_OFFSET = 16;
    /** {@code ifr_hwaddr} is a {@code struct sockaddr}: 2 bytes of family, then the address. */
    private static final int IFR_HWADDR_DATA_OFFSET = 18;
    private static final int MAC_BYTES = 6;

    /** {@code struct sockaddr_in}: family (host order), port and address (network order), 8 bytes of zeros. */
    private static final int SOCKADDR_IN_BYTES = 16;
    private static final int SIN_PORT_OFFSET = 2;
    private static final int SIN_ADDR_OFFSET = 4;

    /** {@code struct sockaddr_ll} (packet(7)). */
    private static final int SOCKADDR_LL_BYTES = 20;
    private static final int SLL_PROTOCOL_OFFSET = 2;
    private static final int SLL_IFINDEX_OFFSET = 4;
    private static final int SLL_PKTTYPE_OFFSET = 10;
    private static final int SLL_HALEN_OFFSET = 11;
    private static final int SLL_ADDR_OFFSET = 12;

    /** {@code struct pollfd}: {@code int fd; short events; short revents}. */
    private static final int POLLFD_BYTES = 8;
    private static final int POLLFD_EVENTS_OFFSET = 4;
    private static final int POLLFD_REVENTS_OFFSET = 6;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT_BE = SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_NATIVE = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt INT_BE = INT_NATIVE.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
    private static final int O_RDONLY = 0;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_STATISTICS = 6;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int CAPTURE_INTS = (int) ((CAPTURE.byteSize() + 3) / 4);
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final Linker.Option HEAP_ACCESS = Linker.Option.critical(true);

    /** {@code open(path, flags, mode)}: variadic after the flags. */
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(INT, ADDRESS, INT, INT),
            ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(INT, INT, INT), ERRNO_OPTION);
    /** {@code ioctl(fd, request, argp)}: variadic after the request. */
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(INT, INT, LONG, ADDRESS),
            ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT),
            ERRNO_OPTION);
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(INT, INT, ADDRESS, INT),
            ERRNO_OPTION);
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS, INT), ERRNO_OPTION);
    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS, ADDRESS), ERRNO_OPTION);
    private static final MethodHandle GETSOCKNAME = handle("getsockname",
            FunctionDescriptor.of(INT, INT, ADDRESS, ADDRESS), ERRNO_OPTION);
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(INT, ADDRESS, LONG, INT),
            ERRNO_OPTION);
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG),
            ERRNO_OPTION, HEAP_ACCESS);
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG),
            ERRNO_OPTION, HEAP_ACCESS);
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(LONG, INT, ADDRESS, LONG, INT, ADDRESS, INT), ERRNO_OPTION, HEAP_ACCESS);
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(LONG, INT, ADDRESS, LONG, INT, ADDRESS, ADDRESS), ERRNO_OPTION, HEAP_ACCESS);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle IF_NAMETOINDEX = handle("if_nametoindex", FunctionDescriptor.of(INT, ADDRESS),
            ERRNO_OPTION);
    private static final MethodHandle STRERROR = handle("strerror", FunctionDescriptor.of(ADDRESS, INT));

    private FfmLinuxNet() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    @Override
    public int openTun(String name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"),
                    O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("open(/dev/net/tun)", state);
            }
            ifreq.set(SHORT, IFR_FLAGS_OFFSET, (short) (IFF_TUN | IFF_NO_PI));
            if ((int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq) < 0) {
                NativeException e = failure("ioctl(TUNSETIFF, " + name + ")", state);
                close(fd);
                throw e;
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long takePacketDrops(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment stats = arena.allocate(8); // struct tpacket_stats { unsigned tp_packets, tp_drops; }
            MemorySegment length = arena.allocateFrom(INT, 8);
            if ((int) GETSOCKOPT.invokeExact(state, fd, SOL_PACKET, PACKET_STATISTICS, stats, length) < 0) {
                throw failure("getsockopt(PACKET_STATISTICS)", state);
            }
            return Integer.toUnsignedLong(stats.get(INT, 4));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void enterNetworkNamespace(String name) throws NativeException {
        if (name.isEmpty() || name.contains("/")) {
            throw new NativeException("not a network namespace name: '" + name + "'");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            String path = "/run/netns/" + name;
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("open(" + path + ")", state);
            }
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            NativeException e = rc < 0 ? failure("setns(" + name + ")", state) : null;
            close(fd);
            if (e != null) {
                throw e;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int openPacketSocket(String interfaceName, int etherType) throws NativeException {
        int ifindex = interfaceIndex(interfaceName);
        int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, Short.toUnsignedInt(htons(etherType)),
                "socket(AF_PACKET)");
        try (Arena arena = Arena.ofConfined()) {
            setBuffers(fd);
            MemorySegment sll = arena.allocate(SOCKADDR_LL_BYTES);
            sll.set(SHORT, 0, (short) AF_PACKET);
            sll.set(SHORT_BE, SLL_PROTOCOL_OFFSET, (short) etherType);
            sll.set(INT_NATIVE, SLL_IFINDEX_OFFSET, ifindex);
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) BIND.invokeExact(state, fd, sll, SOCKADDR_LL_BYTES) < 0) {
                throw failure("bind(AF_PACKET, " + interfaceName + ")", state);
            }
            return fd;
        } catch (Throwable t) {
            close(fd);
            throw rethrow(t);
        }
    }

    @Override
    public int receivePacket(int fd, byte[] buffer, int offset, int length, PacketInfo info) throws NativeException {
        MemorySegment sll = MemorySegment.ofArray(new byte[SOCKADDR_LL_BYTES]);
        MemorySegment sllLength = MemorySegment.ofArray(new int[] {SOCKADDR_LL_BYTES});
        int n = receive(fd, buffer, offset, length, sll, sllLength, "recvfrom(AF_PACKET)");
        if (n >= 0) {
            info.packetType = Byte.toUnsignedInt(sll.get(ValueLayout.JAVA_BYTE, SLL_PKTTYPE_OFFSET));
            MemorySegment.copy(sll, ValueLayout.JAVA_BYTE, SLL_ADDR_OFFSET, info.sourceMac, 0, MAC_BYTES);
        }
        return n;
    }

    @Override
    public void sendPacket(int fd, int etherType, byte[] destinationMac, byte[] buffer, int offset, int length)
            throws NativeException {
        if (destinationMac.length != MAC_BYTES) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + destinationMac.length);
        }
        MemorySegment sll = MemorySegment.ofArray(new byte[SOCKADDR_LL_BYTES]);
        sll.set(SHORT, 0, (short) AF_PACKET);
        sll.set(SHORT_BE, SLL_PROTOCOL_OFFSET, (short) etherType);
        // A bound packet socket still needs the index in every sendto; asking the kernel keeps this class stateless.
        sll.set(INT_NATIVE, SLL_IFINDEX_OFFSET, boundInterfaceIndex(fd));
        sll.set(ValueLayout.JAVA_BYTE, SLL_HALEN_OFFSET, (byte) MAC_BYTES);
        MemorySegment.copy(destinationMac, 0, sll, ValueLayout.JAVA_BYTE, SLL_ADDR_OFFSET, MAC_BYTES);
        send(fd, buffer, offset, length, sll, "sendto(AF_PACKET)");
    }

    @Override
    public int openRawIpSocket(int mark) throws NativeException {
        // Non-blocking like every other descriptor here, because sendto is a critical call.
        int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW, "socket(AF_INET, SOCK_RAW)");
        try {
            setInt(fd, SOL_SOCKET, SO_MARK, mark, "setsockopt(SO_MARK)");
            setBuffers(fd);
            return fd;
        } catch (NativeException e) {
            close(fd);
            throw e;
        }
    }

    @Override
    public void sendRawIp(int fd, byte[] buffer, int offset, int length, int destination) throws NativeException {
        send(fd, buffer, offset, length, sockaddrIn(destination, 0), "sendto(SOCK_RAW)");
    }

    @Override
    public int openUdpSocket(int bindAddress, int port, int multicastGroup, int interfaceAddress)
            throws NativeException {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, "socket(AF_INET, SOCK_DGRAM)");
        try (Arena arena = Arena.ofConfined()) {
            setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)");
            setBuffers(fd);
            MemorySegment address = arena.allocate(SOCKADDR_IN_BYTES);
            MemorySegment.copy(sockaddrIn(bindAddress, port), 0, address, 0, SOCKADDR_IN_BYTES);
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) BIND.invokeExact(state, fd, address, SOCKADDR_IN_BYTES) < 0) {
                throw failure("bind(" + dotted(bindAddress) + ":" + port + ")", state);
            }
            if (multicastGroup != 0) {
                MemorySegment mreq = arena.allocate(8);
                mreq.set(INT_BE, 0, multicastGroup);
                mreq.set(INT_BE, 4, interfaceAddress);
                setOption(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, "setsockopt(IP_ADD_MEMBERSHIP, "
                        + dotted(multicastGroup) + " on " + dotted(interfaceAddress) + ")");
                setOption(fd, IPPROTO_IP, IP_MULTICAST_IF, mreq.asSlice(4, 4),
                        "setsockopt(IP_MULTICAST_IF, " + dotted(interfaceAddress) + ")");
                setInt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "setsockopt(IP_MULTICAST_LOOP)");
                setInt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 1, "setsockopt(IP_MULTICAST_TTL)");
                // Only this socket's own groups, not every group some other socket on the host joined.
                setInt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "setsockopt(IP_MULTICAST_ALL)");
            }
            return fd;
        } catch (Throwable t) {
            close(fd);
            throw rethrow(t);
        }
    }

    @Override
    public void sendUdp(int fd, byte[] buffer, int offset, int length, int destination, int port)
            throws NativeException {
        send(fd, buffer, offset, length, sockaddrIn(destination, port), "sendto(UDP)");
    }

    @Override
    public int receiveUdp(int fd, byte[] buffer, int offset, int length) throws NativeException {
        return receive(fd, buffer, offset, length, MemorySegment.NULL, MemorySegment.NULL, "recvfrom(UDP)");
    }

    @Override
    public int read(int fd, byte[] buffer, int offset, int length) throws NativeException {
        MemorySegment bytes = MemorySegment.ofArray(buffer).asSlice(offset, length);
        MemorySegment state = heapState();
        try {
            while (true) {
                long n = (long) READ.invokeExact(state, fd, bytes, (long) length);
                if (n >= 0) {
                    return (int) n;
                }
                if (errno(state) == EAGAIN) {
                    return -1;
                }
                if (errno(state) != EINTR) {
                    throw failure("read(" + fd + ")", state);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void write(int fd, byte[] buffer, int offset, int length) throws NativeException {
        MemorySegment bytes = MemorySegment.ofArray(buffer).asSlice(offset, length);
        MemorySegment state = heapState();
        try {
            long written = 0;
            while (written < length) {
                long n = (long) WRITE.invokeExact(state, fd, bytes.asSlice(written), length - written);
                if (n >= 0) {
                    written += n;
                } else if (errno(state) != EINTR) {
                    throw failure("write(" + fd + ")", state);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int pollReadable(int[] fds, boolean[] readable, int timeoutMillis) throws NativeException {
        if (readable.length < fds.length) {
            throw new IllegalArgumentException("readable has " + readable.length + " slots for " + fds.length + " fds");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate((long) POLLFD_BYTES * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(INT_NATIVE, (long) POLLFD_BYTES * i, fds[i]);
                pollfds.set(SHORT, (long) POLLFD_BYTES * i + POLLFD_EVENTS_OFFSET, POLLIN);
            }
            MemorySegment state = arena.allocate(CAPTURE);
            int n = (int) POLL.invokeExact(state, pollfds, (long) fds.length, timeoutMillis);
            if (n < 0 && errno(state) != EINTR) {
                throw failure("poll", state);
            }
            for (int i = 0; i < fds.length; i++) {
                readable[i] = n > 0 && pollfds.get(SHORT, (long) POLLFD_BYTES * i + POLLFD_REVENTS_OFFSET) != 0;
            }
            return Math.max(n, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@inheritDoc} The kernel looks the name up in the network namespace of the calling thread. */
    @Override
    public int interfaceIndex(String interfaceName) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int index = (int) IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(interfaceName));
            if (index == 0) {
                throw new NativeException("if_nametoindex(" + interfaceName + ")", errno(state),
                        "no interface " + interfaceName + ": " + strerror(errno(state)));
            }
            return index;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@inheritDoc} Asked of the kernel ({@code SIOCGIFHWADDR}) rather than read from {@code /sys/class/net}: sysfs
     * shows the namespace it was mounted in, the ioctl that of the calling thread, which is the one that counts.
     */
    @Override
    public byte[] macAddress(String interfaceName) throws NativeException {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, "socket(AF_INET, SOCK_DGRAM)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, interfaceName);
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) IOCTL.invokeExact(state, fd, SIOCGIFHWADDR, ifreq) < 0) {
                throw failure("ioctl(SIOCGIFHWADDR, " + interfaceName + ")", state);
            }
            return ifreq.asSlice(IFR_HWADDR_DATA_OFFSET, MAC_BYTES).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            close(fd);
        }
    }

    /** One datagram or frame; -1 when none is waiting. The address arguments may be {@code NULL}. */
    private static int receive(int fd, byte[] buffer, int offset, int length, MemorySegment from,
            MemorySegment fromLength, String call) throws NativeException {
        MemorySegment bytes = MemorySegment.ofArray(buffer).asSlice(offset, length);
        MemorySegment state = heapState();
        try {
            while (true) {
                long n = (long) RECVFROM.invokeExact(state, fd, bytes, (long) length, 0, from, fromLength);
                if (n >= 0) {
                    return (int) n;
                }
                if (errno(state) == EAGAIN) {
                    return -1;
                }
                if (errno(state) != EINTR) {
                    throw failure(call, state);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void send(int fd, byte[] buffer, int offset, int length, MemorySegment to, String call)
            throws NativeException {
        MemorySegment bytes = MemorySegment.ofArray(buffer).asSlice(offset, length);
        MemorySegment state = heapState();
        try {
            long n;
            do {
                n = (long) SENDTO.invokeExact(state, fd, bytes, (long) length, 0, to, (int) to.byteSize());
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0) {
                throw failure(call, state);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The interface a packet socket is bound to, from {@code getsockname}'s {@code sockaddr_ll}. */
    private static int boundInterfaceIndex(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sll = arena.allocate(SOCKADDR_LL_BYTES, 4);
            MemorySegment sllLength = arena.allocate(INT);
            sllLength.set(INT, 0, SOCKADDR_LL_BYTES);
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) GETSOCKNAME.invokeExact(state, fd, sll, sllLength) < 0) {
                throw failure("getsockname(" + fd + ")", state);
            }
            return sll.get(INT_NATIVE, SLL_IFINDEX_OFFSET);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int socket(int domain, int type, int protocol, String call) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, domain, type, protocol);
            if (fd < 0) {
                throw failure(call, state);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** 4 MiB each way, past {@code rmem_max}/{@code wmem_max} when root; the plain options otherwise. */
    private static void setBuffers(int fd) throws NativeException {
        if (!trySetInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER_BYTES)) {
            trySetInt(fd, SOL_SOCKET, SO_RCVBUF, SOCKET_BUFFER_BYTES);
        }
        if (!trySetInt(fd, SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER_BYTES)) {
            trySetInt(fd, SOL_SOCKET, SO_SNDBUF, SOCKET_BUFFER_BYTES);
        }
    }

    private static boolean trySetInt(int fd, int level, int option, int value) {
        try {
            setInt(fd, level, option, value, "setsockopt");
            return true;
        } catch (NativeException e) {
            return false;
        }
    }

    private static void setInt(int fd, int level, int option, int value, String call) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            setOption(fd, level, option, arena.allocateFrom(INT, value), call);
        }
    }

    private static void setOption(int fd, int level, int option, MemorySegment value, String call)
            throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()) < 0) {
                throw failure(call, state);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A zeroed {@code struct ifreq} holding {@code name}; names the kernel would truncate are refused. */
    private static MemorySegment ifreq(Arena arena, String name) throws NativeException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new NativeException("interface name \"" + name + "\" must have 1 to " + (IFNAMSIZ - 1)
                    + " characters");
        }
        MemorySegment ifreq = arena.allocate(IFREQ_BYTES, 8);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return ifreq;
    }

    /** A {@code struct sockaddr_in} on the heap, for the critical calls. */
    private static MemorySegment sockaddrIn(int address, int port) {
        MemorySegment sin = MemorySegment.ofArray(new byte[SOCKADDR_IN_BYTES]);
        sin.set(SHORT, 0, (short) AF_INET);
        sin.set(SHORT_BE, SIN_PORT_OFFSET, (short) port);
        sin.set(INT_BE, SIN_ADDR_OFFSET, address);
        return sin;
    }

    private static short htons(int value) {
        return Short.reverseBytes((short) value);
    }

    /** Where a critical call captures errno: on the heap, private to the call. */
    private static MemorySegment heapState() {
        return MemorySegment.ofArray(new int[CAPTURE_INTS]);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static NativeException failure(String call, MemorySegment state) {
        int errno = errno(state);
        return new NativeException(call, errno, strerror(errno));
    }

    private static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    private static NativeException rethrow(Throwable t) {
        if (t instanceof NativeException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new NativeException(t.toString());
    }
}
