package org.artcp.orchestrator.testbed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local testbed of DESIGN §5: network namespaces on one machine joined by a bridge, optionally
 * rate-shaped and CPU-capped, and the way the rest of the orchestrator runs programs in its hosts.
 *
 * <pre>
 *   Testbed tb = Testbed.up(TestbedConfig.defaults(), System.out::println);   // or Testbed.load().orElseThrow()
 *   Process server = tb.spawn("node1", List.of("NPtcp"), logFile);            // background, detached
 *   int rc = tb.exec("client1", List.of("NPtcp", "-h", "198.18.0.1")).inheritIO().start().waitFor();
 *   Testbed.down(System.out::println);
 * </pre>
 *
 * <p>Everything it makes is recorded in {@link #STATE_FILE} before it is made, so {@link #down} can
 * remove it after a crash; without a state file {@code down} still finds {@code artcp-*} namespaces
 * and {@code artcp} cgroups itself. Mutating operations hold an exclusive lock on {@link #LOCK_FILE}.
 * Nothing is ever attached to the caller's own network namespace: each veth pair is created inside
 * {@code artcp-lan} with its peer moved straight into the host's namespace.
 */
public final class Testbed {
    /** Where the testbed keeps its state; tmpfs, so a reboot (which also drops the namespaces) clears it. */
    public static final Path RUN_DIR = Path.of("/run/artcp");
    public static final Path STATE_FILE = RUN_DIR.resolve("testbed.json");
    public static final Path LOCK_FILE = RUN_DIR.resolve("lock");
    /** Default directory for logs of {@link #spawn} when the caller gives none; removed by {@code down}. */
    public static final Path LOG_DIR = RUN_DIR.resolve("logs");

    static final int STATE_FORMAT = 1;
    private static final long TERM_GRACE_MS = 3_000;
    private static final long KILL_GRACE_MS = 2_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    /** Lifecycle recorded in the state file. */
    public enum Status {
        /** {@code up} is making the testbed; seen after a crash, it marks a half-made testbed. */
        BUILDING,
        /** Every namespace, link, qdisc and cgroup of the config exists. */
        UP
    }

    /**
     * The content of {@link #STATE_FILE}.
     *
     * @param format       {@link #STATE_FORMAT}
     * @param status       building or up
     * @param createdAt    when {@code up} started (ISO-8601)
     * @param nodes        settings: number of nodes
     * @param clients      settings: number of clients
     * @param linkRate     settings: canonical link rate ({@code 100mbit}) or null
     * @param nodeCpu      settings: CPU cap per node or null
     * @param cgroupVersion {@code V1}/{@code V2} when node CPU is capped, else null
     * @param cgroupRoot   the {@code artcp} cgroup directory when capped, else null
     * @param lanNamespace the namespace holding the bridge
     * @param bridge       the bridge's name
     * @param portal       the reserved portal address
     * @param namespaces   every namespace made (or about to be made)
     * @param hosts        every host
     */
    public record State(int format, Status status, String createdAt, int nodes, int clients, String linkRate,
                        Double nodeCpu, String cgroupVersion, String cgroupRoot, String lanNamespace, String bridge,
                        String portal, List<String> namespaces, List<Host> hosts) {
        TestbedConfig config() {
            return new TestbedConfig(nodes, clients, linkRate == null ? null : LinkRate.parse(linkRate),
                    nodeCpu == null ? null : new CpuCap(nodeCpu));
        }

        State with(Status s) {
            return new State(format, s, createdAt, nodes, clients, linkRate, nodeCpu, cgroupVersion, cgroupRoot,
                    lanNamespace, bridge, portal, namespaces, hosts);
        }

        State withLinkRate(LinkRate rate) {
            return new State(format, status, createdAt, nodes, clients, rate == null ? null : rate.toString(), nodeCpu,
                    cgroupVersion, cgroupRoot, lanNamespace, bridge, portal, namespaces, hosts);
        }
    }

    /** What {@link #up} did. */
    public enum UpOutcome {
        /** The testbed was made (possibly after tearing down a half-made one). */
        CREATED,
        /** It was already up with the same settings; nothing changed. */
        ALREADY_UP
    }

    private final State state;
    private final CpuCgroups cgroups;

    private Testbed(State state) {
        this.state = state;
        this.cgroups = state.cgroupVersion() == null ? null
                : new CpuCgroups(CpuCgroups.Version.valueOf(state.cgroupVersion()), Path.of(state.cgroupRoot()).getParent());
    }

    // ---------------------------------------------------------------- queries

    /** The running testbed, if one is fully up (state says up and its namespaces exist). */
    public static Optional<Testbed> load() {
        Optional<State> s = readState();
        if (s.isEmpty() || s.get().status() != Status.UP) {
            return Optional.empty();
        }
        Set<String> present = listArtcpNamespaces();
        if (!present.containsAll(s.get().namespaces())) {
            return Optional.empty();
        }
        return Optional.of(new Testbed(s.get()));
    }

    /** Whether a testbed is fully up. */
    public static boolean isUp() {
        return load().isPresent();
    }

    /** The running testbed or a one-line error telling the user to bring one up. */
    public static Testbed require() throws TestbedException {
        return load().orElseThrow(() -> new TestbedException("no testbed is up; run ./artcp testbed up first"));
    }

    public TestbedConfig config() {
        return state.config();
    }

    public State state() {
        return state;
    }

    /** Nodes, then clients. */
    public List<Host> hosts() {
        return state.hosts();
    }

    public List<Host> nodes() {
        return hosts().stream().filter(h -> h.role() == Host.Role.NODE).toList();
    }

    public List<Host> clients() {
        return hosts().stream().filter(h -> h.role() == Host.Role.CLIENT).toList();
    }

    /** The CPU cgroups of the nodes, when {@code --node-cpu} was given. */
    public Optional<CpuCgroups> cpuCgroups() {
        return Optional.ofNullable(cgroups);
    }

    /**
     * The host called {@code name} ({@code node1}) or with namespace {@code name} ({@code artcp-node1}).
     *
     * @throws TestbedException naming the hosts that exist
     */
    public Host host(String name) throws TestbedException {
        return AddressPlan.find(hosts(), name).orElseThrow(() -> new TestbedException("unknown host '" + name
                + "'; this testbed has " + String.join(", ", hosts().stream().map(Host::name).toList())
                + ", or lan for the bridge (namespace names such as " + hosts().getFirst().namespace() + " work too)"));
    }

    // ---------------------------------------------------------------- running programs

    /**
     * A process builder that runs {@code command} in {@code host}'s namespace. For a CPU-capped node the
     * process first joins the node's cgroup (before {@code ip netns exec} remounts /sys), so it and all
     * its children are capped. The caller sets redirections and starts it.
     */
    public ProcessBuilder exec(String hostName, List<String> command) throws TestbedException {
        if (isLan(hostName)) {
            // the bridge's namespace, for tcpdump -i br0 and the like; it has no address and no cap
            List<String> line = new ArrayList<>(List.of(Sys.which("ip").map(Path::toString).orElse("ip"), "netns", "exec",
                    AddressPlan.LAN_NAMESPACE));
            line.addAll(command);
            return new ProcessBuilder(line);
        }
        return new ProcessBuilder(commandLine(host(hostName), command, false));
    }

    private static boolean isLan(String name) {
        return name.equals("lan") || name.equals(AddressPlan.LAN_NAMESPACE);
    }

    /**
     * Starts {@code command} in {@code host} in the background, detached from the caller's session
     * ({@code setsid}) so it outlives the orchestrator, with stdin from /dev/null and stdout+stderr
     * appended to {@code logFile} (under {@link #LOG_DIR} when null). {@link #down} stops it.
     */
    public Process spawn(String hostName, List<String> command, Path logFile) throws TestbedException {
        Host host = host(hostName);
        Path log = logFile != null ? logFile
                : LOG_DIR.resolve(host.name() + "-" + Path.of(command.getFirst()).getFileName() + ".log");
        try {
            if (log.toAbsolutePath().getParent() != null) {
                Files.createDirectories(log.toAbsolutePath().getParent());
            }
            return new ProcessBuilder(commandLine(host, command, true))
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new TestbedException("cannot start " + command.getFirst() + " in " + host.name() + ": " + e.getMessage());
        }
    }

    List<String> commandLine(Host host, List<String> command, boolean detach) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run in " + host.name());
        }
        String ip = Sys.which("ip").map(Path::toString).orElse("ip");
        List<String> line = new ArrayList<>();
        if (detach) {
            line.add(Sys.which("setsid").map(Path::toString).orElse("setsid"));
        }
        if (cgroups != null && host.role() == Host.Role.NODE) {
            line.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "artcp-exec",
                    cgroups.procsFile(host.name()).toString()));
        }
        line.addAll(List.of(ip, "netns", "exec", host.namespace()));
        line.addAll(command);
        return line;
    }

    /** Pids whose network namespace is {@code namespace} ({@code ip netns pids}); empty when it is gone. */
    public static List<Long> pids(String namespace) {
        try {
            Sys.Result r = Sys.run(List.of(Sys.which("ip").map(Path::toString).orElse("ip"), "netns", "pids", namespace));
            if (!r.ok()) {
                return List.of();
            }
            return r.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong).toList();
        } catch (TestbedException e) {
            return List.of();
        }
    }

    /** {@code comm} of a process, or {@code ?} when it is gone. */
    public static String processName(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- up

    /**
     * Brings the testbed up with {@code config}: idempotent for the same settings, refused for other
     * settings while one is up, and a half-made testbed (a crash during {@code up}) is torn down and
     * rebuilt. Progress lines go to {@code log}.
     *
     * @throws TestbedException not root, a tool missing, already up with other settings, or {@code ip}/
     *                          {@code tc}/{@code ethtool} failed (what was made is removed again)
     */
    public static UpResult up(TestbedConfig config, Consumer<String> log) throws TestbedException {
        requireRoot("bring the testbed up");
        String ip = Sys.require("ip", "iproute2");
        String ethtool = Sys.require("ethtool", "ethtool");
        String tc = config.linkRate() == null ? null : Sys.require("tc", "iproute2");
        CpuCgroups cgroups = null;
        if (config.nodeCpu() != null) {
            cgroups = CpuCgroups.detect().orElseThrow(() -> new TestbedException(
                    "--node-cpu needs the cgroup cpu controller, and this machine mounts it neither as cgroup v1 nor v2"));
        }
        try (Lock ignored = Lock.acquire()) {
            Optional<State> existing = readState();
            Set<String> present = listArtcpNamespaces();
            if (existing.isPresent() && existing.get().status() == Status.UP
                    && present.containsAll(existing.get().namespaces()) && cgroupsIntact(existing.get())) {
                TestbedConfig running = existing.get().config();
                if (running.equals(config)) {
                    return new UpResult(UpOutcome.ALREADY_UP, new Testbed(existing.get()));
                }
                throw new TestbedException("testbed is already up with " + running.describe() + "; run ./artcp testbed down first"
                        + " (or up with " + running.asOptions() + ")");
            }
            Leftovers leftovers = findLeftovers(existing);
            if (!leftovers.isEmpty()) {
                log.accept("found a half-made testbed (" + leftovers.describe() + "); tearing it down and rebuilding");
                teardown(leftovers, log);
            }
            State state = newState(config, cgroups);
            writeState(state);
            try {
                build(state, config, cgroups, ip, ethtool, tc, log);
            } catch (TestbedException e) {
                log.accept("could not finish; removing what was made");
                try {
                    teardown(findLeftovers(Optional.of(state)), s -> { });
                    deleteRunDir();
                } catch (TestbedException cleanup) {
                    log.accept("cleanup also failed: " + cleanup.getMessage() + "; run ./artcp testbed down");
                }
                throw e;
            }
            State up = state.with(Status.UP);
            writeState(up);
            return new UpResult(UpOutcome.CREATED, new Testbed(up));
        }
    }

    /** What {@link #up} did and the testbed that is now up. */
    public record UpResult(UpOutcome outcome, Testbed testbed) {
    }

    private static State newState(TestbedConfig config, CpuCgroups cgroups) {
        return new State(STATE_FORMAT, Status.BUILDING, Instant.now().toString(), config.nodes(), config.clients(),
                config.linkRate() == null ? null : config.linkRate().toString(),
                config.nodeCpu() == null ? null : config.nodeCpu().cpus(),
                cgroups == null ? null : cgroups.version().name(),
                cgroups == null ? null : cgroups.root().toString(),
                AddressPlan.LAN_NAMESPACE, AddressPlan.BRIDGE, AddressPlan.PORTAL_ADDRESS,
                AddressPlan.namespaces(config.nodes(), config.clients()),
                AddressPlan.hosts(config.nodes(), config.clients()));
    }

    private static void build(State state, TestbedConfig config, CpuCgroups cgroups, String ip, String ethtool, String tc,
                              Consumer<String> log) throws TestbedException {
        String lan = AddressPlan.LAN_NAMESPACE;
        for (String ns : state.namespaces()) {
            Sys.Result r = Sys.run(List.of(ip, "netns", "add", ns));
            if (!r.ok()) {
                throw new TestbedException("cannot create network namespace " + ns + ": " + r.firstErrorLine());
            }
            // IPv6 off: no neighbour discovery or MLD chatter on the measured links
            Sys.check("cannot configure " + ns, List.of(ip, "netns", "exec", ns, "/bin/sh", "-c",
                    "[ ! -d /proc/sys/net/ipv6 ] || { echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6"
                    + " && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; }"));
            Sys.check("cannot configure " + ns, List.of(ip, "-n", ns, "link", "set", "lo", "up"));
        }
        // A dumb switch: no STP delay, and multicast flooded to every port (no IGMP querier exists, so
        // snooping would eventually stop forwarding the tunnel's group).
        Sys.check("cannot create the bridge", List.of(ip, "-n", lan, "link", "add", AddressPlan.BRIDGE, "type", "bridge",
                "stp_state", "0", "forward_delay", "0", "mcast_snooping", "0"));
        Sys.check("cannot create the bridge", List.of(ip, "-n", lan, "link", "set", AddressPlan.BRIDGE, "up"));
        for (Host h : state.hosts()) {
            String what = "cannot wire " + h.name();
            Sys.check(what, List.of(ip, "-n", lan, "link", "add", h.bridgePort(), "type", "veth",
                    "peer", "name", Host.INTERFACE, "netns", h.namespace()));
            Sys.check(what, List.of(ip, "-n", lan, "link", "set", h.bridgePort(), "master", AddressPlan.BRIDGE));
            Sys.check(what, List.of(ip, "-n", h.namespace(), "link", "set", Host.INTERFACE, "address", h.mac()));
            // DESIGN §8: offloaded (partial) checksums must not reach the wire, or TUN drops the frames
            Sys.check("cannot turn checksum offload off for " + h.name(),
                    List.of(ip, "netns", "exec", lan, ethtool, "-K", h.bridgePort(), "tx", "off"));
            Sys.check("cannot turn checksum offload off for " + h.name(),
                    List.of(ip, "netns", "exec", h.namespace(), ethtool, "-K", Host.INTERFACE, "tx", "off"));
            Sys.check(what, List.of(ip, "-n", h.namespace(), "addr", "add", h.cidr(), "dev", Host.INTERFACE));
            Sys.check(what, List.of(ip, "-n", h.namespace(), "link", "set", Host.INTERFACE, "up"));
            Sys.check(what, List.of(ip, "-n", lan, "link", "set", h.bridgePort(), "up"));
            Sys.check(what, List.of(ip, "-n", h.namespace(), "route", "add", AddressPlan.MULTICAST_ROUTE, "dev", Host.INTERFACE));
            if (config.linkRate() != null) {
                shape(tc, h, config.linkRate());
            }
            if (cgroups != null && h.role() == Host.Role.NODE) {
                cgroups.create(h.name(), config.nodeCpu());
            }
        }
        log.accept("testbed up: " + config.describe() + "; hosts " + String.join(", ",
                state.hosts().stream().map(h -> h.name() + "=" + h.address()).toList()));
    }

    private static void shape(String tc, Host h, LinkRate rate) throws TestbedException {
        // egress of both ends, so each direction is shaped once, as on a switched link of that rate
        List<String> tbf = rate.tbfArguments();
        List<String> hostSide = new ArrayList<>(List.of(tc, "-n", h.namespace(), "qdisc", "replace", "dev", Host.INTERFACE, "root"));
        hostSide.addAll(tbf);
        List<String> lanSide = new ArrayList<>(List.of(tc, "-n", AddressPlan.LAN_NAMESPACE, "qdisc", "replace", "dev", h.bridgePort(), "root"));
        lanSide.addAll(tbf);
        Sys.check("cannot shape " + h.name(), hostSide);
        Sys.check("cannot shape " + h.name(), lanSide);
    }

    private static void unshape(String tc, Host h) throws TestbedException {
        // deleting a root qdisc that is not there fails harmlessly; the veth falls back to noqueue
        Sys.run(List.of(tc, "-n", h.namespace(), "qdisc", "del", "dev", Host.INTERFACE, "root"));
        Sys.run(List.of(tc, "-n", AddressPlan.LAN_NAMESPACE, "qdisc", "del", "dev", h.bridgePort(), "root"));
    }

    /**
     * Changes the rate of every veth of the running testbed in place ({@code null}: unshaped), for an
     * experiment that measures both; running processes and connections are kept.
     */
    public Testbed withLinkRate(LinkRate rate) throws TestbedException {
        requireRoot("reshape the testbed");
        String tc = Sys.require("tc", "iproute2");
        try (Lock ignored = Lock.acquire()) {
            for (Host h : hosts()) {
                if (rate == null) {
                    unshape(tc, h);
                } else {
                    shape(tc, h, rate);
                }
            }
            State next = state.withLinkRate(rate);
            writeState(next);
            return new Testbed(next);
        }
    }

    // ---------------------------------------------------------------- down

    /**
     * Removes everything a testbed made: stops every process in its namespaces and cgroups (SIGTERM, then
     * SIGKILL), deletes the namespaces, cgroups and {@link #RUN_DIR}. Works from the state file, and also
     * without one by finding {@code artcp-*} namespaces and {@code artcp} cgroups (saying so).
     *
     * @throws TestbedException not root, or nothing to tear down
     */
    public static void down(Consumer<String> log) throws TestbedException {
        requireRoot("tear the testbed down");
        Sys.require("ip", "iproute2");
        Leftovers leftovers;
        try (Lock ignored = Lock.acquire()) {
            Optional<State> state = readState();
            leftovers = findLeftovers(state);
            if (leftovers.isEmpty()) {
                deleteRunDir();
                throw new TestbedException("no testbed is up; nothing to tear down");
            }
            if (state.isEmpty()) {
                log.accept("no state file at " + STATE_FILE + "; found and removing: " + leftovers.describe());
            } else if (state.get().status() == Status.BUILDING) {
                log.accept("the testbed was half-made (up did not finish); removing: " + leftovers.describe());
            }
            teardown(leftovers, log);
        }
        deleteRunDir();
    }

    /** What exists on the machine that a testbed made. */
    record Leftovers(List<String> namespaces, List<Path> cgroupRoots, boolean runDir) {
        boolean isEmpty() {
            return namespaces.isEmpty() && cgroupRoots.isEmpty() && !runDir;
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (!namespaces.isEmpty()) {
                parts.add("namespaces " + String.join(" ", namespaces));
            }
            if (!cgroupRoots.isEmpty()) {
                parts.add("cgroups " + String.join(" ", cgroupRoots.stream().map(Path::toString).toList()));
            }
            if (runDir) {
                parts.add("state in " + RUN_DIR);
            }
            return String.join("; ", parts);
        }
    }

    static Leftovers findLeftovers(Optional<State> state) {
        Set<String> present = listArtcpNamespaces();
        Set<String> namespaces = new LinkedHashSet<>();
        state.ifPresent(s -> s.namespaces().stream().filter(present::contains).forEach(namespaces::add));
        namespaces.addAll(present.stream().sorted().toList());
        Set<Path> roots = new LinkedHashSet<>();
        state.map(State::cgroupRoot).map(Path::of).filter(Files::isDirectory).ifPresent(roots::add);
        roots.addAll(CpuCgroups.existingRoots());
        boolean runDir = false;
        try (Stream<Path> entries = Files.isDirectory(RUN_DIR) ? Files.list(RUN_DIR) : Stream.empty()) {
            runDir = entries.anyMatch(p -> !p.equals(LOCK_FILE));
        } catch (IOException e) {
            runDir = true;
        }
        return new Leftovers(List.copyOf(namespaces), List.copyOf(roots), runDir);
    }

    private static void teardown(Leftovers leftovers, Consumer<String> log) throws TestbedException {
        String ip = Sys.require("ip", "iproute2");
        stopProcesses(leftovers, log);
        List<String> failures = new ArrayList<>();
        // hosts first (each takes its veth pair with it), the bridge's namespace last
        List<String> order = new ArrayList<>(leftovers.namespaces());
        order.sort(Comparator.comparing(ns -> ns.equals(AddressPlan.LAN_NAMESPACE)));
        for (String ns : order) {
            Sys.Result r = Sys.run(List.of(ip, "netns", "del", ns));
            if (!r.ok() && listArtcpNamespaces().contains(ns)) {
                failures.add(ns + ": " + r.firstErrorLine());
            }
        }
        for (Path root : leftovers.cgroupRoots()) {
            try {
                CpuCgroups.remove(root);
            } catch (TestbedException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new TestbedException("could not remove everything: " + String.join("; ", failures));
        }
        if (!leftovers.namespaces().isEmpty() || !leftovers.cgroupRoots().isEmpty()) {
            log.accept("removed " + leftovers.describe());
        }
    }

    private static void stopProcesses(Leftovers leftovers, Consumer<String> log) {
        Set<Long> protectedPids = new LinkedHashSet<>();
        for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current()); p.isPresent(); p = p.get().parent()) {
            protectedPids.add(p.get().pid());
        }
        Set<Long> pids = new LinkedHashSet<>();
        for (int round = 0; round < 3; round++) {
            Set<Long> found = new LinkedHashSet<>();
            leftovers.namespaces().forEach(ns -> found.addAll(pids(ns)));
            leftovers.cgroupRoots().forEach(root -> found.addAll(CpuCgroups.pidsUnder(root)));
            found.removeAll(protectedPids);
            found.removeIf(Testbed::isGone);
            if (found.isEmpty()) {
                break;
            }
            pids.addAll(found);
            found.forEach(pid -> signal(pid, false));
            if (!waitGone(found, TERM_GRACE_MS)) {
                found.forEach(pid -> signal(pid, true));
                waitGone(found, KILL_GRACE_MS);
            }
            // a dying process may have forked: look again
        }
        if (!pids.isEmpty()) {
            log.accept("stopped " + pids.size() + (pids.size() == 1 ? " process" : " processes") + " in the testbed");
        }
    }

    private static void signal(long pid, boolean kill) {
        ProcessHandle.of(pid).ifPresent(p -> {
            if (kill) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        });
    }

    private static boolean waitGone(Set<Long> pids, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (pids.stream().allMatch(Testbed::isGone)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return pids.stream().allMatch(Testbed::isGone);
    }

    /** Gone or a zombie (dead, only waiting for its parent to reap it). */
    public static boolean isGone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- state

    /** The state file, or empty when it is missing or unreadable (then {@code down} searches instead). */
    public static Optional<State> readState() {
        try {
            if (!Files.isRegularFile(STATE_FILE)) {
                return Optional.empty();
            }
            State s = JSON.readValue(STATE_FILE.toFile(), State.class);
            return s.namespaces() == null || s.hosts() == null || s.status() == null ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeState(State s) throws TestbedException {
        try {
            Files.createDirectories(RUN_DIR);
            Path tmp = RUN_DIR.resolve("testbed.json.tmp");
            JSON.writeValue(tmp.toFile(), s);
            try {
                Files.move(tmp, STATE_FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, STATE_FILE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new TestbedException("cannot write " + STATE_FILE + ": " + e.getMessage());
        }
    }

    /** JSON of any value with the testbed's mapper (for {@code status --json}). */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRunDir() {
        if (!Files.exists(RUN_DIR)) {
            return;
        }
        try (Stream<Path> all = Files.walk(RUN_DIR)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a file someone else just wrote there is theirs
        }
    }

    /** Names of the {@code artcp-*} namespaces that exist. */
    public static Set<String> listArtcpNamespaces() {
        Set<String> names = new LinkedHashSet<>();
        Path netnsDir = Path.of("/run/netns");
        // ip netns list reads /run/netns; read it directly so this works without ip and without root
        try (Stream<Path> entries = Files.isDirectory(netnsDir) ? Files.list(netnsDir) : Stream.empty()) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(AddressPlan.PREFIX)).sorted().forEach(names::add);
        } catch (IOException e) {
            // no namespaces directory: no namespaces
        }
        return names;
    }

    private static boolean cgroupsIntact(State s) {
        if (s.cgroupRoot() == null) {
            return true;
        }
        Path root = Path.of(s.cgroupRoot());
        return s.hosts().stream().filter(h -> h.role() == Host.Role.NODE).allMatch(h -> Files.isDirectory(root.resolve(h.name())));
    }

    static void requireRoot(String action) throws TestbedException {
        if (!Sys.isRoot()) {
            throw new TestbedException("must run as root to " + action + " (network namespaces and cgroups need it); try: sudo ./artcp testbed …");
        }
    }

    /** Exclusive lock over {@link #LOCK_FILE}, so two {@code up}/{@code down} runs do not interleave. */
    private static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static Lock acquire() throws TestbedException {
            try {
                Files.createDirectories(RUN_DIR);
                FileChannel ch = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                return new Lock(ch, ch.lock());
            } catch (IOException e) {
                throw new TestbedException("cannot lock " + LOCK_FILE + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel anyway
            }
        }
    }
}
