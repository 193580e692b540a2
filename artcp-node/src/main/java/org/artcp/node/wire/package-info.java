/**
 * The tunnel frames between AR-TCP nodes: a flyweight per frame ({@link org.artcp.node.wire.TunnelFrame}),
 * HMAC-SHA-256 sealing under the cluster key, and validation that drops and counts bad frames instead
 * of throwing. Byte layout: {@code docs/tunnel-frames.md}.
 */
package org.artcp.node.wire;
