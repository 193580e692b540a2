/**
 * Flyweights over the packets the node reads and writes on the LAN and the TUN device: Ethernet II,
 * ARP, IPv4 and TCP, the Internet checksum with its RFC 1624 incremental update, and the removal of
 * per-node SYN options. Pure: byte arrays in, numbers out; no I/O, no allocation per packet. A
 * truncated or malformed packet is reported by {@code isValid()} (and
 * {@link org.artcp.node.packet.TcpSegment#optionsWellFormed()}), never by an exception.
 */
package org.artcp.node.packet;
