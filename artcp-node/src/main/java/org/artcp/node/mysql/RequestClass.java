package org.artcp.node.mysql;

/** The paper's two request classes for data that reaches the server (§4.1, §4.2). */
public enum RequestClass {
    /** Changes nothing any replica must see: served by one replica chosen round-robin. */
    READ_ONLY,
    /** Ordered by the primary and run on every replica. */
    CAUSAL
}
