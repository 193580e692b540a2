package org.artcp.node;

import org.artcp.node.order.DeliveryMode;
import org.artcp.node.order.SerialNumbers;

/**
 * The parameters every node of one cluster shares. Times are in nanoseconds of the caller's clock.
 *
 * @param clusterId            names the cluster in every frame
 * @param clusterSize          N, ranks 0..N-1 (2..16)
 * @param clusterKey           the HMAC-SHA-256 key, at least 16 bytes
 * @param deliveryMode         best-effort or safe (paper §4.1)
 * @param foldBound            ordering numbers fold at this bound (4..2^32)
 * @param initialOrderingNumber the number "issued" before the first request (the first request gets the next)
 * @param maxInFlight          causal requests the primary may number beyond what every node holds; at most
 *                             foldBound / 8, so that every number a node receives (including reports that
 *                             are a few windows old) is within half the number space of its own position
 * @param heartbeatIntervalNs  heartbeat (and vote / announcement / re-ACK) period
 * @param failureTimeoutNs     silence after which a node is declared failed
 * @param nakDelayNs           how long a gap must persist before it is NAKed (reordering tolerance)
 * @param nakRetryNs           interval between repeated NAKs of a persisting gap
 * @param readOnlyIncludesPrimary RR-P (true) or RR-NP (false), paper §4.2
 * @param initialPrimary       the primary's rank at start (term 0)
 */
public record NodeConfig(long clusterId, int clusterSize, byte[] clusterKey, DeliveryMode deliveryMode, long foldBound,
                         long initialOrderingNumber, int maxInFlight, long heartbeatIntervalNs, long failureTimeoutNs,
                         long nakDelayNs, long nakRetryNs, boolean readOnlyIncludesPrimary, int initialPrimary) {

    public NodeConfig {
        if (clusterSize < 1 || clusterSize > 16) {
            throw new IllegalArgumentException("cluster size must be 1..16");
        }
        SerialNumbers s = SerialNumbers.withFoldBound(foldBound);
        if (!s.isValid(initialOrderingNumber)) {
            throw new IllegalArgumentException("initial ordering number outside [0, foldBound)");
        }
        if (maxInFlight < 1 || 8L * maxInFlight > foldBound) {
            throw new IllegalArgumentException("maxInFlight must be in [1, foldBound / 8]");
        }
        if (heartbeatIntervalNs <= 0 || failureTimeoutNs <= heartbeatIntervalNs) {
            throw new IllegalArgumentException("need 0 < heartbeat interval < failure timeout");
        }
        if (initialPrimary < 0 || initialPrimary >= clusterSize) {
            throw new IllegalArgumentException("initial primary outside the cluster");
        }
        clusterKey = clusterKey.clone();
    }

    /** Defaults for a LAN: 32-bit numbers, 10 ms heartbeats, 100 ms timeout, RR-NP. */
    public static NodeConfig lanDefaults(long clusterId, int clusterSize, byte[] key, DeliveryMode mode) {
        return new NodeConfig(clusterId, clusterSize, key, mode, SerialNumbers.MAX_ORDERING_BOUND, 0, 1024,
                10_000_000L, 100_000_000L, 200_000L, 2_000_000L, false, 0);
    }

    @Override
    public byte[] clusterKey() {
        return clusterKey.clone();
    }
}
