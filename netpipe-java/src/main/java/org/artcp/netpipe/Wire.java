package org.artcp.netpipe;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.HdrHistogram.Histogram;

/**
 * NetPIPE's TCP wire ({@code tcp.c}/{@code TCP.c}), and nothing else: the 6-byte {@code SyncMe}, 4-byte big-endian
 * integers, raw payloads and the 5-byte {@code QUIT\0}, over a blocking {@link LinuxTcp} socket with TCP_NODELAY.
 * Payloads live in one off-heap buffer, grown between points; the ping-pong loops allocate nothing.
 *
 * <p>C waits forever when the two sides disagree in a way that leaves both reading; a watchdog shuts the socket down
 * when no byte has moved for the stall timeout, and the blocked read then fails with {@link Stalled}.
 */
final class Wire implements AutoCloseable {
    private static final byte[] SYNC = "SyncMe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUIT = {'Q', 'U', 'I', 'T', 0};
    /** Round trips longer than an hour are clamped into the histogram's range. */
    static final long HISTOGRAM_MAX_NS = 3_600_000_000_000L;
    private static final ValueLayout.OfInt BIG_ENDIAN_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The peer closed the connection where NetPIPE expects more. */
    static final class PeerClosed extends EOFException {
        PeerClosed(String what) {
            super(what);
        }
    }

    /** The peer sent something other than what NetPIPE expects at this step. */
    static final class Unexpected extends IOException {
        Unexpected(String what) {
            super(what);
        }
    }

    /** The watchdog shut the socket down: nothing moved for the stall timeout. */
    static final class Stalled extends IOException {
        Stalled(String what) {
            super(what);
        }
    }

    private final LinuxTcp socket;
    private final MemorySegment control = Arena.ofAuto().allocate(16, 8);
    private final long controlAddress = control.address();
    private MemorySegment data;
    private long dataAddress;
    private final long stallNs;
    private volatile long progress;
    private volatile boolean stalled;
    private volatile boolean closed;

    private Wire(LinuxTcp socket, Duration stallTimeout) {
        this.socket = socket;
        this.stallNs = stallTimeout.toNanos();
        allocate(64 * 1024);
        Thread.ofPlatform().name("netpipe-watchdog").daemon().start(this::watch);
    }

