package org.artcp.node.order;

/** How nodes deliver causal requests (paper §4.1). */
public enum DeliveryMode {
    /** Deliver in order as soon as a request passes the checks; gaps are NAKed to the primary. */
    BEST_EFFORT,
    /** Deliver in order only once every live backup has positively ACKed the request (it is stable). */
    SAFE
}
