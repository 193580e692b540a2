/**
 * Message ordering (MO, paper §4.1–4.3): serial-number arithmetic (the one helper for every wrapping
 * number), the primary's sequencer, the per-node message log, the connection table that recognises
 * retransmitted requests, and the read-only round-robin scheduler. Pure: no I/O, no clocks.
 */
package org.artcp.node.order;
