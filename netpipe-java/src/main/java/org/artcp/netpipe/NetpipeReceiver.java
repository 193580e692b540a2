package org.artcp.netpipe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver ({@code NPtcp} without {@code -h}): accepts one transmitter and echoes every message.
 *
 * <p>As NPtcp's receiver it runs the same size schedule on its own, from its own {@code -l/-u/-p}, and in 3.x stops
 * on its own timing; NetPIPE has no way to tell it the sizes. A transmitter with other options is caught as C would
 * catch it: a sync string where data or QUIT was expected, or the connection closing early.
 */
public final class NetpipeReceiver {
    private NetpipeReceiver() {
    }

    /**
     * Listens on {@code o.port()}, serves one transmitter, returns the receiver's own view of the points.
     *
     * @throws NetpipeException with a one-line message for every expected failure
     */
    public static List<PointResult> run(NetpipeOptions o, NetpipeListener listener) throws NetpipeException {
        o.check();
        if (o.jvmWarmup()) {
            listener.onWarmup(JvmWarmup.ROUND_TRIPS);
            JvmWarmup.run();
        }
        LinuxTcp ss = Wire.listen(o.bindAddress(), o.port(), o.socketBufferBytes());
        Wire wire;
        try (ss) {
            listener.onListening(ss.localAddress());
            wire = Wire.accept(ss, o.socketBufferBytes(), o.stallTimeout());
        } catch (IOException e) {
            throw new NetpipeException(NetpipeException.Kind.IO, "cannot accept a transmitter on port " + o.port()
                    + ": " + e.getMessage(), e);
        }
        try (wire) {
            listener.onConnected(wire.peer());
            return serve(o, wire, listener);
        }
    }

    private static List<PointResult> serve(NetpipeOptions o, Wire wire, NetpipeListener listener)
            throws NetpipeException {
        final Compat compat = o.compat();
        final boolean v3 = compat == Compat.V3_7;
        final int trials = compat.trials();
        final List<PointResult> out = new ArrayList<>();
        String where = "while synchronising with the transmitter at the start";
        SizeSchedule schedule = o.schedule();
        try {
            wire.sync();
            where = "during the 100 warm-up ping-pongs";
            int warmBytes = v3 ? o.start() : 1;
            wire.ensureCapacity(warmBytes);
            double latency = wire.echoTrial(warmBytes, Compat.LATENCY_REPS) / 1e9 / (2.0 * Compat.LATENCY_REPS);
            if (v3) {
                wire.sync();
            } else {
                latency = wire.readUint32("the latency") / 1.0e6; // RecvTime replaces the receiver's own
            }
            listener.onStart(latency);
            double tlast = latency;
            while (schedule.advance(tlast)) {
                where = "at point " + schedule.index() + " (" + schedule.bytes() + " bytes)";
                if (v3) {
                    wire.sync();
                }
                long nrepeat = wire.readUint32("the repeat count");
                if (nrepeat < 1 || nrepeat > 1_000_000_000L) {
                    throw new Wire.Unexpected("expected a repeat count but got " + nrepeat);
                }
                int bufflen = schedule.bytes();
                wire.ensureCapacity(bufflen);
                double best = 1e99;
                for (int i = 0; i < trials; i++) {
                    wire.sync();
                    double elapsed = wire.echoTrial(bufflen, (int) nrepeat) / 1e9;
                    double t = v3 ? elapsed / nrepeat / 2 : elapsed / (2 * nrepeat);
                    best = best < t ? best : t;
                }
                if (v3) {
                    if (best == 0.0) {
                        best = 0.000001;
                    }
                } else {
                    best = wire.readUint32("the point's time") / 1.0e6; // 2.4: the transmitter's minimum
                }
                tlast = best;
                PointResult p = new PointResult(schedule.index(), bufflen, (int) nrepeat, trials, best,
                        NpOut.mbps(bufflen, best), Double.NaN, null, null);
                out.add(p);
                listener.onPoint(p);
            }
            where = "at the end (QUIT) after " + out.size() + " points";
            wire.quitAsReceiver();
            return out;
        } catch (IOException e) {
            throw Wire.explain(e, where);
        }
    }
}
