package org.artcp.orchestrator.testbed;

/**
 * One emulated machine of the testbed: a network namespace with one veth ({@link #INTERFACE}) on the
 * LAN bridge. Built only by {@link AddressPlan}, which owns the names and addresses of DESIGN §5.
 *
 * @param name      the host name used with {@code ./artcp testbed exec}: {@code node1..4}, {@code client1..2}
 * @param role      node (runs a server and an AR-TCP node) or client
 * @param index     K of nodeK, J of clientJ (from 1)
 * @param namespace the network namespace, {@code artcp-} + name
 * @param address   the IPv4 address on {@link #INTERFACE}, in {@link AddressPlan#NETWORK}
 * @param bridgePort the other end of the veth, a port of the bridge in {@code artcp-lan}
 * @param mac       the locally administered MAC of {@link #INTERFACE}; its last byte is the address's
 */
public record Host(String name, Role role, int index, String namespace, String address, String bridgePort, String mac) {
    /** The name of the host's one LAN interface, inside its namespace. */
    public static final String INTERFACE = "eth0";

    /** What a host is for. */
    public enum Role {
        /** A server machine: runs MariaDB/NPtcp and an AR-TCP node; CPU-capped with {@code --node-cpu}. */
        NODE,
        /** A client machine: runs the load generators; never capped. */
        CLIENT
    }

    /** Address with prefix length, as {@code ip addr add} takes it. */
    public String cidr() {
        return address + "/" + AddressPlan.PREFIX_LENGTH;
    }
}
