/**
 * The deterministic simulation of N node cores (DESIGN §3–4): virtual clock, seeded randomness, a
 * lossy, duplicating, reordering, corrupting network, crash injection at any instant, clients, and
 * the invariant checks. One seed reruns one scenario exactly: {@code ./artcp sim --seed N}.
 */
package org.artcp.node.sim;
