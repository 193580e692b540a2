package org.artcp.bench.mysql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.artcp.netpipe.Compat;
import org.artcp.netpipe.NetpipeException;
import org.artcp.netpipe.NetpipeListener;
import org.artcp.netpipe.NetpipeOptions;
import org.artcp.netpipe.NetpipePingPong;

/**
 * The failover experiment's NetPIPE client (issue 6): ping-pong at one block size against an {@code NPtcp} receiver
 * ({@link NetpipePingPong}) with the {@link Worker} failover mode's protocol: it prints {@value Worker#READY} once
 * connected and warmed up, runs until a line {@value Worker#STOP} on stdin (or {@code --duration} seconds after READY;
 * without a duration, stdin's end stops it too), writes every round trip as a {@code ping} op to {@code --ops-file}
 * ({@link Op#CSV_HEADER}; gzip when it ends in {@code .gz}) and a summary to {@code --summary-file}, and prints
 * {@value Worker#DONE}.
 *
 * <pre>
 *   PingPongWorker --host H [--port 5002] [--start 1] [--end 10000000] [--perturbation 3] [--repeats N]
 *                  [--warm-up-seconds 2] [--duration S] [--stall-timeout-seconds 60] --ops-file F [--summary-file F]
 * </pre>
 *
 * <p>{@code --start/--end/--perturbation} must be the receiver's {@code -l/-u/-p}; the block size is its first point
 * (1 byte for an {@code NPtcp} started without options). A broken connection is one failed {@code ping} op, from the
 * last echo to the failure, and ends the run: {@code NPtcp} serves one transmitter, so there is nothing to reconnect
 * to. A round trip still waiting for its echo when the run stops is not an op; the summary says
 * {@code inFlightAtStop}. Round-trip instants are {@link System#nanoTime} readings placed on the epoch time line by one
 * reading of both clocks at the start. Exit status 0 once READY was printed (the bench judges the ops), 1 when the
 * ping-pong could not start, 2 for bad arguments.
 */
public final class PingPongWorker {
    /** How long a stop waits for the round trip in flight before it leaves it. */
    static final long STOP_GRACE_MS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> VALUES = List.of("host", "port", "start", "end", "perturbation", "repeats",
            "warm-up-seconds", "duration", "stall-timeout-seconds", "ops-file", "summary-file");

