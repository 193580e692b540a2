package org.artcp.netpipe;

import java.net.SocketAddress;

/** What a run tells its caller as it goes (the command prints these to stderr). All methods default to nothing. */
public interface NetpipeListener {
    /** The in-process JVM warm-up starts ({@code roundTrips} over loopback, outside the measured exchange). */
    default void onWarmup(int roundTrips) {
    }

    /** The receiver listens. */
    default void onListening(SocketAddress local) {
    }

    /** The connection to the peer ({@code address:port}) is up. */
    default void onConnected(String peer) {
    }

    /** The exchange with the peer starts; {@code latencySeconds} is the warm-up's one-way estimate. */
    default void onStart(double latencySeconds) {
    }

    /** A point is done. On the receiver its times are the receiver's own, as NPtcp's receiver measures them. */
    default void onPoint(PointResult point) {
    }

    /** A listener that stays silent. */
    NetpipeListener SILENT = new NetpipeListener() {
    };
}
