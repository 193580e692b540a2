package org.artcp.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.artcp.orchestrator.testbed.AddressPlan;
import org.artcp.orchestrator.testbed.Host;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * Faults injected into one node of the running cluster (issue 6), for the failover tests and benches:
 *
 * <ul>
 *   <li>{@link #kill}: the whole host at once, as a power cut. The host's link goes down first (at the bridge
 *       port, so nothing the host's kernel still sends for its dying sockets, such as a RST from the portal
 *       address, reaches the LAN), then SIGKILL to the node process and to every other process in the host's
 *       namespace (its MariaDB or NPtcp). Final: the link stays down until {@code cluster stop}.</li>
 *   <li>{@link #pause} / {@link #resume}: SIGSTOP / SIGCONT of the node process only.</li>
 *   <li>{@link #cut} / {@link #heal}: the host's link down / up at its bridge port; its processes keep running.</li>
 *   <li>{@link #loss}: random loss of the frames to and from the host, {@code percent} in each direction, with
 *       nftables' {@code numgen random} in the bridge's namespace (this machine has no netem). The rules sit in
 *       table {@code bridge} {@value #LOSS_TABLE}, one base chain per host on the bridge's {@code forward} hook,
 *       which every frame the bridge passes from one port to another traverses: unicast, and each copy of a
 *       flooded broadcast or multicast frame ({@code br_flood} and {@code br_multicast_flood} deliver through
 *       {@code __br_forward}, which runs that hook). Each rule counts the frames it sees and those it drops
 *       ({@link #lossCounters}).</li>
 * </ul>
 *
 * <p>Each method acts on the cluster recorded in {@link Cluster#STATE_FILE}, returns the wall-clock instant
 * taken right before the signal or the link change, and records the fault in the state file, where
 * {@code cluster status} shows it and {@code cluster stop} undoes it (SIGCONT, links up, the loss table
 * removed). A bad node name, a node that is not running, no cluster or a standalone one is a
 * {@link ClusterException} with a one-line message.
 */
public final class Faults {
    /** The nftables table (family {@code bridge}, in the bridge's namespace) of {@link #loss}. */
    public static final String LOSS_TABLE = "artcp_faults";
    /** {@code numgen random mod} this: the loss rate's resolution is 0.01 %. */
    static final int LOSS_SCALE = 10_000;
    private static final long KILL_WAIT_MS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the loss rules of one host counted: frames from it and to it, seen and dropped. */
    public record LossCounters(long fromSeen, long fromDropped, long toSeen, long toDropped) {
        /** Dropped over seen, both directions together (0 when nothing passed). */
        public double dropRate() {
            long seen = fromSeen + toSeen;
            return seen == 0 ? 0 : (double) (fromDropped + toDropped) / seen;
        }
    }

    private Faults() {
    }

    /**
     * Kills host {@code node} as a power cut: its link down, then SIGKILL to its node process and every other
     * process in its namespace; waits until they are gone.
     *
     * @return the instant right before the link went down
     */
    public static Instant kill(String node) throws ClusterException {
        Target t = target(node);
        t.requireNodeRunning();
        Instant at = Instant.now();
        t.link(false);
        ProcessHandle.of(t.member.pid()).ifPresent(ProcessHandle::destroyForcibly);
        Set<Long> signalled = new LinkedHashSet<>(List.of(t.member.pid()));
        long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
        List<Long> left;
        do {
            // a process may fork while it dies: look again until the namespace is empty; and a dying process
            // leaves the namespace's list before it is gone, so wait for every one signalled too
            for (long pid : namespacePids(t.host.namespace())) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                signalled.add(pid);
            }
            left = signalled.stream().filter(pid -> !Testbed.isGone(pid)).toList();
            if (!left.isEmpty()) {
                sleep(10);
            }
        } while (!left.isEmpty() && System.currentTimeMillis() < deadline);
        t.cluster.recordFaults(node, f -> f.withKilled(at.toString()).withPaused(null));
        if (!left.isEmpty()) {
            throw new ClusterException("killed " + node + " at " + at + " but processes " + left + " are still in "
                    + t.host.namespace() + " after " + KILL_WAIT_MS / 1000 + " s");
        }
        return at;
    }

    /** SIGSTOP to {@code node}'s node process; returns the instant right before the signal. */
    public static Instant pause(String node) throws ClusterException {
        Target t = target(node);
        t.requireNodeRunning();
        Instant at = t.signal("STOP");
        t.cluster.recordFaults(node, f -> f.withPaused(at.toString()));
        return at;
    }

    /** SIGCONT to {@code node}'s node process; returns the instant right before the signal. */
    public static Instant resume(String node) throws ClusterException {
        Target t = target(node);
        t.requireNodeRunning();
        Instant at = t.signal("CONT");
        t.cluster.recordFaults(node, f -> f.withPaused(null));
        return at;
    }

    /** {@code node}'s link down at its bridge port; returns the instant right before the change. */
    public static Instant cut(String node) throws ClusterException {
        Target t = target(node);
        t.requireNodeRunning();
        Instant at = Instant.now();
        t.link(false);
        t.cluster.recordFaults(node, f -> f.withCut(at.toString()));
        return at;
    }

    /** {@code node}'s link up again; returns the instant right before the change. */
    public static Instant heal(String node) throws ClusterException {
        Target t = target(node);
        t.requireNotKilled();
        Instant at = Instant.now();
        t.link(true);
        t.cluster.recordFaults(node, f -> f.withCut(null));
        return at;
    }

    /**
     * Drops {@code percent} of the frames from and to {@code node} (each direction), at random; 0 removes the
     * rules. Returns the instant right before the rules changed.
     */
    public static Instant loss(String node, double percent) throws ClusterException {
        if (!(percent >= 0 && percent <= 100)) {
            throw new ClusterException("loss " + percent + "% is out of range: use 0 (none) to 100");
        }
        Target t = target(node);
        t.requireNotKilled();
        long threshold = Math.round(percent * LOSS_SCALE / 100.0);
        String chain = chain(node);
        StringBuilder script = new StringBuilder()
                .append("add table bridge ").append(LOSS_TABLE).append('\n')
                .append("add chain bridge ").append(LOSS_TABLE).append(' ').append(chain)
                .append(" { type filter hook forward priority 0; policy accept; }\n");
        if (threshold == 0) {
            script.append("delete chain bridge ").append(LOSS_TABLE).append(' ').append(chain).append('\n');
        } else {
            script.append("flush chain bridge ").append(LOSS_TABLE).append(' ').append(chain).append('\n');
            for (String dir : List.of("iifname", "oifname")) {
                script.append("add rule bridge ").append(LOSS_TABLE).append(' ').append(chain).append(' ')
                        .append(dir).append(" \"").append(t.host.bridgePort()).append("\" counter numgen random mod ")
                        .append(LOSS_SCALE).append(" < ").append(threshold).append(" counter drop comment \"")
                        .append(dir.equals("iifname") ? "from " : "to ").append(node).append("\"\n");
            }
        }
        Instant at = Instant.now();
        Sys.Result r = run(List.of(Sys.which("ip").map(Object::toString).orElse("ip"), "netns", "exec", AddressPlan.LAN_NAMESPACE, Sys.which("nft").map(Object::toString)
                .orElse("nft"), "-f", "-"), script.toString());
        if (!r.ok()) {
            throw new ClusterException("cannot set the loss on " + node + ": nft: " + r.firstErrorLine());
        }
        double applied = threshold * 100.0 / LOSS_SCALE;
        t.cluster.recordFaults(node, f -> f.withLoss(applied));
        return at;
    }

    /** What {@code node}'s loss rules counted since they were set (all zero without rules). */
    public static LossCounters lossCounters(String node) throws ClusterException {
        Target t = target(node);
        Sys.Result r = run(List.of(Sys.which("ip").map(Object::toString).orElse("ip"), "netns", "exec",
                AddressPlan.LAN_NAMESPACE, Sys.which("nft").map(Object::toString).orElse("nft"), "-j", "list", "chain",
                "bridge", LOSS_TABLE, chain(t.member.host())), null);
        if (!r.ok()) {
            return new LossCounters(0, 0, 0, 0);
        }
        long[] c = new long[4];
        try {
            for (JsonNode item : JSON.readTree(r.stdout()).path("nftables")) {
                JsonNode rule = item.path("rule");
                if (rule.isMissingNode()) {
                    continue;
                }
                List<Long> counters = new ArrayList<>();
                for (JsonNode e : rule.path("expr")) {
                    if (e.has("counter")) {
                        counters.add(e.path("counter").path("packets").asLong());
                    }
                }
                int base = rule.path("comment").asText("").startsWith("from ") ? 0 : 2;
                if (counters.size() == 2) {
                    c[base] += counters.get(0);
                    c[base + 1] += counters.get(1);
                }
            }
        } catch (IOException e) {
            throw new ClusterException("cannot read nft's counters for " + node + ": " + e.getMessage());
        }
        return new LossCounters(c[0], c[1], c[2], c[3]);
    }

    /**
     * Undoes every recorded fault that outlives a process: SIGCONT to paused nodes, links up, the loss table
     * removed. {@code cluster stop} calls it before it stops the nodes; best effort (the testbed may be gone).
     */
    static void undoAll(Cluster.State state, java.util.function.Consumer<String> log) {
        Optional<Testbed> testbed = Testbed.load();
        boolean anyLoss = false;
        for (Cluster.Member m : state.nodes()) {
            FaultState f = m.faultState();
            if (f.paused() && m.node().alive()) {
                run(List.of("kill", "-CONT", Long.toString(m.pid())), null);
            }
            anyLoss |= f.lossPercent() != 0;
            if ((f.cut() || f.killed()) && testbed.isPresent()) {
                try {
                    Host h = testbed.get().host(m.host());
                    run(List.of(Sys.which("ip").map(Object::toString).orElse("ip"), "-n", AddressPlan.LAN_NAMESPACE,
                            "link", "set", h.bridgePort(), "up"), null);
                } catch (TestbedException e) {
                    // the host is gone with the testbed
                }
            }
            if (!f.none()) {
                log.accept("cluster: undoing the faults of " + m.host() + " (" + f.label() + ")");
            }
        }
        if (anyLoss && testbed.isPresent()) {
            run(List.of(Sys.which("ip").map(Object::toString).orElse("ip"), "netns", "exec", AddressPlan.LAN_NAMESPACE,
                    Sys.which("nft").map(Object::toString).orElse("nft"), "delete", "table", "bridge", LOSS_TABLE), null);
        }
    }

    // ---------------------------------------------------------------- internals

    private static String chain(String node) {
        return "loss_" + node;
    }

    /** The running cluster, the member and the testbed host a fault acts on. */
    private record Target(Cluster cluster, Cluster.Member member, Host host) {
        void requireNotKilled() throws ClusterException {
            if (member.faultState().killed()) {
                throw new ClusterException(member.host() + " was killed at " + member.faultState().killedAt()
                        + "; it stays down until ./artcp cluster stop");
            }
        }

        void requireNodeRunning() throws ClusterException {
            requireNotKilled();
            if (!member.node().alive()) {
                throw new ClusterException("the node process of " + member.host() + " (pid " + member.pid()
                        + ") is not running");
            }
        }

        Instant signal(String signal) throws ClusterException {
            Instant at = Instant.now();
            Sys.Result r = run(List.of("kill", "-" + signal, Long.toString(member.pid())), null);
            if (!r.ok()) {
                throw new ClusterException("cannot send SIG" + signal + " to " + member.host() + "'s node (pid "
                        + member.pid() + "): " + r.firstErrorLine());
            }
            return at;
        }

        void link(boolean up) throws ClusterException {
            Sys.Result r = run(List.of(Sys.which("ip").map(Object::toString).orElse("ip"), "-n", AddressPlan.LAN_NAMESPACE,
                    "link", "set", host.bridgePort(), up ? "up" : "down"), null);
            if (!r.ok()) {
                throw new ClusterException("cannot set " + host.bridgePort() + " (" + member.host() + "'s bridge port) "
                        + (up ? "up" : "down") + ": " + r.firstErrorLine());
            }
        }
    }

    private static Target target(String node) throws ClusterException {
        if (node == null || !node.matches("node[1-" + AddressPlan.MAX_NODES + "]")) {
            throw new ClusterException("'" + node + "' is not a node: use node1 to node" + AddressPlan.MAX_NODES);
        }
        if (!Sys.isRoot()) {
            throw new ClusterException("must run as root to inject faults (signals to the nodes, links and nftables "
                    + "in the testbed); try: sudo ./artcp cluster …");
        }
        Cluster c = Cluster.loadRunning().orElseThrow(() -> new ClusterException(
                "no cluster is up; start one with ./artcp cluster start …"));
        if (c.spec().standalone()) {
            throw new ClusterException("the cluster is standalone (--nodes 1, no AR-TCP node): faults need an AR-TCP "
                    + "cluster of 2 or more nodes");
        }
        Cluster.Member m = c.member(node);
        Testbed testbed = Testbed.load().orElseThrow(() -> new ClusterException("no testbed is up under the cluster"));
        try {
            return new Target(c, m, testbed.host(node));
        } catch (TestbedException e) {
            throw new ClusterException(e.getMessage());
        }
    }

    /** Pids in {@code namespace}, without this process and its ancestors. */
    private static List<Long> namespacePids(String namespace) {
        Set<Long> self = new LinkedHashSet<>();
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            self.add(p.get().pid());
        }
        return Testbed.pids(namespace).stream().filter(pid -> !self.contains(pid) && !Testbed.isGone(pid)).toList();
    }

    private static Sys.Result run(List<String> command, String stdin) {
        try {
            return stdin == null ? Sys.run(command) : Sys.run(command, stdin);
        } catch (TestbedException e) {
            return new Sys.Result(command, -1, "", e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
