/**
 * Connection management (CM, paper §4 and §5.1): the per-connection TCP sequence number translation
 * of §5.1 (equations 1–4) and the mapping of every node's own ISN onto one cluster sequence space
 * (DESIGN §2). Pure: numbers in, numbers out; no I/O, no clocks.
 *
 * <p>The cluster ISN is keyed with a cluster secret but mixed with a non-cryptographic finaliser: an
 * attacker who sees many ISNs of the cluster could in principle learn the secret. A keyed PRF
 * (SipHash, or HMAC under the cluster key) is the hardening step if that matters; the translation
 * does not depend on how the ISN is chosen.
 */
package org.artcp.node.cm;
