package org.artcp.netpipe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * The transmitter ({@code NPtcp -h HOST}): drives the sweep, decides the repeat counts, writes the results.
 *
 * <p>The exchange is C's, step for step ({@code ../shared/NETPIPE.md}). 3.x: Sync; 100 warm-up ping-pongs of
 * {@code -l} bytes; Sync; per point Sync, nrepeat, then per trial Sync and nrepeat ping-pongs. 2.4: Sync; 100
 * one-byte ping-pongs; the latency in µs; per point nrepeat, per trial Sync and ping-pongs, then the minimum in µs.
 * Both end with {@code QUIT\0}. The JVM is warmed up beforehand over an in-process loopback pair
 * ({@link JvmWarmup}), so nothing the peer sees differs from C.
 */
public final class NetpipeTransmitter {
    private NetpipeTransmitter() {
    }

    /**
     * Runs a whole sweep against a receiver.
     *
     * @return the points, as written to the output file
     * @throws NetpipeException with a one-line message for every expected failure
     */
    public static List<PointResult> run(NetpipeOptions o, NetpipeListener listener) throws NetpipeException {
        o.check();
        if (o.host() == null || o.host().isBlank()) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION,
                    "the transmitter needs the receiver's host: give -h HOST");
        }
        if (o.jvmWarmup()) {
            listener.onWarmup(JvmWarmup.ROUND_TRIPS);
            JvmWarmup.run();
        }
        // as NPtcp, connect first and only then create the output file: a refused connection leaves nothing behind
        try (Wire wire = Wire.connect(o.host(), o.port(), o.socketBufferBytes(), o.stallTimeout())) {
            listener.onConnected(wire.peer());
            ResultsWriter results;
            try {
                results = new ResultsWriter(o);
            } catch (IOException e) {
                throw new NetpipeException(NetpipeException.Kind.IO, "cannot write " + o.output() + ": "
                        + e.getMessage() + " — give -o a file in a writable directory", e);
            }
            try (results) {
                return sweep(o, wire, results, listener);
            } catch (IOException e) { // closing the output file
                throw new NetpipeException(NetpipeException.Kind.IO, "cannot write " + o.output() + ": "
                        + e.getMessage() + " — check the disk and give -o a file in a writable directory", e);
            }
        }
    }

    private static List<PointResult> sweep(NetpipeOptions o, Wire wire, ResultsWriter results,
            NetpipeListener listener) throws NetpipeException {
        final Compat compat = o.compat();
        final boolean v3 = compat == Compat.V3_7;
        final int trials = compat.trials();
        final Histogram rtt = new Histogram(Wire.HISTOGRAM_MAX_NS, 3);
        final List<PointResult> out = new ArrayList<>();
        String where = "while synchronising with the receiver at the start";
        SizeSchedule schedule = o.schedule();
        try {
            wire.sync();
            where = "during the 100 warm-up ping-pongs";
            int warmBytes = v3 ? o.start() : 1;
            wire.ensureCapacity(warmBytes);
            double latency = wire.transmitTrial(warmBytes, Compat.LATENCY_REPS, rtt) / 1e9
                    / (2.0 * Compat.LATENCY_REPS);
            if (v3) {
                wire.sync();
            } else {
                wire.writeUint32((int) (long) (latency * 1.e6)); // SendTime: (unsigned int)(t * 1e6)
            }
            results.onStart(wire.peer(), latency);
            listener.onStart(latency);
            double tlast = latency;
            int bufflen = v3 ? o.start() : 1;
            while (schedule.advance(tlast)) {
                where = "at point " + schedule.index() + " (" + schedule.bytes() + " bytes)";
                if (v3) {
                    wire.sync();
                }
                int nrepeat = o.fixedRepeats() > 0 ? o.fixedRepeats()
                        : RepeatCount.compute(compat.runSeconds(), bufflen, schedule.increment(), tlast, trials);
                wire.writeUint32(nrepeat);
                bufflen = schedule.bytes();
                wire.ensureCapacity(bufflen);
                rtt.reset();
                long startMs = System.currentTimeMillis();
                double best = 1e99; // LONGTIME
                double t1 = 0;
                double t2 = 0;
                for (int i = 0; i < trials; i++) {
                    wire.sync();
                    double elapsed = wire.transmitTrial(bufflen, nrepeat, rtt) / 1e9;
                    double t;
                    if (v3) {
                        t = elapsed / nrepeat;
                        t /= 2;
                    } else {
                        t = elapsed / (2 * nrepeat);
                        t2 += t * t;
                        t1 += t;
                    }
                    best = best < t ? best : t; // C's MIN(bwdata[n].t, t)
                }
                double variance = Double.NaN;
                if (v3) {
                    if (best == 0.0) {
                        best = 0.000001; // as NPtcp: never a zero time
                    }
                } else {
                    wire.writeUint32((int) (long) (best * 1.e6));
                    variance = t2 / trials - t1 / trials * t1 / trials;
                }
                tlast = best;
                PointResult p = new PointResult(schedule.index(), bufflen, nrepeat, trials, best,
                        NpOut.mbps(bufflen, best), variance, PointResult.RttSummary.of(rtt), null);
                String hlog = results.write(p, rtt, startMs, System.currentTimeMillis());
                p = new PointResult(p.index(), p.bytes(), p.nrepeat(), p.trials(), p.oneWaySeconds(), p.mbps(),
                        p.variance(), p.rtt(), hlog);
                out.add(p);
                listener.onPoint(p);
            }
            where = "at the end (QUIT) after " + out.size() + " points";
            wire.quitAsTransmitter();
            results.finish();
            return out;
        } catch (ResultsWriter.WriteFailed e) {
            throw new NetpipeException(NetpipeException.Kind.IO, e.getMessage() + " " + where
                    + " — check the disk and give -o a file in a writable directory", e);
        } catch (IOException e) {
            throw Wire.explain(e, where);
        }
    }
}
