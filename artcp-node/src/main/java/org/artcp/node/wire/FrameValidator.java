package org.artcp.node.wire;

/**
 * Decides whether bytes off the tunnel are an acceptable frame for this cluster, in the order that
 * costs least for garbage: length, magic, version, length field, MAC, then the authenticated fields
 * (cluster, type, ranks). It returns a {@link DropReason} instead of throwing: callers count it.
 */
public final class FrameValidator {
    private final long clusterId;
    private final int clusterSize;
    private final FrameAuthenticator authenticator;
    private final TunnelFrame frame = new TunnelFrame();

    /**
     * @param clusterId the cluster every accepted frame must name
     * @param clusterSize the number of ranks, 1..16; ranks are {@code 0 .. clusterSize - 1}
     */
    public FrameValidator(long clusterId, int clusterSize, FrameAuthenticator authenticator) {
        if (clusterSize < 1 || clusterSize > 16) {
            throw new IllegalArgumentException("cluster size must be 1..16: " + clusterSize);
        }
        this.clusterId = clusterId;
        this.clusterSize = clusterSize;
        this.authenticator = authenticator;
    }

    /** {@code null} when the frame is acceptable, otherwise why it is not. Never throws for any input. */
    public DropReason check(byte[] buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < TunnelFrame.MIN_FRAME_LENGTH || offset > buffer.length - length) {
            return DropReason.TRUNCATED;
        }
        frame.wrap(buffer, offset);
        if (frame.magic() != TunnelFrame.MAGIC) {
            return DropReason.BAD_MAGIC;
        }
        if (frame.version() != TunnelFrame.VERSION) {
            return DropReason.BAD_VERSION;
        }
        if (frame.frameLength() != length) {
            return frame.frameLength() > length ? DropReason.TRUNCATED : DropReason.BAD_LENGTH;
        }
        if (!authenticator.verify(buffer, offset, length)) {
            return DropReason.BAD_MAC;
        }
        if (frame.clusterId() != clusterId) {
            return DropReason.WRONG_CLUSTER;
        }
        FrameType type = frame.type();
        if (type == null) {
            return DropReason.UNKNOWN_TYPE;
        }
        if (frame.senderRank() >= clusterSize || !rankOrNone(frame.dutyRank()) || !rankOrNone(frame.targetRank())) {
            return DropReason.UNKNOWN_RANK;
        }
        if ((type == FrameType.REQUEST || type == FrameType.RETRANSMIT || type == FrameType.READ_ONLY)
                && (frame.packetCount() == 0 || frame.packetIndex() >= frame.packetCount())) {
            return DropReason.BAD_FIELD;
        }
        if (type == FrameType.READ_ONLY && frame.dutyRank() == TunnelFrame.NO_RANK) {
            return DropReason.BAD_FIELD;
        }
        return null;
    }

    private boolean rankOrNone(int rank) {
        return rank == TunnelFrame.NO_RANK || rank < clusterSize;
    }
}
