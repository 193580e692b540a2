package org.artcp.orchestrator.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.artcp.node.net.LinuxNet;

/**
 * Test code that runs inside a testbed host: a fresh platform thread enters the host's network
 * namespace ({@link LinuxNet#enterNetworkNamespace}) and runs the task. Sockets opened there live in
 * that namespace and work from any thread afterwards, so a client can open its channels in
 * {@code artcp-client1} and drive them from virtual threads.
 */
final class InNamespace {
    private InNamespace() {
    }

    /** Runs {@code task} in testbed host {@code host} (e.g. {@code client1}) and returns its result. */
    static <T> T call(String host, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("in-" + host).start(() -> {
            try {
                LinuxNet.get().enterNetworkNamespace("artcp-" + host);
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return result.get();
    }

    /** Opens {@code count} unconnected TCP channels in {@code host}. */
    static SocketChannel[] channels(String host, int count) throws Exception {
        return call(host, () -> {
            SocketChannel[] c = new SocketChannel[count];
            for (int i = 0; i < count; i++) {
                c[i] = SocketChannel.open();
            }
            return c;
        });
    }

    /**
     * An echo server in a node host, listening on every address (the portal IP included) at
     * {@code port}: each connection gets a virtual thread that writes back what it reads.
     */
    static final class EchoServer implements AutoCloseable {
        private final ServerSocketChannel server;

        EchoServer(String host, int port) throws Exception {
            this.server = call(host, () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                s.bind(new InetSocketAddress(port), 512);
                return s;
            });
            Thread.ofPlatform().daemon().name("echo-" + host).start(this::acceptLoop);
        }

        private void acceptLoop() {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    Thread.ofVirtual().start(() -> echo(c));
                }
            } catch (ClosedChannelException e) {
                // closed by the test
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void echo(SocketChannel c) {
            ByteBuffer b = ByteBuffer.allocate(256 * 1024);
            try (c) {
                while (c.read(b) >= 0) {
                    b.flip();
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                    b.clear();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
