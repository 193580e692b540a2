package org.artcp.netpipe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Free loopback ports and a way to wait for a listener without connecting to it (NPtcp serves one connection). */
final class TestPorts {
    private TestPorts() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** True once something listens on {@code port}, read from /proc/net/tcp{,6}. */
    static boolean listening(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
                    return true;
                }
            }
        }
        return false;
    }

    static void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listening(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing listens on port " + port + " after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
