package org.artcp.netpipe;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.Histogram;

/**
 * NetPIPE ping-pong at one block size for as long as the caller wants, against an unmodified receiver ({@code NPtcp}
 * 3.7.2 or netpipe-java's): the failover experiment's latency-sensitive client (issue 6), which needs every round
 * trip's completion instant rather than a sweep's minimum.
 *
 * <p>The exchange is the 3.x transmitter's, cut short (../shared/NETPIPE.md): Sync; 100 warm-up ping-pongs of
 * {@code -l} bytes; Sync; then the first point of the size schedule — Sync, the repeat count, and per trial Sync and
 * that many ping-pongs. The block size is therefore the receiver's first point: {@code -l} bytes, or {@code -l − p}
 * when its perturbation applies ({@link #blockBytes}); an {@code NPtcp} started without options gives 1 byte, one
 * started with {@code -l N -u N -p 0} gives N. The repeat count is {@code -n} when given, else {@link #UNBOUNDED} (so
 * one trial outlasts any run). When {@code stop} says so the connection is closed mid-trial: the receiver sees the
 * connection end where it expects data and exits (NPtcp serves one transmitter anyway). When the trials all finish
 * first (a small {@code -n}) and the receiver's schedule has this one point only, the run ends with {@code QUIT} as
 * NetPIPE does; if the schedule has more points the connection is closed as on stop.
 */
public final class NetpipePingPong {
    /** The repeat count sent when {@code -n} is not given: trials that do not end before a stop. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    /** Each round trip as it completes, on the ping-pong thread: keep it short. */
    @FunctionalInterface
    public interface RoundTrips {
        /**
         * @param startNanos {@link System#nanoTime} when the message was about to be sent (the previous round trip's
         *                   end)
         * @param endNanos   when its echo had been read whole
         */
        void onRoundTrip(long startNanos, long endNanos);
    }

    private NetpipePingPong() {
    }

    /** The block size a receiver with these {@code -l/-u/-p} expects first, or -1 when its schedule is empty. */
    public static int blockBytes(NetpipeOptions o) {
        SizeSchedule schedule = o.schedule();
        return schedule.advance(0) ? schedule.bytes() : -1;
    }

    /**
     * Ping-pongs until {@code stop} says so (asked before every round trip), then closes the connection.
     *
     * @param o only NetPIPE 3.7 ({@code --compat 3.7}); its {@code -l/-u/-p} must be the receiver's
     * @return the round trips made, the 100 warm-up ones not counted (those are not handed to {@code roundTrips})
     * @throws NetpipeException when the connection cannot be made or breaks (the round trips before were handed on)
     */
    public static long run(NetpipeOptions o, BooleanSupplier stop, RoundTrips roundTrips, NetpipeListener listener)
            throws NetpipeException {
        o.check();
        if (o.host() == null || o.host().isBlank()) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION,
                    "the ping-pong needs the receiver's host: give -h HOST");
        }
        if (o.compat() != Compat.V3_7) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION,
                    "the ping-pong speaks NetPIPE 3.7 only (NPtcp 3.7.2): drop --compat 2.4");
        }
        int bytes = blockBytes(o);
        if (bytes < 1) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION, "the size schedule -l " + o.start() + " -u "
                    + o.end() + " -p " + o.perturbation() + " has no point");
        }
        if (o.jvmWarmup()) {
            listener.onWarmup(JvmWarmup.ROUND_TRIPS);
            JvmWarmup.run();
        }
        int nrepeat = o.fixedRepeats() > 0 ? o.fixedRepeats() : UNBOUNDED;
        try (Wire wire = Wire.connect(o.host(), o.port(), o.socketBufferBytes(), o.stallTimeout())) {
            listener.onConnected(wire.peer());
            String where = "while synchronising with the receiver at the start";
            long made = 0;
            try {
                wire.sync();
                where = "during the 100 warm-up ping-pongs";
                wire.ensureCapacity(Math.max(o.start(), bytes));
                double latency = wire.transmitTrial(o.start(), Compat.LATENCY_REPS, new Histogram(Wire.HISTOGRAM_MAX_NS, 3))
                        / 1e9 / (2.0 * Compat.LATENCY_REPS);
                wire.sync();
                listener.onStart(latency);
                where = "before the ping-pong of " + bytes + "-byte messages";
                wire.sync();
                wire.writeUint32(nrepeat);
                for (int trial = 0; trial < Compat.V3_7.trials() && !stop.getAsBoolean(); trial++) {
                    wire.sync();
                    try {
                        made += wire.transmitUntil(bytes, nrepeat, stop, roundTrips);
                    } catch (IOException e) {
                        // not a schedule mismatch: the receiver or the path to it went away mid-run
                        throw new NetpipeException(NetpipeException.Kind.IO, "the connection broke in the ping-pong"
                                + " of " + bytes + "-byte messages (trial " + (trial + 1) + "): " + e.getMessage(), e);
                    }
                }
                if (!stop.getAsBoolean() && !hasSecondPoint(o, latency)) {
                    where = "at the end (QUIT) after " + made + " round trips";
                    wire.quitAsTransmitter();
                }
                return made;
            } catch (IOException e) {
                throw Wire.explain(e, where);
            }
        }
    }

    /** Whether the receiver's schedule goes on after the first point (the time passed only matters past 1 s). */
    private static boolean hasSecondPoint(NetpipeOptions o, double latency) {
        SizeSchedule schedule = o.schedule();
        schedule.advance(latency);
        return schedule.advance(latency);
    }
}