    /** The transmitter's side: connects to {@code host:port}. */
    static Wire connect(String host, int port, int socketBufferBytes, Duration timeout) throws NetpipeException {
        try {
            return new Wire(LinuxTcp.connect(new InetSocketAddress(host, port), socketBufferBytes), timeout);
        } catch (ConnectException e) {
            throw new NetpipeException(NetpipeException.Kind.NOTHING_LISTENING, "nothing listening on " + host + ":"
                    + port + " — start the receiver first: ./artcp netpipe recv (or NPtcp) with the same -P/-l/-u/-p,"
                    + " then run send again", e);
        } catch (UnknownHostException e) {
            throw new NetpipeException(NetpipeException.Kind.IO, "unknown host '" + host
                    + "': give -h a name this machine resolves or an IPv4 address", e);
        } catch (NoRouteToHostException e) {
            throw new NetpipeException(NetpipeException.Kind.NOTHING_LISTENING, "no route to " + host + ":" + port
                    + " (" + e.getMessage() + ") — check the address and that the receiver's host is up", e);
        } catch (IOException e) {
            throw new NetpipeException(NetpipeException.Kind.IO, "cannot connect to " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** Opens the receiver's listening socket (SO_REUSEADDR, as NPtcp). */
    static LinuxTcp listen(String bindAddress, int port, int socketBufferBytes) throws NetpipeException {
        try {
            return LinuxTcp.listen(bindAddress, port, socketBufferBytes);
        } catch (BindException e) {
            throw new NetpipeException(NetpipeException.Kind.PORT_IN_USE, "cannot listen on port " + port + " ("
                    + e.getMessage() + ") — stop the other receiver, or give both sides another -P", e);
        } catch (UnknownHostException e) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION, "cannot listen on '" + bindAddress
                    + "': give --bind an IPv4 address of this machine", e);
        } catch (IOException e) {
            throw new NetpipeException(NetpipeException.Kind.IO, "cannot listen on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** The receiver's side: waits for one transmitter. */
    static Wire accept(LinuxTcp listener, int socketBufferBytes, Duration stallTimeout) throws IOException {
        return new Wire(listener.accept(socketBufferBytes), stallTimeout);
    }

    String peer() {
        InetSocketAddress p = socket.peer();
        return p.getAddress() != null ? p.getAddress().getHostAddress() + ":" + p.getPort() : p.toString();
    }

    /** Both sides write {@code SyncMe}, then read six bytes and compare. */
    void sync() throws IOException {
        MemorySegment.copy(SYNC, 0, control, ValueLayout.JAVA_BYTE, 0, SYNC.length);
        sendFully(controlAddress, SYNC.length);
        recvFully(controlAddress, SYNC.length, "the sync string");
        for (int i = 0; i < SYNC.length; i++) {
            if (control.get(ValueLayout.JAVA_BYTE, i) != SYNC[i]) {
                throw new Unexpected("expected the sync string SyncMe but got " + printable(SYNC.length));
            }
        }
        progress++;
    }

    /** A 4-byte big-endian integer (NetPIPE's repeat count and 2.4's times in µs). */
    void writeUint32(int value) throws IOException {
        control.set(BIG_ENDIAN_INT, 0, value);
        sendFully(controlAddress, 4);
        progress++;
    }

    long readUint32(String what) throws IOException {
        recvFully(controlAddress, 4, what);
        progress++;
        return Integer.toUnsignedLong(control.get(BIG_ENDIAN_INT, 0));
    }

    /** The transmitter's end: writes {@code QUIT\0} and expects it back. */
    void quitAsTransmitter() throws IOException {
        MemorySegment.copy(QUIT, 0, control, ValueLayout.JAVA_BYTE, 0, QUIT.length);
        sendFully(controlAddress, QUIT.length);
        recvFully(controlAddress, QUIT.length, "the QUIT reply");
        checkQuit();
    }

    /** The receiver's end: expects {@code QUIT\0} and echoes it. */
    void quitAsReceiver() throws IOException {
        recvFully(controlAddress, QUIT.length, "QUIT");
        checkQuit();
        sendFully(controlAddress, QUIT.length);
    }

    private void checkQuit() throws Unexpected {
        for (int i = 0; i < QUIT.length; i++) {
            if (control.get(ValueLayout.JAVA_BYTE, i) != QUIT[i]) {
                throw new Unexpected("expected QUIT but got " + printable(QUIT.length));
            }
        }
    }

    /** Makes room for a payload of {@code bytes}; outside the timed loops. */
    void ensureCapacity(int bytes) {
        if (data.byteSize() < bytes) {
            allocate(Math.max(bytes, Math.min(Integer.MAX_VALUE - 8L, 2L * data.byteSize())));
        }
    }

    private void allocate(long bytes) {
        data = Arena.ofAuto().allocate(bytes, 4096);
        data.fill((byte) 'a');
        dataAddress = data.address();
    }

    /**
     * One transmitter trial: {@code nrepeat} times send {@code bytes} and read them back, recording each round trip
     * (ns) into {@code rtt}.
     *
     * @return the trial's elapsed time in ns, first send to last receive
     */
    long transmitTrial(int bytes, int nrepeat, Histogram rtt) throws IOException {
        final LinuxTcp s = socket;
        final long a = dataAddress;
        final long start = System.nanoTime();
        long previous = start;
        try {
            for (int j = 0; j < nrepeat; j++) {
                int done = 0;
                do {
                    done += s.send(a + done, bytes - done);
                } while (done < bytes);
                done = 0;
                do {
                    int n = s.recv(a + done, bytes - done);
                    if (n == 0) {
                        throw peerClosed("the echo of a " + bytes + "-byte message");
                    }
                    done += n;
                } while (done < bytes);
                // one clock read per round trip: it ends this round trip and starts the next
                final long now = System.nanoTime();
                rtt.recordValue(Math.min(now - previous, HISTOGRAM_MAX_NS));
                previous = now;
                progress++;
            }
        } catch (IOException e) {
            throw stalledOr(e);
        }
        return previous - start;
    }

    /**
     * A transmitter trial that may end early: up to {@code nrepeat} times send {@code bytes} and read them back,
     * until {@code stop} says so (asked before each round trip), handing each round trip's start and end
     * ({@link System#nanoTime}) to {@code roundTrips}.
     *
     * @return the round trips made
     */
    long transmitUntil(int bytes, long nrepeat, java.util.function.BooleanSupplier stop,
            NetpipePingPong.RoundTrips roundTrips) throws IOException {
        final LinuxTcp s = socket;
        final long a = dataAddress;
        long previous = System.nanoTime();
        long j = 0;
        try {
            for (; j < nrepeat && !stop.getAsBoolean(); j++) {
                int done = 0;
                do {
                    done += s.send(a + done, bytes - done);
                } while (done < bytes);
                done = 0;
                do {
                    int n = s.recv(a + done, bytes - done);
                    if (n == 0) {
                        throw peerClosed("the echo of a " + bytes + "-byte message");
                    }
                    done += n;
                } while (done < bytes);
                final long now = System.nanoTime();
                roundTrips.onRoundTrip(previous, now);
                previous = now;
                progress++;
            }
        } catch (IOException e) {
            throw stalledOr(e);
        }
        return j;
    }

    /**
     * One receiver trial: {@code nrepeat} times read {@code bytes} and send them back.
     *
     * @return the trial's elapsed time in ns
     */
    long echoTrial(int bytes, int nrepeat) throws IOException {
        final LinuxTcp s = socket;
        final long a = dataAddress;
        final long start = System.nanoTime();
        try {
            for (int j = 0; j < nrepeat; j++) {
                int done = 0;
                do {
                    int n = s.recv(a + done, bytes - done);
                    if (n == 0) {
                        throw peerClosed("a " + bytes + "-byte message");
                    }
                    done += n;
                } while (done < bytes);
                done = 0;
                do {
                    done += s.send(a + done, bytes - done);
                } while (done < bytes);
                progress++;
            }
        } catch (IOException e) {
            throw stalledOr(e);
        }
        return System.nanoTime() - start;
    }

    private void sendFully(long address, int bytes) throws IOException {
        try {
            int done = 0;
            do {
                done += socket.send(address + done, bytes - done);
            } while (done < bytes);
        } catch (IOException e) {
            throw stalledOr(e);
        }
    }

    private void recvFully(long address, int bytes, String what) throws IOException {
        try {
            int done = 0;
            do {
                int n = socket.recv(address + done, bytes - done);
                if (n == 0) {
                    throw peerClosed(what);
                }
                done += n;
            } while (done < bytes);
        } catch (IOException e) {
            throw stalledOr(e);
        }
    }

    private static PeerClosed peerClosed(String what) {
        return new PeerClosed("the peer closed the connection while " + what + " was expected");
    }

    private IOException stalledOr(IOException e) {
        return stalled ? new Stalled("nothing arrived for " + stallNs / 1_000_000_000L + " s") : e;
    }

    private void watch() {
        long seen = progress;
        long since = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long p = progress;
            if (p != seen) {
                seen = p;
                since = now;
            } else if (now - since > stallNs && !closed) {
                stalled = true;
                socket.shutdown(); // wakes the blocked side; the owner closes
                return;
            }
        }
    }

    /** Turns an I/O failure of the NetPIPE exchange into the one-line error the user sees. */
    static NetpipeException explain(IOException e, String where) {
        if (e instanceof Stalled) {
            return new NetpipeException(NetpipeException.Kind.STALLED, e.getMessage() + " " + where
                    + " — " + NetpipeException.SCHEDULE_ADVICE + " (or the peer hangs)", e);
        }
        if (e instanceof PeerClosed || e instanceof Unexpected) {
            return new NetpipeException(NetpipeException.Kind.SCHEDULE_MISMATCH, e.getMessage() + " " + where
                    + " — " + NetpipeException.SCHEDULE_ADVICE + " (or the peer was stopped)", e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("reset") || m.contains("Broken pipe")) {
            return new NetpipeException(NetpipeException.Kind.SCHEDULE_MISMATCH, "the peer dropped the connection ("
                    + m + ") " + where + " — " + NetpipeException.SCHEDULE_ADVICE + " (or the peer was stopped)", e);
        }
        return new NetpipeException(NetpipeException.Kind.IO, "I/O error " + where + ": " + m, e);
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }

    private String printable(int n) {
        StringBuilder s = new StringBuilder("'");
        for (int i = 0; i < n; i++) {
            int c = control.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            if (c >= 32 && c < 127 && c != '\\' && c != '\'') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('\'').toString();
    }
}
