package org.artcp.netpipe;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.HdrHistogram.Histogram;

/**
 * NetPIPE's TCP wire ({@code tcp.c}/{@code TCP.c}), and nothing else: the 6-byte {@code SyncMe}, 4-byte big-endian
 * integers, raw payloads and the 5-byte {@code QUIT\0}. A blocking {@link SocketChannel} with TCP_NODELAY and direct
 * buffers; the ping-pong loops allocate nothing.
 *
 * <p>C waits forever when the two sides disagree in a way that leaves both reading; a watchdog closes the channel
 * when no byte has moved for the stall timeout, and the blocked read then fails with {@link Stalled}.
 */
final class Wire implements AutoCloseable {
    private static final byte[] SYNC = "SyncMe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUIT = {'Q', 'U', 'I', 'T', 0};
    /** Round trips longer than an hour are clamped into the histogram's range. */
    static final long HISTOGRAM_MAX_NS = 3_600_000_000_000L;

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

    /** The watchdog closed the channel: nothing moved for the stall timeout. */
    static final class Stalled extends IOException {
        Stalled(String what) {
            super(what);
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer control = ByteBuffer.allocateDirect(16);
    private ByteBuffer data = filled(ByteBuffer.allocateDirect(64 * 1024));
    private final long stallNs;
    private volatile long progress;
    private volatile boolean stalled;
    private volatile boolean closed;

    private Wire(SocketChannel channel, Duration stallTimeout) {
        this.channel = channel;
        this.stallNs = stallTimeout.toNanos();
        Thread.ofPlatform().name("netpipe-watchdog").daemon().start(this::watch);
    }

    /** The transmitter's side: connects to {@code host:port}. */
    static Wire connect(String host, int port, int socketBufferBytes, Duration timeout) throws NetpipeException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (socketBufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new UnknownHostException(host);
            }
            ch.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new Wire(ch, timeout);
        } catch (ConnectException e) {
            closeQuietly(ch);
            throw new NetpipeException(NetpipeException.Kind.NOTHING_LISTENING, "nothing listening on " + host + ":"
                    + port + " — start the receiver first: ./artcp netpipe recv (or NPtcp) with the same -P/-l/-u/-p,"
                    + " then run send again", e);
        } catch (UnknownHostException | UnresolvedAddressException e) {
            closeQuietly(ch);
            throw new NetpipeException(NetpipeException.Kind.IO, "unknown host '" + host
                    + "': give -h a name this machine resolves or an IP address", e);
        } catch (java.net.SocketTimeoutException e) {
            closeQuietly(ch);
            throw new NetpipeException(NetpipeException.Kind.NOTHING_LISTENING, "no answer from " + host + ":" + port
                    + " within " + timeout.toSeconds() + " s — check the address and that the receiver is running", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new NetpipeException(NetpipeException.Kind.IO, "cannot connect to " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** Opens the receiver's listening socket (SO_REUSEADDR, as NPtcp). */
    static ServerSocketChannel listen(String bindAddress, int port, int socketBufferBytes) throws NetpipeException {
        ServerSocketChannel ss = null;
        try {
            ss = ServerSocketChannel.open();
            ss.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (socketBufferBytes > 0) {
                ss.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            }
            ss.bind(bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port), 5);
            return ss;
        } catch (java.net.BindException e) {
            closeQuietly(ss);
            throw new NetpipeException(NetpipeException.Kind.PORT_IN_USE, "cannot listen on port " + port + " ("
                    + e.getMessage() + ") — stop the other receiver, or give both sides another -P", e);
        } catch (IOException | UnresolvedAddressException e) {
            closeQuietly(ss);
            throw new NetpipeException(NetpipeException.Kind.IO, "cannot listen on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** The receiver's side: waits for one transmitter. */
    static Wire accept(ServerSocketChannel ss, int socketBufferBytes, Duration stallTimeout) throws IOException {
        SocketChannel ch = ss.accept();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (socketBufferBytes > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
        }
        return new Wire(ch, stallTimeout);
    }

    String peer() {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    /** Both sides write {@code SyncMe}, then read six bytes and compare. */
    void sync() throws IOException {
        control.clear();
        control.put(SYNC).flip();
        writeFully(control);
        control.clear().limit(SYNC.length);
        readFully(control, "the sync string");
        for (int i = 0; i < SYNC.length; i++) {
            if (control.get(i) != SYNC[i]) {
                throw new Unexpected("expected the sync string SyncMe but got " + printable(control, SYNC.length));
            }
        }
        progress++;
    }

    /** A 4-byte big-endian integer (NetPIPE's repeat count and 2.4's times in µs). */
    void writeUint32(int value) throws IOException {
        control.clear();
        control.putInt(value).flip();
        writeFully(control);
        progress++;
    }

    long readUint32(String what) throws IOException {
        control.clear().limit(4);
        readFully(control, what);
        progress++;
        return Integer.toUnsignedLong(control.getInt(0));
    }

    /** The transmitter's end: writes {@code QUIT\0} and expects it back. */
    void quitAsTransmitter() throws IOException {
        control.clear();
        control.put(QUIT).flip();
        writeFully(control);
        control.clear().limit(QUIT.length);
        readFully(control, "the QUIT reply");
        checkQuit();
    }

    /** The receiver's end: expects {@code QUIT\0} and echoes it. */
    void quitAsReceiver() throws IOException {
        control.clear().limit(QUIT.length);
        readFully(control, "QUIT");
        checkQuit();
        control.flip();
        writeFully(control);
    }

    private void checkQuit() throws Unexpected {
        for (int i = 0; i < QUIT.length; i++) {
            if (control.get(i) != QUIT[i]) {
                throw new Unexpected("expected QUIT but got " + printable(control, QUIT.length));
            }
        }
    }

    /** Makes room for a payload of {@code bytes}; outside the timed loops. */
    void ensureCapacity(int bytes) {
        if (data.capacity() < bytes) {
            long grown = Math.max(bytes, Math.min(Integer.MAX_VALUE - 8L, 2L * data.capacity()));
            data = filled(ByteBuffer.allocateDirect((int) grown));
        }
    }

    /**
     * One transmitter trial: {@code nrepeat} times send {@code bytes} and read them back, recording each round trip
     * (ns) into {@code rtt}.
     *
     * @return the trial's elapsed time in ns, first send to last receive
     */
    long transmitTrial(int bytes, int nrepeat, Histogram rtt) throws IOException {
        final ByteBuffer b = data;
        final long start = System.nanoTime();
        long previous = start;
        try {
            for (int j = 0; j < nrepeat; j++) {
                b.clear().limit(bytes);
                do {
                    channel.write(b);
                } while (b.hasRemaining());
                b.clear().limit(bytes);
                do {
                    if (channel.read(b) < 0) {
                        throw peerClosed("the echo of a " + bytes + "-byte message");
                    }
                } while (b.hasRemaining());
                // one clock read per round trip: it ends this round trip and starts the next
                final long now = System.nanoTime();
                rtt.recordValue(Math.min(now - previous, HISTOGRAM_MAX_NS));
                previous = now;
                progress++;
            }
        } catch (AsynchronousCloseException e) {
            throw stalledOr(e);
        }
        return previous - start;
    }

    /**
     * One receiver trial: {@code nrepeat} times read {@code bytes} and send them back.
     *
     * @return the trial's elapsed time in ns
     */
    long echoTrial(int bytes, int nrepeat) throws IOException {
        final ByteBuffer b = data;
        final long start = System.nanoTime();
        try {
            for (int j = 0; j < nrepeat; j++) {
                b.clear().limit(bytes);
                do {
                    if (channel.read(b) < 0) {
                        throw peerClosed("a " + bytes + "-byte message");
                    }
                } while (b.hasRemaining());
                b.flip();
                do {
                    channel.write(b);
                } while (b.hasRemaining());
                progress++;
            }
        } catch (AsynchronousCloseException e) {
            throw stalledOr(e);
        }
        return System.nanoTime() - start;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        try {
            do {
                channel.write(b);
            } while (b.hasRemaining());
        } catch (AsynchronousCloseException e) {
            throw stalledOr(e);
        }
    }

    private void readFully(ByteBuffer b, String what) throws IOException {
        try {
            do {
                if (channel.read(b) < 0) {
                    throw peerClosed(what);
                }
            } while (b.hasRemaining());
        } catch (AsynchronousCloseException e) {
            throw stalledOr(e);
        }
    }

    private IOException peerClosed(String what) {
        return stalled ? stalledOr(null) : new PeerClosed("the peer closed the connection while " + what
                + " was expected");
    }

    private IOException stalledOr(IOException e) {
        if (stalled) {
            return new Stalled("nothing arrived for " + stallNs / 1_000_000_000L + " s");
        }
        return e != null ? e : new PeerClosed("the connection was closed");
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
                closeQuietly(channel);
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
        closeQuietly(channel);
    }

    private static ByteBuffer filled(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 'a');
        }
        return b;
    }

    private static String printable(ByteBuffer b, int n) {
        StringBuilder s = new StringBuilder("'");
        for (int i = 0; i < n; i++) {
            int c = b.get(i) & 0xff;
            if (c >= 32 && c < 127 && c != '\\' && c != '\'') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('\'').toString();
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing after a failure; the first failure is what the user needs
            }
        }
    }
}
