package org.artcp.orchestrator.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./artcp testbed status} shows, as data (printed as a table, or as JSON with {@code --json}).
 *
 * @param up          whether a testbed is fully up
 * @param status      {@code up}, {@code down}, or {@code half-made} (leftovers exist; run down)
 * @param createdAt   when it was brought up
 * @param settings    its settings, or null
 * @param cgroup      the CPU cgroups in use, or null
 * @param lanNamespace namespace of the bridge
 * @param bridge      the bridge's name
 * @param portal      the portal address (reserved, not assigned by the testbed)
 * @param hosts       one entry per host
 * @param leftovers   what a half-made testbed left behind, or null
 */
public record TestbedStatus(boolean up, String status, String createdAt, Settings settings, Cgroup cgroup,
                            String lanNamespace, String bridge, String portal, List<HostStatus> hosts, String leftovers) {

    /** Settings as given to {@code up}. */
    public record Settings(int nodes, int clients, String linkRate, Double nodeCpu) {
    }

    /** Where the nodes' CPU caps live. */
    public record Cgroup(String version, String root, long quotaUs, long periodUs) {
    }

    /** One host's row. */
    public record HostStatus(String name, String role, String namespace, String address, String mac, String iface,
                             String bridgePort, String linkRate, String cpuCap, List<Proc> processes) {
    }

    /** A process in a host's namespace. */
    public record Proc(long pid, String command) {
    }

    /** Looks at the machine. Needs no root, but without it processes of other users may be missed. */
    public static TestbedStatus inspect() {
        Optional<Testbed> tb = Testbed.load();
        if (tb.isEmpty()) {
            Testbed.Leftovers left = Testbed.findLeftovers(Testbed.readState());
            return left.isEmpty()
                    ? new TestbedStatus(false, "down", null, null, null, null, null, null, List.of(), null)
                    : new TestbedStatus(false, "half-made", null, null, null, null, null, null, List.of(), left.describe());
        }
        Testbed t = tb.get();
        Testbed.State s = t.state();
        TestbedConfig c = t.config();
        Cgroup cg = t.cpuCgroups().map(g -> new Cgroup(g.version().name(), g.root().toString(),
                c.nodeCpu().quotaUs(), CpuCap.PERIOD_US)).orElse(null);
        List<HostStatus> hosts = new ArrayList<>();
        for (Host h : t.hosts()) {
            List<Proc> procs = Testbed.pids(h.namespace()).stream().map(pid -> new Proc(pid, Testbed.processName(pid))).toList();
            hosts.add(new HostStatus(h.name(), h.role().name().toLowerCase(java.util.Locale.ROOT), h.namespace(), h.address(),
                    h.mac(), Host.INTERFACE, h.bridgePort(), c.linkRate() == null ? null : c.linkRate().toString(),
                    h.role() == Host.Role.NODE && c.nodeCpu() != null ? c.nodeCpu().toString() : null, procs));
        }
        return new TestbedStatus(true, "up", s.createdAt(), new Settings(c.nodes(), c.clients(),
                c.linkRate() == null ? null : c.linkRate().toString(), c.nodeCpu() == null ? null : c.nodeCpu().cpus()),
                cg, s.lanNamespace(), s.bridge(), s.portal(), List.copyOf(hosts), null);
    }

    /** The human-readable form. */
    public String table() {
        if (!up) {
            return leftovers == null ? "no testbed is up (start one with ./artcp testbed up)\n"
                    : "no testbed is up, but a half-made one left: " + leftovers + "\nrun ./artcp testbed down to remove it\n";
        }
        StringBuilder out = new StringBuilder();
        out.append("testbed up since ").append(createdAt).append(": ").append(settings.nodes()).append(" nodes, ")
                .append(settings.clients()).append(" clients on bridge ").append(bridge).append(" in ").append(lanNamespace)
                .append(", network ").append(AddressPlan.NETWORK).append('\n');
        if (cgroup != null) {
            out.append("node CPU caps: cgroup ").append(cgroup.version().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(cgroup.root()).append("/<node>, quota ").append(cgroup.quotaUs()).append(" us per ")
                    .append(cgroup.periodUs()).append(" us\n");
        }
        String fmt = "%-8s %-14s %-13s %-10s %-8s %s%n";
        out.append(String.format(fmt, "HOST", "NAMESPACE", "ADDRESS", "LINK RATE", "CPU CAP", "PROCESSES"));
        for (HostStatus h : hosts) {
            String procs = h.processes().isEmpty() ? "-" : h.processes().size() + " (" + String.join(", ",
                    h.processes().stream().map(p -> p.command() + " " + p.pid()).toList()) + ")";
            out.append(String.format(fmt, h.name(), h.namespace(), h.address(), h.linkRate() == null ? "unshaped" : h.linkRate(),
                    h.cpuCap() == null ? "-" : h.cpuCap(), procs));
        }
        out.append(String.format(fmt, "(portal)", "-", portal, "-", "-", "reserved; owned by the AR-TCP primary"));
        return out.toString();
    }
}
