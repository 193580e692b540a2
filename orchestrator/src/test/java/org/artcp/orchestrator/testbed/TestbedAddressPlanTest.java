package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names and addresses of DESIGN §5, and the settings record. */
class TestbedAddressPlanTest {
    @Test
    void nodesAndClientsGetTheDesignAddresses() {
        List<Host> hosts = AddressPlan.hosts(4, 2);
        assertEquals(List.of("node1", "node2", "node3", "node4", "client1", "client2"), hosts.stream().map(Host::name).toList());
        assertEquals(List.of("198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4", "198.18.0.101", "198.18.0.102"),
                hosts.stream().map(Host::address).toList());
        assertEquals(List.of("artcp-node1", "artcp-node2", "artcp-node3", "artcp-node4", "artcp-client1", "artcp-client2"),
                hosts.stream().map(Host::namespace).toList());
        assertEquals("198.18.0.101/24", AddressPlan.client(1).cidr());
        assertEquals("veth-client2", AddressPlan.client(2).bridgePort());
        assertTrue(hosts.stream().allMatch(h -> h.bridgePort().length() <= 15), "interface names fit IFNAMSIZ");
        assertEquals("02:a7:c6:12:00:65", AddressPlan.client(1).mac());
    }

    @Test
    void thePortalIsReservedAndNeverAHostAddress() {
        assertEquals("198.18.0.10", AddressPlan.PORTAL_ADDRESS);
        assertTrue(AddressPlan.hosts(4, 2).stream().noneMatch(h -> h.address().equals(AddressPlan.PORTAL_ADDRESS)));
    }

    @Test
    void namespacesListTheLanFirst() {
        assertEquals(List.of("artcp-lan", "artcp-node1", "artcp-node2", "artcp-client1"), AddressPlan.namespaces(2, 1));
    }

    @Test
    void hostsAreFoundByNameOrNamespace() {
        List<Host> hosts = AddressPlan.hosts(2, 1);
        assertEquals("node2", AddressPlan.find(hosts, "node2").orElseThrow().name());
        assertEquals("node2", AddressPlan.find(hosts, "artcp-node2").orElseThrow().name());
        assertTrue(AddressPlan.find(hosts, "node3").isEmpty());
        assertTrue(AddressPlan.find(hosts, "client2").isEmpty());
    }

    @Test
    void indexesOutsideTheDesignAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.node(5));
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.node(0));
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.client(3));
        assertThrows(IllegalArgumentException.class, () -> new TestbedConfig(5, 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new TestbedConfig(1, 0, null, null));
    }

    @Test
    void configsCompareBySettingsAndDescribeThemselves() {
        TestbedConfig a = new TestbedConfig(4, 2, LinkRate.parse("100mbit"), new CpuCap(0.5));
        TestbedConfig b = TestbedConfig.defaults().withLinkRate(LinkRate.parse("100000kbit")).withNodeCpu(new CpuCap(0.5));
        assertEquals(a, b);
        assertEquals("4 nodes, 2 clients, link rate 100mbit, node cpu 0.5", a.describe());
        assertEquals("--nodes 4 --clients 2 --link-rate 100mbit --node-cpu 0.5", a.asOptions());
        assertEquals("1 node, 1 client, unshaped links, no node cpu cap", new TestbedConfig(1, 1, null, null).describe());
        assertTrue(!a.equals(TestbedConfig.defaults()));
    }
}
