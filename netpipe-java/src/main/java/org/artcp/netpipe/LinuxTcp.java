package org.artcp.netpipe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * An IPv4 TCP socket driven through libc with {@code java.lang.foreign}: NetPIPE's hot loop then costs what it costs in
 * C, one {@code send}/{@code recv} downcall per message, without {@code SocketChannel}'s locks, interrupt hooks and
 * thread bookkeeping (measured: about 0.5 µs per round trip on loopback, 15% of a small-message round trip).
 *
 * <p>IPv4 only, as NPtcp ({@code AF_INET}). One {@code static final MethodHandle} per symbol; errno is captured per
 * call into a per-socket segment (each socket is driven by one thread); failures become {@link IOException}s with
 * {@code strerror}'s text, refused connections {@link ConnectException}, a taken port {@link BindException}.
 * {@link #shutdown()} may be called from another thread to wake a blocked {@code recv}; only the owner closes.
 */
final class LinuxTcp implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 524288;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int MSG_NOSIGNAL = 16384;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    private static final int ECONNREFUSED = 111;
    private static final int EADDRINUSE = 98;
    private static final int EHOSTUNREACH = 113;
    private static final int ENETUNREACH = 101;
    private static final int SOCKADDR_IN_BYTES = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT), true);
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT), true);
    private static final MethodHandle CONNECT = handle("connect",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT), true);
    private static final MethodHandle BIND = handle("bind",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT), true);
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(INT, INT, INT), true);
    private static final MethodHandle ACCEPT4 = handle("accept4",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, INT), true);
    private static final MethodHandle GETSOCKNAME = handle("getsockname",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), true);
    /** send/recv take the buffer as a raw address so that the hot loop creates no segment per call. */
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(LONG, INT, LONG, LONG, INT), true);
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(LONG, INT, LONG, LONG, INT), true);
    private static final MethodHandle SHUTDOWN = handle("shutdown", FunctionDescriptor.of(INT, INT, INT), false);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT), false);
    private static final MethodHandle STRERROR = handle("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, INT),
            false);

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = arena.allocate(CAPTURE);
    private final InetSocketAddress peer;
    private volatile boolean closed;

    private LinuxTcp(int fd, InetSocketAddress peer) {
        this.fd = fd;
        this.peer = peer;
    }

    private static MethodHandle handle(String name, FunctionDescriptor d, boolean captureErrno) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return captureErrno ? LINKER.downcallHandle(symbol, d, ERRNO_OPTION) : LINKER.downcallHandle(symbol, d);
    }

    /** Connects to an IPv4 address with TCP_NODELAY and, if {@code bufferBytes > 0}, SO_SNDBUF = SO_RCVBUF. */
    static LinuxTcp connect(InetSocketAddress address, int bufferBytes) throws IOException {
        Inet4Address ip = ipv4(address);
        LinuxTcp s = open(address);
        try {
            s.setInt(IPPROTO_TCP, TCP_NODELAY, 1);
            s.setBuffers(bufferBytes);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sa = sockaddr(a, ip, address.getPort());
                int rc;
                do {
                    rc = (int) CONNECT.invokeExact(s.errno, s.fd, sa, SOCKADDR_IN_BYTES);
                } while (rc < 0 && s.lastErrno() == EINTR);
                if (rc < 0) {
                    int e = s.lastErrno();
                    String m = strerror(e);
                    throw switch (e) {
                        case ECONNREFUSED -> new ConnectException(m);
                        case EHOSTUNREACH, ENETUNREACH -> new NoRouteToHostException(m);
                        default -> new IOException("connect: " + m);
                    };
                }
            }
            return s;
        } catch (Throwable t) {
            s.close();
            throw rethrow(t);
        }
    }

    /** Listens on an IPv4 address (null host: every address) with SO_REUSEADDR, as NPtcp's receiver. */
    static LinuxTcp listen(String bindAddress, int port, int bufferBytes) throws IOException {
        InetSocketAddress address = bindAddress == null ? new InetSocketAddress(port)
                : new InetSocketAddress(bindAddress, port);
        Inet4Address ip = bindAddress == null ? (Inet4Address) InetAddress.getByAddress(new byte[4]) : ipv4(address);
        LinuxTcp s = open(address);
        try {
            s.setInt(SOL_SOCKET, SO_REUSEADDR, 1);
            if (bufferBytes > 0) {
                s.setInt(SOL_SOCKET, SO_RCVBUF, bufferBytes); // before listen, so that window scaling fits
            }
            try (Arena a = Arena.ofConfined()) {
                int rc = (int) BIND.invokeExact(s.errno, s.fd, sockaddr(a, ip, port), SOCKADDR_IN_BYTES);
                if (rc < 0) {
                    int e = s.lastErrno();
                    throw e == EADDRINUSE ? new BindException(strerror(e)) : new IOException("bind: " + strerror(e));
                }
            }
            if ((int) LISTEN.invokeExact(s.errno, s.fd, 5) < 0) {
                throw new IOException("listen: " + strerror(s.lastErrno()));
            }
            return s;
        } catch (Throwable t) {
            s.close();
            throw rethrow(t);
        }
    }

    /** Waits for one connection on a listening socket; TCP_NODELAY and buffers as {@link #connect}. */
    LinuxTcp accept(int bufferBytes) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SOCKADDR_IN_BYTES);
            MemorySegment len = a.allocate(INT);
            int c;
            do {
                len.set(INT, 0, SOCKADDR_IN_BYTES);
                c = (int) ACCEPT4.invokeExact(errno, fd, sa, len, SOCK_CLOEXEC);
            } while (c < 0 && lastErrno() == EINTR);
            if (c < 0) {
                throw new IOException("accept: " + strerror(lastErrno()));
            }
            LinuxTcp s = new LinuxTcp(c, address(sa));
            try {
                s.setInt(IPPROTO_TCP, TCP_NODELAY, 1);
                s.setBuffers(bufferBytes);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return s;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The local address (e.g. the port picked for port 0). */
    InetSocketAddress localAddress() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SOCKADDR_IN_BYTES);
            MemorySegment len = a.allocate(INT);
            len.set(INT, 0, SOCKADDR_IN_BYTES);
            if ((int) GETSOCKNAME.invokeExact(errno, fd, sa, len) < 0) {
                throw new IOException("getsockname: " + strerror(lastErrno()));
            }
            return address(sa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    InetSocketAddress peer() {
        return peer;
    }

    /**
     * One {@code send}; returns the bytes sent (≥ 1).
     *
     * @throws IOException with strerror's text (a peer gone gives "Broken pipe" or "Connection reset by peer")
     */
    int send(long address, int length) throws IOException {
        long n;
        try {
            do {
                n = (long) SEND.invokeExact(errno, fd, address, (long) length, MSG_NOSIGNAL);
            } while (n < 0 && lastErrno() == EINTR);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (n < 0) {
            throw new IOException(strerror(lastErrno()));
        }
        return (int) n;
    }

    /** One {@code recv}; returns the bytes received, 0 at end of stream. */
    int recv(long address, int length) throws IOException {
        long n;
        try {
            do {
                n = (long) RECV.invokeExact(errno, fd, address, (long) length, 0);
            } while (n < 0 && lastErrno() == EINTR);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (n < 0) {
            throw new IOException(strerror(lastErrno()));
        }
        return (int) n;
    }

    /** Wakes any thread blocked on this socket (recv returns 0, send fails); safe from another thread. */
    synchronized void shutdown() {
        if (!closed) {
            try {
                int ignored = (int) SHUTDOWN.invokeExact(fd, SHUT_RDWR);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                arena.close();
            }
        }
    }

    private static LinuxTcp open(InetSocketAddress peer) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket: " + strerror((int) ERRNO.get(state, 0L)));
            }
            return new LinuxTcp(fd, peer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void setBuffers(int bufferBytes) throws IOException {
        if (bufferBytes > 0) {
            setInt(SOL_SOCKET, SO_SNDBUF, bufferBytes);
            setInt(SOL_SOCKET, SO_RCVBUF, bufferBytes);
        }
    }

    private void setInt(int level, int option, int value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(INT);
            v.set(INT, 0, value);
            if ((int) SETSOCKOPT.invokeExact(errno, fd, level, option, v, 4) < 0) {
                throw new IOException("setsockopt(" + level + ", " + option + "): " + strerror(lastErrno()));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private int lastErrno() {
        return (int) ERRNO.get(errno, 0L);
    }

    private static Inet4Address ipv4(InetSocketAddress address) throws IOException {
        if (address.isUnresolved()) {
            for (InetAddress a : InetAddress.getAllByName(address.getHostString())) {
                if (a instanceof Inet4Address v4) {
                    return v4;
                }
            }
            throw new UnknownHostException(address.getHostString());
        }
        if (address.getAddress() instanceof Inet4Address v4) {
            return v4;
        }
        for (InetAddress a : InetAddress.getAllByName(address.getHostString())) {
            if (a instanceof Inet4Address v4) {
                return v4;
            }
        }
        throw new UnknownHostException(address.getHostString() + " has no IPv4 address (NetPIPE's TCP is IPv4)");
    }

    private static MemorySegment sockaddr(Arena a, Inet4Address ip, int port) {
        MemorySegment sa = a.allocate(SOCKADDR_IN_BYTES);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        sa.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, sa, 4, 4);
        return sa;
    }

    private static InetSocketAddress address(MemorySegment sa) throws UnknownHostException {
        int port = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2));
        byte[] ip = sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }
}