    private PingPongWorker() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.in));
    }

    /**
     * Every round trip's start and end in ns, growing, until {@link #freeze}: a round trip that completes after the
     * stop is not recorded. Locked, uncontended but for the one {@link #freeze}.
     */
    private static final class RoundTripLog implements NetpipePingPong.RoundTrips {
        private long[] starts = new long[1 << 16];
        private long[] ends = new long[1 << 16];
        private int size;
        private boolean frozen;

        @Override
        public synchronized void onRoundTrip(long startNanos, long endNanos) {
            if (frozen) {
                return;
            }
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, 2 * size);
                ends = Arrays.copyOf(ends, 2 * size);
            }
            starts[size] = startNanos;
            ends[size] = endNanos;
            size++;
        }

        synchronized int size() {
            return size;
        }

        synchronized long[] starts() {
            return starts;
        }

        synchronized long[] ends() {
            return ends;
        }

        /** Stops recording; the arrays hold {@link #size} round trips from now on. */
        synchronized void freeze() {
            frozen = true;
        }
    }

    public static int run(String[] args, PrintStream out, InputStream in) {
        Map<String, String> v;
        NetpipeOptions o;
        int warmUpSeconds;
        int durationSeconds;
        try {
            v = parse(args);
            o = NetpipeOptions.defaults(Compat.V3_7).withHost(v.get("host")).withPort(integer(v, "port", Compat.DEFAULT_PORT))
                    .withRange(integer(v, "start", 1), integer(v, "end", Compat.V3_7.defaultEnd()))
                    .withPerturbation(integer(v, "perturbation", Compat.DEFAULT_PERTURBATION))
                    .withFixedRepeats(integer(v, "repeats", 0))
                    .withStallTimeout(Duration.ofSeconds(integer(v, "stall-timeout-seconds", 60)))
                    .withJvmWarmup(false);
            warmUpSeconds = integer(v, "warm-up-seconds", 2);
            durationSeconds = integer(v, "duration", 0);
            String problem = o.problem();
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (warmUpSeconds < 0 || durationSeconds < 0) {
                throw new IllegalArgumentException("--warm-up-seconds and --duration: 0 or more");
            }
        } catch (IllegalArgumentException e) {
            out.println("ping-pong: " + e.getMessage());
            out.println("usage: PingPongWorker --host H [--port P] [--start L] [--end U] [--perturbation P] [--repeats N]"
                    + " [--warm-up-seconds W] [--duration S] [--stall-timeout-seconds T] --ops-file F [--summary-file F]");
            return 2;
        }
        int bytes = NetpipePingPong.blockBytes(o);
        out.println("ping-pong: " + bytes + "-byte messages with " + o.host() + ":" + o.port());
        out.flush();

        long baseNanos = System.nanoTime();
        long baseMicros = Op.nowMicros();
        RoundTripLog log = new RoundTripLog();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean connected = new AtomicBoolean();
        NetpipeException[] failure = new NetpipeException[1];
        long[] failedAtNanos = new long[1];
        Thread pingPong = Thread.ofPlatform().daemon().name("ping-pong").start(() -> {
            try {
                NetpipePingPong.run(o, stop::get, log, new NetpipeListener() {
                    @Override
                    public void onStart(double latencySeconds) {
                        connected.set(true);
                        started.countDown();
                    }
                });
            } catch (NetpipeException e) {
                failedAtNanos[0] = System.nanoTime();
                failure[0] = e;
            } finally {
                started.countDown();
            }
        });
        try {
            started.await();
            if (!connected.get()) {
                pingPong.join();
                out.println("ping-pong: cannot start: " + (failure[0] == null ? "(no reason)" : failure[0].getMessage()));
                return 1;
            }
            if (warmUpSeconds > 0) {
                pingPong.join(warmUpSeconds * 1000L);
            }
            long readyMicros = Op.nowMicros();
            out.println(Worker.READY);
            out.flush();
            Worker.awaitStop(in, durationSeconds);
            long stopMicros = Op.nowMicros();
            stop.set(true);
            pingPong.join(Math.max(STOP_GRACE_MS, 1));
            boolean inFlight = pingPong.isAlive();
            log.freeze();

            int n = log.size();
            long[] starts = log.starts();
            long[] ends = log.ends();
            Op failed = null;
            if (!inFlight && failure[0] != null) {
                long from = n > 0 ? ends[n - 1] : baseNanos;
                failed = Op.failed(0, Op.PING, micros(baseMicros, baseNanos, from),
                        micros(baseMicros, baseNanos, failedAtNanos[0]), failure[0].getMessage());
                out.println("ping-pong: failed after " + n + " round trips: " + failure[0].getMessage());
            }
            Path opsFile = Path.of(v.get("ops-file"));
            Op.writeCsv(opsFile, ops(n, starts, ends, baseMicros, baseNanos, failed));

            long[] rtt = new long[n];
            for (int i = 0; i < n; i++) {
                rtt[i] = ends[i] - starts[i];
            }
            Arrays.sort(rtt);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("host", o.host());
            summary.put("port", o.port());
            summary.put("bytes", bytes);
            summary.put("roundTrips", n);
            summary.put("errors", failed == null ? 0 : 1);
            summary.put("error", failure[0] == null ? null : failure[0].getMessage());
            summary.put("inFlightAtStop", inFlight);
            summary.put("lastEchoMicros", n == 0 ? null : micros(baseMicros, baseNanos, ends[n - 1]));
            summary.put("p50RoundTripUs", n == 0 ? null : rtt[(int) (0.50 * (n - 1))] / 1000.0);
            summary.put("p99RoundTripUs", n == 0 ? null : rtt[(int) (0.99 * (n - 1))] / 1000.0);
            summary.put("maxRoundTripUs", n == 0 ? null : rtt[n - 1] / 1000.0);
            summary.put("readyMicros", readyMicros);
            summary.put("stopMicros", stopMicros);
            summary.put("warmUpSeconds", warmUpSeconds);
            summary.put("durationSeconds", durationSeconds);
            if (v.containsKey("summary-file")) {
                Path file = Path.of(v.get("summary-file"));
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                JSON.writeValue(file.toFile(), summary);
            }
            out.println("ping-pong: " + n + " round trips of " + bytes + " bytes, " + (failed == null ? 0 : 1) + " errors"
                    + (inFlight ? ", one round trip still waiting for its echo at the stop" : ""));
            out.println(Worker.DONE);
            out.flush();
            return 0;
        } catch (IOException e) {
            out.println("ping-pong: cannot write results: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            out.println("ping-pong: interrupted");
            return 1;
        } finally {
            stop.set(true);
        }
    }

    private static long micros(long baseMicros, long baseNanos, long nanos) {
        return baseMicros + Math.floorDiv(nanos - baseNanos, 1_000L);
    }

    /** The round trips as ops, made one at a time while writing (there may be millions), then the failure if any. */
    private static Iterable<Op> ops(int n, long[] starts, long[] ends, long baseMicros, long baseNanos, Op failed) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n || (i == n && failed != null);
            }

            @Override
            public Op next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int k = i++;
                if (k == n) {
                    return failed;
                }
                return Op.ok(0, Op.PING, micros(baseMicros, baseNanos, starts[k]), micros(baseMicros, baseNanos, ends[k]));
            }
        };
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !VALUES.contains(a.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            v.put(a.substring(2), args[++i]);
        }
        for (String required : List.of("host", "ops-file")) {
            if (!v.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return v;
    }

    private static int integer(Map<String, String> v, String name, int fallback) {
        String s = v.get(name);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " '" + s + "' is not a whole number");
        }
    }
}
