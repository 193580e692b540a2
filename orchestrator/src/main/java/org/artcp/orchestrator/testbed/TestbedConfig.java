package org.artcp.orchestrator.testbed;

/**
 * The settings a testbed is brought up with. Two testbeds are "the same" exactly when their configs are
 * equal; {@code up} with equal settings is a no-op, with different ones it is refused.
 *
 * <p>Defaults are the full topology of DESIGN §5, four nodes and two clients: idle namespaces cost no
 * CPU and a few kilobytes, and with the full topology up every experiment (2–4 nodes) fits the running
 * testbed instead of being refused for "different settings".
 *
 * @param nodes    number of node hosts, 1..4
 * @param clients  number of client hosts, 1..2
 * @param linkRate the tbf rate of every veth, or {@code null} for unshaped links
 * @param nodeCpu  the CPU cap of each node host, or {@code null} for none
 */
public record TestbedConfig(int nodes, int clients, LinkRate linkRate, CpuCap nodeCpu) {
    public static final int DEFAULT_NODES = AddressPlan.MAX_NODES;
    public static final int DEFAULT_CLIENTS = AddressPlan.MAX_CLIENTS;

    public TestbedConfig {
        if (nodes < 1 || nodes > AddressPlan.MAX_NODES) {
            throw new IllegalArgumentException("--nodes " + nodes + " is out of range: use 1 to " + AddressPlan.MAX_NODES);
        }
        if (clients < 1 || clients > AddressPlan.MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients " + clients + " is out of range: use 1 to " + AddressPlan.MAX_CLIENTS);
        }
    }

    /** Four nodes, two clients, unshaped, uncapped. */
    public static TestbedConfig defaults() {
        return new TestbedConfig(DEFAULT_NODES, DEFAULT_CLIENTS, null, null);
    }

    public TestbedConfig withLinkRate(LinkRate rate) {
        return new TestbedConfig(nodes, clients, rate, nodeCpu);
    }

    public TestbedConfig withNodeCpu(CpuCap cap) {
        return new TestbedConfig(nodes, clients, linkRate, cap);
    }

    /** One line, e.g. {@code 4 nodes, 2 clients, link rate 100mbit, node cpu 0.5}. */
    public String describe() {
        return nodes + (nodes == 1 ? " node, " : " nodes, ") + clients + (clients == 1 ? " client, " : " clients, ")
                + (linkRate == null ? "unshaped links" : "link rate " + linkRate) + ", "
                + (nodeCpu == null ? "no node cpu cap" : "node cpu " + nodeCpu);
    }

    /** The {@code up} options that make this config, e.g. {@code --nodes 4 --clients 2 --link-rate 100mbit}. */
    public String asOptions() {
        return "--nodes " + nodes + " --clients " + clients
                + (linkRate == null ? "" : " --link-rate " + linkRate)
                + (nodeCpu == null ? "" : " --node-cpu " + nodeCpu);
    }
}
