/**
 * The AR-TCP node (paper §4–5, DESIGN §2–3): connection management (CM) with the sequence
 * translation of §5.1, message ordering (MO) with best-effort and safe delivery, response
 * control (RC) with the aggregator ring, membership and election, and the Linux data path
 * (TUN, AF_PACKET, raw sends) behind one {@code java.lang.foreign} boundary.
 */
package org.artcp.node;
