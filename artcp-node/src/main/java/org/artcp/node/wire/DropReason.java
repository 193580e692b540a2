package org.artcp.node.wire;

/** Why a node dropped an incoming tunnel frame. Drops are counted, never thrown (DESIGN §4.6). */
public enum DropReason {
    /** Shorter than a header plus a MAC. */
    TRUNCATED,
    /** The first two bytes are not the AR-TCP tunnel magic. */
    BAD_MAGIC,
    /** A version this node does not speak. */
    BAD_VERSION,
    /** The type byte names no frame type. */
    UNKNOWN_TYPE,
    /** The payload length disagrees with the frame's length. */
    BAD_LENGTH,
    /** The message authentication code does not verify under the cluster key. */
    BAD_MAC,
    /** Authenticated, but for another cluster. */
    WRONG_CLUSTER,
    /** The sender rank, or a rank field, is outside the cluster (or is this node itself). */
    UNKNOWN_RANK,
    /** A field holds a value outside its range (e.g. an ordering number above the fold bound). */
    BAD_FIELD,
    /** From a node this node has excluded as failed. */
    FROM_EXCLUDED,
    /** From an older term (a superseded primary or election). */
    STALE_TERM,
    /** Not expected in this node's current role or term (e.g. data from a node that is not its primary). */
    UNEXPECTED,
    /** A causal request this node already holds. */
    DUPLICATE,
    /** An ordering number further ahead than the window allows. */
    OUT_OF_WINDOW;

    private static final DropReason[] VALUES = values();

    /** All reasons, in ordinal order (no copy per call). */
    public static DropReason byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
