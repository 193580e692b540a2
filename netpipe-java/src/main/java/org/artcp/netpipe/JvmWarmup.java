package org.artcp.netpipe;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

/**
 * Warms the JVM up before NetPIPE talks to its peer: C's 100 warm-up round trips are far too few for the JIT, but
 * adding more to the real exchange would change what the peer sees. So the exact ping-pong code ({@link Wire}'s sync,
 * integers, transmit and echo loops, the histogram) runs here over an in-process loopback pair, a transmitter and an
 * echo thread, over a spread of sizes; the real run then starts compiled, with its schedule untouched.
 */
final class JvmWarmup {
    private static final int[] SIZES = {1, 2, 3, 4, 8, 13, 16, 29, 64, 131, 256, 512, 1021, 1024, 4096, 16384,
            65536, 131072};
    private static final int SMALL_REPEATS = 2000;
    private static final int LARGE_REPEATS = 200;
    private static final int ROUNDS = 2;
    private static final int TRIAL = 250;
    /** About how many round trips a warm-up makes. */
    static final int ROUND_TRIPS = roundTrips();

    private JvmWarmup() {
    }

    private static int roundTrips() {
        int n = 0;
        for (int size : SIZES) {
            n += repeats(size);
        }
        return n * ROUNDS;
    }

    private static int repeats(int size) {
        return size <= 1024 ? SMALL_REPEATS : LARGE_REPEATS;
    }

    /** Runs the warm-up; a failure here only costs accuracy, so it is reported and ignored. */
    static void run() {
        Duration stall = Duration.ofSeconds(20);
        String loopback = "127.0.0.1"; // NetPIPE's TCP is IPv4
        try (LinuxTcp ss = LinuxTcp.listen(loopback, 0, 0)) {
            int port = ss.localAddress().getPort();
            AtomicReference<Throwable> echoFailure = new AtomicReference<>();
            Thread echo = Thread.ofPlatform().name("netpipe-warmup-echo").daemon().start(() -> {
                try (Wire w = Wire.accept(ss, 0, stall)) {
                    w.sync();
                    while (true) {
                        int size = (int) w.readUint32("size");
                        if (size == 0) {
                            break;
                        }
                        int n = (int) w.readUint32("repeats");
                        w.ensureCapacity(size);
                        w.sync();
                        w.echoTrial(size, n);
                    }
                    w.quitAsReceiver();
                } catch (IOException | RuntimeException e) {
                    echoFailure.set(e);
                }
            });
            Histogram scratch = new Histogram(Wire.HISTOGRAM_MAX_NS, 3);
            try (Wire w = Wire.connect(loopback, port, 0, stall)) {
                w.sync();
                for (int round = 0; round < ROUNDS; round++) {
                    for (int size : SIZES) {
                        for (int left = repeats(size); left > 0; left -= TRIAL) {
                            int n = Math.min(TRIAL, left);
                            w.writeUint32(size);
                            w.writeUint32(n);
                            w.ensureCapacity(size);
                            w.sync();
                            w.transmitTrial(size, n, scratch);
                        }
                    }
                    scratch.reset();
                }
                w.writeUint32(0);
                w.quitAsTransmitter();
            }
            echo.join(10_000);
            if (echoFailure.get() != null) {
                System.err.println("netpipe: JVM warm-up incomplete (" + echoFailure.get() + "); measuring anyway");
            }
        } catch (IOException | NetpipeException | RuntimeException e) {
            System.err.println("netpipe: JVM warm-up incomplete (" + e.getMessage() + "); measuring anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
