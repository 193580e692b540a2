package org.artcp.orchestrator.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names and addresses of the local testbed (DESIGN §5), in one place: namespaces {@code artcp-lan}
 * (the bridge), {@code artcp-node1..4}, {@code artcp-client1..2}; the benchmarking range
 * 198.18.0.0/24 (RFC 2544), nodeK = 198.18.0.K, clientJ = 198.18.0.(100+J), portal 198.18.0.10.
 */
public final class AddressPlan {
    public static final String PREFIX = "artcp-";
    public static final String LAN_NAMESPACE = PREFIX + "lan";
    public static final String BRIDGE = "br0";
    public static final String NETWORK = "198.18.0.0/24";
    public static final int PREFIX_LENGTH = 24;
    /** The portal IP of AR-TCP; reserved here, owned later by the primary node (DESIGN §2). */
    public static final String PORTAL_ADDRESS = "198.18.0.10";
    /** Multicast is routed onto the LAN in every host so the tunnel (239.0.0.0/8) needs no other setup. */
    public static final String MULTICAST_ROUTE = "224.0.0.0/4";
    public static final int MAX_NODES = 4;
    public static final int MAX_CLIENTS = 2;

    private AddressPlan() {
    }

    public static Host node(int k) {
        check(k, MAX_NODES, "node");
        return host("node" + k, Host.Role.NODE, k, k);
    }

    public static Host client(int j) {
        check(j, MAX_CLIENTS, "client");
        return host("client" + j, Host.Role.CLIENT, j, 100 + j);
    }

    /** Nodes first, then clients, in index order. */
    public static List<Host> hosts(int nodes, int clients) {
        List<Host> hosts = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            hosts.add(node(k));
        }
        for (int j = 1; j <= clients; j++) {
            hosts.add(client(j));
        }
        return List.copyOf(hosts);
    }

    /** Every namespace a testbed of this size has: the LAN first, then the hosts. */
    public static List<String> namespaces(int nodes, int clients) {
        List<String> names = new ArrayList<>();
        names.add(LAN_NAMESPACE);
        hosts(nodes, clients).forEach(h -> names.add(h.namespace()));
        return List.copyOf(names);
    }

    /** The host called {@code name} ({@code node2}) or living in namespace {@code name} ({@code artcp-node2}). */
    public static Optional<Host> find(List<Host> hosts, String name) {
        return hosts.stream().filter(h -> h.name().equals(name) || h.namespace().equals(name)).findFirst();
    }

    private static Host host(String name, Host.Role role, int index, int lastOctet) {
        return new Host(name, role, index, PREFIX + name, "198.18.0." + lastOctet, "veth-" + name,
                String.format("02:a7:c6:12:00:%02x", lastOctet));
    }

    private static void check(int index, int max, String what) {
        if (index < 1 || index > max) {
            throw new IllegalArgumentException(what + " index " + index + " is out of range 1.." + max);
        }
    }
}
