/**
 * Membership (paper §4.1 Fig. 4, §5.2): the heartbeat failure detector on injected time, the ring of
 * aggregators and its re-formation, the election of a new primary (highest ordering number, then
 * smallest rank), and the role and election state machines. Pure: no I/O, no clocks.
 */
package org.artcp.node.membership;
