package org.artcp.orchestrator.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.artcp.node.process.NodeProcessConfig;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.bench.ResultsDirectory;
import org.artcp.orchestrator.testbed.AddressPlan;
import org.artcp.orchestrator.testbed.Host;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * An AR-TCP cluster on the local testbed: one node process ({@code ./artcp node}) and one server
 * application in each of the hosts node1..nodeN, all sharing one configuration but for the rank.
 *
 * <pre>
 *   Cluster c = Cluster.up(new ClusterSpec(2, "best-effort", "rr-np", "netpipe"), resultsRoot, log).cluster();
 *   c.statuses();          // what each node's status file says
 *   c.restartApp(log);     // NPtcp receivers exit after one transmitter run
 *   c.stop(log);           // nodes SIGTERM, then SIGKILL after 5 s; the testbed too if the cluster brought it up
 *
 *   Cluster m = Cluster.up(new ClusterSpec(2, "safe", "rr-np", "mysql"), resultsRoot, log).cluster();
 *   m.replicaQuery(2, "SELECT COUNT(*) FROM t");   // on node2's replica, through its unix socket
 *   m.checksums().identical();                      // CHECKSUM TABLE on every replica
 *
 *   Instant at = Faults.kill("node3");              // faults: see Faults; recorded here, undone by stop
 * </pre>
 *
 * <p>With one node ({@link ClusterSpec#standalone()}) there is no AR-TCP at all: the application runs on node1
 * and the portal address is a second address of node1's LAN interface, so clients use the same address and
 * port as with a cluster (the baseline of the paper's comparisons). With app {@code mysql}, see
 * {@link MysqlReplicas} for the data directories and the servers' options.
 *
 * <p>What runs is recorded in {@link #STATE_FILE} before it is started, so {@code cluster stop} (another
 * JVM) and {@code testbed down} find it; the nodes' status files live in {@link #STATUS_DIR}. Both are
 * under the testbed's run directory, which {@code testbed down} removes. Configs and logs go to a run
 * directory ({@code results/cluster/<timestamp>/}), which stays.
 */
public final class Cluster {
    public static final Path STATE_FILE = Testbed.RUN_DIR.resolve("cluster.json");
    public static final Path STATUS_DIR = Testbed.RUN_DIR.resolve("cluster");
    public static final String TUNNEL_GROUP = "239.18.0.1";
    public static final int TUNNEL_PORT = 5400;
    public static final String TUN_DEVICE = "artcp0";
    /** The port Debian's {@code NPtcp} receiver listens on without {@code -P}. */
    public static final int NETPIPE_PORT = 5002;
    /** The port every MariaDB replica listens on, on the portal address only. */
    public static final int MYSQL_PORT = 3306;
    /** The address clients connect to: owned by the AR-TCP primary, or on node1's LAN interface when standalone. */
    public static final String PORTAL_ADDRESS = AddressPlan.PORTAL_ADDRESS;
    static final int STATE_FORMAT = 1;
    static final long READY_TIMEOUT_MS = 20_000;
    static final long STOP_GRACE_MS = 5_000;
    private static final long APP_GRACE_MS = 2_000;
    private static final long APP_LISTEN_TIMEOUT_MS = 10_000;
    private static final int CLUSTER_KEY_BYTES = 32;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One node of the cluster as started: its host, its node process and its application process.
     *
     * @param pid            the node process (0 before it is started, and always when standalone)
     * @param pidStartMillis the process's start time, so a reused pid is not taken for the node (0: unknown)
     * @param config         the node's configuration file (null: standalone, no node process)
     * @param statusFile     where the node writes its status (null: standalone)
     * @param log            the node's stdout and stderr (null: standalone)
     * @param appPid         the application's process, NPtcp or mariadbd (null: none started)
     * @param appLog         the application's stdout and stderr (for mariadbd also its error log)
     * @param faults         the faults injected into the node ({@link Faults}); null: none (as in state files from
     *                       before faults)
     */
    public record Member(String host, int rank, String address, long pid, long pidStartMillis, String config,
                         String statusFile, String log, Long appPid, Long appStartMillis, String appLog,
                         FaultState faults) {
        /** A member without faults. */
        public Member(String host, int rank, String address, long pid, long pidStartMillis, String config,
                      String statusFile, String log, Long appPid, Long appStartMillis, String appLog) {
            this(host, rank, address, pid, pidStartMillis, config, statusFile, log, appPid, appStartMillis, appLog, null);
        }

        /** The faults injected into the node, {@link FaultState#NONE} when none. */
        public FaultState faultState() {
            return faults == null ? FaultState.NONE : faults;
        }

        Member withFaults(FaultState f) {
            return new Member(host, rank, address, pid, pidStartMillis, config, statusFile, log, appPid, appStartMillis,
                    appLog, f);
        }

        Member withNode(Process p) {
            return new Member(host, rank, address, p.pid(), startMillis(p.toHandle()), config, statusFile, log,
                    appPid, appStartMillis, appLog, faults);
        }

        Proc node() {
            return new Proc(pid, pidStartMillis);
        }

        Proc app() {
            return new Proc(appPid == null ? 0 : appPid, appStartMillis == null ? 0 : appStartMillis);
        }

        Member withApp(Process p) {
            return new Member(host, rank, address, pid, pidStartMillis, config, statusFile, log, p.pid(),
                    startMillis(p.toHandle()), appLog, faults);
        }
    }

    /** A process the cluster started: its pid and start time (0: unknown), which tell it from a reused pid. */
    record Proc(long pid, long startMillis) {
        boolean alive() {
            return Cluster.alive(pid, startMillis);
        }
    }

    /**
     * The content of {@link #STATE_FILE}.
     *
     * @param testbedOwned the cluster brought the testbed up, so stopping the cluster takes it down
     * @param nodes        in rank order
     */
    public record State(int format, ClusterSpec settings, String runDir, boolean testbedOwned, String startedAt,
                        List<Member> nodes) {
        State withNodes(List<Member> members) {
            return new State(format, settings, runDir, testbedOwned, startedAt, List.copyOf(members));
        }
    }

    /** What {@link #up} did. */
    public enum UpOutcome {
        /** The cluster was started. */
        STARTED,
        /** A cluster with the same settings was already up; nothing changed. */
        ALREADY_UP
    }

    /** What {@link #up} did and the cluster that is now up. */
    public record UpResult(UpOutcome outcome, Cluster cluster) {
    }

    private State state;

    private Cluster(State state) {
        this.state = state;
    }

    public State state() {
        return state;
    }

    public ClusterSpec spec() {
        return state.settings();
    }

    public Path runDir() {
        return Path.of(state.runDir());
    }

    // ---------------------------------------------------------------- start

    /**
     * Starts a cluster of {@code spec} in a new run directory under {@code resultsRoot/cluster/}, on the
     * testbed that is up or, when none is, on the default testbed it brings up (and {@link #stop} takes down).
     * Idempotent for the same spec; refused while a cluster with another spec is up.
     *
     * @throws ClusterException another cluster is up, the testbed has too few nodes, or a node did not get ready
     *                          (what was started is stopped again)
     */
    public static UpResult up(ClusterSpec spec, Path resultsRoot, Consumer<String> log)
            throws ClusterException, TestbedException, InterruptedException {
        requireRoot();
        Optional<Cluster> running = loadRunning();
        if (running.isPresent()) {
            return new UpResult(UpOutcome.ALREADY_UP, checkSame(running.get(), spec));
        }
        Testbed testbed = Testbed.load().orElse(null);
        boolean owned = testbed == null;
        if (owned) {
            log.accept("cluster: no testbed is up; bringing up the default one (" + TestbedConfig.defaults().describe() + ")");
            testbed = Testbed.up(TestbedConfig.defaults(), line -> log.accept("  " + line)).testbed();
        }
        Path runDir;
        try {
            runDir = ResultsDirectory.create(resultsRoot, "cluster", Instant.now());
        } catch (IOException e) {
            if (owned) {
                Testbed.down(line -> { });
            }
            throw new ClusterException("cannot make a run directory under " + resultsRoot + ": " + e.getMessage());
        }
        Cluster c = start(testbed, owned, spec, runDir, log);
        try {
            ResultsDirectory.markLatest(runDir);
        } catch (IOException e) {
            log.accept("cluster: could not point " + runDir.resolveSibling("latest") + " at the run: " + e.getMessage());
        }
        return new UpResult(UpOutcome.STARTED, c);
    }

    /**
     * Starts a cluster of {@code spec} on {@code testbed} (which the caller owns: {@link #stop} leaves it up),
     * writing configs and logs to {@code runDir} (made if missing). For a bench that manages the testbed itself.
     */
    public static Cluster start(Testbed testbed, ClusterSpec spec, Path runDir, Consumer<String> log)
            throws ClusterException, TestbedException, InterruptedException {
        requireRoot();
        Optional<Cluster> running = loadRunning();
        if (running.isPresent()) {
            throw alreadyUp(running.get());
        }
        return start(testbed, false, spec, runDir, log);
    }

    private static Cluster checkSame(Cluster running, ClusterSpec spec) throws ClusterException {
        if (!running.spec().equals(spec)) {
            throw alreadyUp(running);
        }
        return running;
    }

    private static ClusterException alreadyUp(Cluster running) {
        return new ClusterException("a cluster is already up with " + running.spec().describe()
                + "; run ./artcp cluster stop first");
    }

    private static Cluster start(Testbed testbed, boolean testbedOwned, ClusterSpec spec, Path runDir,
                                 Consumer<String> log) throws ClusterException, TestbedException, InterruptedException {
        Cluster c = new Cluster(new State(STATE_FORMAT, spec, runDir.toAbsolutePath().toString(), testbedOwned,
                Instant.now().toString(), List.of()));
        try {
            if (testbed.nodes().size() < spec.nodes()) {
                throw new ClusterException("the testbed that is up has " + testbed.nodes().size() + " node(s) and a "
                        + spec.nodes() + "-node cluster needs " + spec.nodes() + "; run ./artcp testbed down, then cluster "
                        + "start brings up the full testbed");
            }
            String nptcp = spec.runsNetpipe() ? Sys.require("NPtcp", "netpipe-tcp") : null;
            String mariadbd = spec.runsMysql() ? MysqlReplicas.mariadbd() : null;
            List<Host> hosts = testbed.nodes().subList(0, spec.nodes());
            Files.createDirectories(runDir);
            Files.createDirectories(STATUS_DIR);
            Path sqlPolicy = copySqlPolicy(spec, runDir);
            List<NodeProcessConfig> configs = nodeConfigs(spec, hosts, randomKey(), sqlPolicy);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                Host h = hosts.get(i);
                String appLog = runDir.resolve((spec.runsMysql() ? "mariadb-" : "nptcp-") + h.name() + ".log")
                        .toAbsolutePath().toString();
                if (spec.standalone()) {
                    members.add(new Member(h.name(), 0, h.address(), 0, 0, null, null, null, null, null, appLog));
                    continue;
                }
                NodeProcessConfig config = configs.get(i);
                Path configFile = runDir.resolve(h.name() + ".properties").toAbsolutePath();
                Files.writeString(configFile, config.toProperties());
                Files.deleteIfExists(config.statusFile());
                members.add(new Member(h.name(), config.rank(), h.address(), 0, 0, configFile.toString(),
                        config.statusFile().toString(), runDir.resolve(h.name() + ".log").toAbsolutePath().toString(),
                        null, null, appLog));
            }
            c.save(members);
            if (spec.runsMysql()) {
                MysqlReplicas.prepare(spec.mysql(), members.stream().map(Member::host).toList(), runDir, log);
            }
            if (spec.standalone()) {
                addStandalonePortal(testbed, members.getFirst().host());
                log.accept("cluster: standalone: no AR-TCP node; " + PORTAL_ADDRESS + " is a second address of "
                        + members.getFirst().host() + "'s " + Host.INTERFACE);
            }
            if (spec.runsNetpipe()) {
                for (int i = 0; i < members.size(); i++) {
                    Member m = members.get(i);
                    members.set(i, m.withApp(testbed.spawn(m.host(), List.of(nptcp), Path.of(m.appLog()))));
                    c.save(members);
                }
                c.awaitAppsListening(testbed);
                log.accept("cluster: NPtcp receivers listen on port " + NETPIPE_PORT + " in "
                        + members.stream().map(Member::host).collect(Collectors.joining(", ")));
            }
            if (!spec.standalone()) {
                for (int i = 0; i < members.size(); i++) {
                    Member m = members.get(i);
                    members.set(i, m.withNode(testbed.spawn(m.host(), nodeCommand(Path.of(m.config())), Path.of(m.log()))));
                    c.save(members);
                    log.accept("cluster: started the node in " + m.host() + " (rank " + m.rank() + ", pid "
                            + members.get(i).pid() + ")");
                }
                c.awaitReady(log);
            }
            if (spec.runsMysql()) {
                // after the nodes: the portal address, on which the servers listen, is on the nodes' TUN device
                for (Member m : members) {
                    requirePortalAddress(testbed, m.host());
                }
                for (int i = 0; i < members.size(); i++) {
                    Member m = members.get(i);
                    Path errorLog = Path.of(m.appLog());
                    members.set(i, m.withApp(testbed.spawn(m.host(), MysqlReplicas.serverCommand(mariadbd, m.host(),
                            PORTAL_ADDRESS, MYSQL_PORT, errorLog), errorLog)));
                    c.save(members);
                }
                c.awaitReplicas(testbed, log);
            }
            return c;
        } catch (ClusterException | TestbedException | InterruptedException | RuntimeException e) {
            c.abort(log);
            throw e;
        } catch (IOException e) {
            c.abort(log);
            throw new ClusterException("cannot write the cluster's files: " + e.getMessage());
        }
    }

    private void abort(Consumer<String> log) {
        log.accept("cluster: start failed; stopping what was started");
        try {
            stop(line -> log.accept("  " + line), true);
        } catch (TestbedException | RuntimeException e) {
            log.accept("cluster: cleanup failed too: " + e.getMessage() + "; run ./artcp testbed down");
        }
    }

    /**
     * The configuration of every node: rank K-1 for nodeK, every node's address in rank order, the portal,
     * one cluster key shared by all, and a status file per node under {@link #STATUS_DIR}. With app
     * {@code mysql}: the mysql classifier, the passwords file, the user's SQL policy as given in the spec.
     * None for a standalone spec (no node process).
     */
    public static List<NodeProcessConfig> nodeConfigs(ClusterSpec spec, List<Host> hosts, byte[] clusterKey) {
        String policy = spec.runsMysql() ? spec.mysql().sqlPolicy() : null;
        return nodeConfigs(spec, hosts, clusterKey, policy == null ? null : Path.of(policy));
    }

    /** As {@link #nodeConfigs(ClusterSpec, List, byte[])} with the SQL policy file at {@code sqlPolicy} (may be null). */
    static List<NodeProcessConfig> nodeConfigs(ClusterSpec spec, List<Host> hosts, byte[] clusterKey, Path sqlPolicy) {
        if (hosts.size() != spec.nodes()) {
            throw new IllegalArgumentException(spec.nodes() + " nodes need " + spec.nodes() + " hosts, got " + hosts.size());
        }
        if (spec.standalone()) {
            return List.of();
        }
        String nodes = hosts.stream().map(Host::address).collect(Collectors.joining(","));
        List<NodeProcessConfig> configs = new ArrayList<>();
        for (int rank = 0; rank < hosts.size(); rank++) {
            Properties p = new Properties();
            p.setProperty("rank", Integer.toString(rank));
            p.setProperty("nodes", nodes);
            p.setProperty("portal", AddressPlan.PORTAL_ADDRESS);
            p.setProperty("lanInterface", Host.INTERFACE);
            p.setProperty("delivery", spec.delivery());
            p.setProperty("readPolicy", spec.readPolicy());
            p.setProperty("clusterKey", HexFormat.of().formatHex(clusterKey));
            p.setProperty("tunnelGroup", TUNNEL_GROUP);
            p.setProperty("tunnelPort", Integer.toString(TUNNEL_PORT));
            p.setProperty("tunDevice", TUN_DEVICE);
            p.setProperty("statusFile", STATUS_DIR.resolve(hosts.get(rank).name() + ".json").toString());
            p.setProperty("heartbeatMs", Integer.toString(spec.heartbeatMs()));
            p.setProperty("failureTimeoutMs", Integer.toString(spec.failureTimeoutMs()));
            if (spec.runsMysql()) {
                p.setProperty("classifier", "mysql");
                p.setProperty("mysqlPasswords", MysqlReplicas.PASSWORDS_FILE.toString());
                p.setProperty("nondeterministic", spec.mysql().nondeterministic());
                if (sqlPolicy != null) {
                    p.setProperty("mysqlPolicy", sqlPolicy.toString());
                }
            }
            configs.add(NodeProcessConfig.parse(p));
        }
        return List.copyOf(configs);
    }

    /** The user's SQL policy, copied to {@code runDir/sql-policy.txt} so the run keeps what it ran with; null without. */
    private static Path copySqlPolicy(ClusterSpec spec, Path runDir) throws ClusterException {
        if (!spec.runsMysql() || spec.mysql().sqlPolicy() == null) {
            return null;
        }
        Path from = Path.of(spec.mysql().sqlPolicy());
        Path to = runDir.resolve("sql-policy.txt").toAbsolutePath();
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new ClusterException("cannot read the SQL policy " + from + ": " + e.getMessage());
        }
    }

    /** The portal address as a second address of {@code host}'s LAN interface (standalone: no node owns it). */
    private static void addStandalonePortal(Testbed testbed, String host) throws TestbedException {
        String ip = Sys.require("ip", "iproute2");
        Sys.Result r = run(testbed, host, List.of(ip, "addr", "replace", PORTAL_ADDRESS + "/32", "dev", Host.INTERFACE));
        if (!r.ok()) {
            throw new TestbedException("cannot add " + PORTAL_ADDRESS + " to " + host + ": " + r.firstErrorLine());
        }
        // a client may still know the portal at the MAC of the last cluster's primary
        for (Host client : testbed.clients()) {
            run(testbed, client.name(), List.of(ip, "neigh", "flush", "to", PORTAL_ADDRESS));
        }
    }

    private static void removeStandalonePortal(String host) {
        try {
            Optional<Testbed> testbed = Testbed.load();
            if (testbed.isPresent()) {
                run(testbed.get(), host, List.of(Sys.require("ip", "iproute2"), "addr", "del", PORTAL_ADDRESS + "/32",
                        "dev", Host.INTERFACE));
            }
        } catch (TestbedException e) {
            // the namespace is gone, and the address with it
        }
    }

    /** Fails unless the portal address is on an interface of {@code host} (a ready node put it on its TUN device). */
    private static void requirePortalAddress(Testbed testbed, String host) throws ClusterException, TestbedException {
        Sys.Result r = run(testbed, host, List.of(Sys.require("ip", "iproute2"), "-o", "-4", "addr", "show", "to",
                PORTAL_ADDRESS + "/32"));
        if (!r.ok() || r.stdout().isBlank()) {
            throw new ClusterException("the portal address " + PORTAL_ADDRESS + " is not on any interface of " + host
                    + ", so MariaDB cannot listen on it; " + r.firstErrorLine());
        }
    }

    /** Runs a short command in {@code host} and waits for it. */
    private static Sys.Result run(Testbed testbed, String host, List<String> command) throws TestbedException {
        return Sys.run(testbed.exec(host, command).command());
    }

    private static byte[] randomKey() {
        byte[] key = new byte[CLUSTER_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * {@code java --enable-native-access=ALL-UNNAMED -cp JAR org.artcp.orchestrator.Main node --config FILE}
     * with this JVM's java and this JVM's code: the shaded jar when it runs from one (./artcp), else its class
     * path (tests, IDEs).
     */
    static List<String> nodeCommand(Path configFile) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), Main.class.getName(),
                "node", "--config", configFile.toString());
    }

    private static String classPath() {
        try {
            Path self = Path.of(Cluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                return self.toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no usable code source: fall back to the class path
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private void awaitReady(Consumer<String> log) throws ClusterException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        List<String> ready = new ArrayList<>();
        while (ready.size() < state.nodes().size()) {
            for (Member m : state.nodes()) {
                if (ready.contains(m.host())) {
                    continue;
                }
                Optional<NodeStatus> s = readStatus(m);
                if (s.isPresent() && s.get().ready() && !s.get().stopped()) {
                    ready.add(m.host());
                    log.accept("cluster: " + m.host() + " ready (" + ready.size() + "/" + state.nodes().size() + "): rank "
                            + s.get().rank() + ", " + s.get().role() + ", term " + s.get().term() + ", live ranks "
                            + s.get().liveRanks());
                } else if (!m.node().alive()) {
                    throw new ClusterException("the node in " + m.host() + " exited before it was ready; "
                            + lastLines(Path.of(m.log())));
                }
            }
            if (ready.size() < state.nodes().size()) {
                if (System.currentTimeMillis() > deadline) {
                    Member late = state.nodes().stream().filter(m -> !ready.contains(m.host())).findFirst().orElseThrow();
                    throw new ClusterException("the node in " + late.host() + " was not ready within "
                            + READY_TIMEOUT_MS / 1000 + " s; " + lastLines(Path.of(late.log())));
                }
                Thread.sleep(100);
            }
        }
    }

    private void awaitAppsListening(Testbed testbed) throws ClusterException, TestbedException, InterruptedException {
        long deadline = System.currentTimeMillis() + APP_LISTEN_TIMEOUT_MS;
        for (Member m : state.nodes()) {
            while (!listening(testbed, m.host(), NETPIPE_PORT)) {
                if (!m.app().alive()) {
                    throw new ClusterException("NPtcp in " + m.host() + " exited at once; " + lastLines(Path.of(m.appLog())));
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new ClusterException("NPtcp in " + m.host() + " did not listen on port " + NETPIPE_PORT
                            + " within " + APP_LISTEN_TIMEOUT_MS / 1000 + " s; " + lastLines(Path.of(m.appLog())));
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Waits until every replica answers on its socket and listens on the portal address, printing a line per
     * replica; a server that exits first, or {@link MysqlReplicas#START_TIMEOUT_MS} without all up, fails.
     */
    private void awaitReplicas(Testbed testbed, Consumer<String> log)
            throws ClusterException, TestbedException, InterruptedException {
        long t0 = System.currentTimeMillis();
        long deadline = t0 + MysqlReplicas.START_TIMEOUT_MS;
        for (Member m : state.nodes()) {
            Path socket = MysqlReplicas.socket(m.host());
            while (!(MysqlReplicas.ping(socket) && listening(testbed, m.host(), MYSQL_PORT))) {
                if (!m.app().alive()) {
                    throw new ClusterException("MariaDB in " + m.host() + " exited at once; " + lastLines(Path.of(m.appLog())));
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new ClusterException("MariaDB in " + m.host() + " did not answer on " + socket + " and listen on "
                            + PORTAL_ADDRESS + ":" + MYSQL_PORT + " within " + MysqlReplicas.START_TIMEOUT_MS / 1000
                            + " s; " + lastLines(Path.of(m.appLog())));
                }
                Thread.sleep(50);
            }
            log.accept("cluster: MariaDB in " + m.host() + " up (pid " + m.appPid() + ", " + PORTAL_ADDRESS + ":"
                    + MYSQL_PORT + ", socket " + socket + ") after " + (System.currentTimeMillis() - t0) + " ms");
        }
    }

    /** Probes the socket table, never connects: NPtcp takes the first connection as its transmitter. */
    private static boolean listening(Testbed testbed, String host, int port) throws TestbedException, InterruptedException {
        try {
            Process ss = testbed.exec(host, List.of("ss", "-Hltn", "sport = :" + port)).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            return !out.isBlank();
        } catch (IOException e) {
            throw new TestbedException("cannot run ss in " + host + ": " + e.getMessage());
        }
    }

    /** {@code last lines of FILE: a | b | c}, one line, for an error message. */
    static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? log + " is empty"
                    : "last lines of " + log + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "no log at " + log;
        }
    }

    // ---------------------------------------------------------------- running cluster

    /** The cluster recorded in {@link #STATE_FILE}, if any (its processes may have died: see {@link #statuses}). */
    public static Optional<Cluster> loadRunning() {
        try {
            if (!Files.isRegularFile(STATE_FILE)) {
                return Optional.empty();
            }
            State s = JSON.readValue(STATE_FILE.toFile(), State.class);
            return s.settings() == null || s.nodes() == null ? Optional.empty() : Optional.of(new Cluster(s));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The member on host {@code host} ({@code node1}..{@code node4}).
     *
     * @throws ClusterException naming the cluster's hosts when it has no such node
     */
    public Member member(String host) throws ClusterException {
        return state.nodes().stream().filter(m -> m.host().equals(host)).findFirst()
                .orElseThrow(() -> new ClusterException("no node '" + host + "': the cluster has "
                        + state.nodes().stream().map(Member::host).collect(Collectors.joining(", "))));
    }

    /** Takes the faults recorded in {@link #STATE_FILE}, maybe by another JVM ({@code ./artcp cluster kill}). */
    private void refreshFaults() {
        loadRunning().filter(c -> c.state.runDir().equals(state.runDir())).ifPresent(c -> state = c.state);
    }

    /** Records {@code host}'s faults (in memory and in {@link #STATE_FILE}). */
    void recordFaults(String host, java.util.function.UnaryOperator<FaultState> change) throws ClusterException {
        save(state.nodes().stream().map(m -> m.host().equals(host) ? m.withFaults(change.apply(m.faultState())) : m)
                .toList());
    }

    /** Each node's view now: its status file, whether its process is alive, how old the status is. */
    public List<NodeView> statuses() {
        refreshFaults();
        long now = System.currentTimeMillis();
        return state.nodes().stream()
                .map(m -> NodeView.of(m, readStatus(m).orElse(null), m.node().alive(), now))
                .toList();
    }

    /** Each MariaDB replica now: its server process and whether it answers on its socket (empty unless app mysql). */
    public List<ReplicaView> replicas() {
        if (!spec().runsMysql()) {
            return List.of();
        }
        return state.nodes().stream().map(m -> {
            Path socket = MysqlReplicas.socket(m.host());
            boolean alive = m.app().alive();
            return new ReplicaView(m.host(), socket.toString(), m.appPid() == null ? 0 : m.appPid(), alive,
                    alive && MysqlReplicas.ping(socket));
        }).toList();
    }

    /**
     * Runs {@code sql} on nodeK's replica ({@code node} = K, 1-based) through its unix socket, as root, in the
     * benchmark database, outside AR-TCP; returns the result rows tab-separated ({@code mariadb -B -N}).
     *
     * @throws ClusterException not a mysql cluster, no such node, or the server's error (one line)
     */
    public List<String> replicaQuery(int node, String sql) throws ClusterException {
        return replicaSql("node" + node, sql, false);
    }

    /** As {@link #replicaQuery} for host {@code nodeK}; with {@code columnNames} the first line names the columns. */
    public List<String> replicaSql(String host, String sql, boolean columnNames) throws ClusterException {
        if (!spec().runsMysql()) {
            throw new ClusterException("the cluster runs app " + spec().app() + ", not mysql; start it with --app mysql");
        }
        if (state.nodes().stream().noneMatch(m -> m.host().equals(host))) {
            throw new ClusterException("no replica '" + host + "': the cluster has "
                    + state.nodes().stream().map(Member::host).collect(Collectors.joining(", ")));
        }
        return MysqlReplicas.query(host, spec().mysql().dbName(), sql, columnNames);
    }

    /** {@code CHECKSUM TABLE} of every base table of the benchmark database, on every replica but killed ones. */
    public ChecksumReport checksums() throws ClusterException {
        refreshFaults();
        String db = spec().runsMysql() ? spec().mysql().dbName() : "";
        Map<String, Map<String, Long>> perHost = new LinkedHashMap<>();
        for (Member m : state.nodes()) {
            if (m.faultState().killed()) {
                continue; // its replica died with it: the survivors are compared
            }
            List<String> tables = replicaSql(m.host(), "SELECT table_name FROM information_schema.tables WHERE "
                    + "table_schema = '" + db + "' AND table_type = 'BASE TABLE' ORDER BY table_name", false);
            perHost.put(m.host(), tables.isEmpty() ? Map.of() : ChecksumReport.parse(replicaSql(m.host(),
                    "CHECKSUM TABLE " + tables.stream().map(t -> "`" + t.replace("`", "``") + "`")
                            .collect(Collectors.joining(", ")), false)));
        }
        return ChecksumReport.of(perHost);
    }

    /**
     * Stops the application in every node host (if it still runs) and starts it again, for the next run
     * (an {@code NPtcp} receiver exits after one transmitter run); returns once every receiver listens.
     */
    public void restartApp(Consumer<String> log) throws ClusterException, TestbedException, InterruptedException {
        if (!spec().runsNetpipe()) {
            return;
        }
        Testbed testbed = Testbed.require();
        String nptcp = Sys.require("NPtcp", "netpipe-tcp");
        List<Member> members = new ArrayList<>(state.nodes());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (m.appPid() != null) {
                terminate(List.of(m.app()), APP_GRACE_MS);
            }
            members.set(i, m.withApp(testbed.spawn(m.host(), List.of(nptcp), Path.of(m.appLog()))));
            save(members);
        }
        awaitAppsListening(testbed);
        log.accept("cluster: NPtcp receivers restarted in " + members.stream().map(Member::host).collect(Collectors.joining(", ")));
    }

    /**
     * Stops the cluster: SIGTERM to every node, up to {@value #STOP_GRACE_MS} ms for them to exit (each then
     * writes a final status saying stopped), SIGKILL to survivors; then the applications. Keeps the final status
     * files in the run directory ({@code nodeK.status.json}), removes {@link #STATE_FILE} and {@link #STATUS_DIR},
     * and takes the testbed down when the cluster brought it up.
     */
    public void stop(Consumer<String> log) throws TestbedException {
        stop(log, true);
    }

    /** As {@link #stop} but leaves the testbed up even when the cluster brought it up ({@code testbed down} uses it). */
    public void stopLeavingTestbed(Consumer<String> log) throws TestbedException {
        stop(log, false);
    }

    private void stop(Consumer<String> log, boolean takeDownOwnTestbed) throws TestbedException {
        refreshFaults();
        Faults.undoAll(state, log);
        List<Member> started = state.nodes().stream().filter(m -> m.pid() != 0).toList();
        List<Member> exited = started.stream().filter(m -> !m.node().alive()).toList();
        List<Member> killed = terminateNodes(started);
        for (Member m : started) {
            Optional<NodeStatus> s = readStatus(m);
            String how = m.faultState().killed() ? " was killed at " + m.faultState().killedAt()
                    : exited.contains(m) ? " had already exited"
                    : killed.contains(m) ? " did not stop within " + STOP_GRACE_MS / 1000 + " s; killed" : " stopped";
            log.accept("cluster: node in " + m.host() + how
                    + (m.faultState().killed() || s.isPresent() && s.get().stopped() ? ""
                    : " (its status file does not say stopped)"));
        }
        List<Proc> apps = state.nodes().stream().filter(m -> m.appPid() != null).map(Member::app).toList();
        List<Proc> appsKilled = terminate(apps, spec().runsMysql() ? MysqlReplicas.STOP_GRACE_MS : APP_GRACE_MS);
        if (spec().runsMysql()) {
            log.accept("cluster: MariaDB stopped in " + state.nodes().stream().filter(m -> m.appPid() != null)
                    .map(Member::host).collect(Collectors.joining(", "))
                    + (appsKilled.isEmpty() ? "" : " (" + appsKilled.size() + " killed after "
                    + MysqlReplicas.STOP_GRACE_MS / 1000 + " s)") + "; removing " + MysqlReplicas.BASE_DIR);
            try {
                MysqlReplicas.remove();
            } catch (ClusterException e) {
                log.accept("cluster: " + e.getMessage());
            }
        }
        if (spec().standalone() && !state.nodes().isEmpty()) {
            removeStandalonePortal(state.nodes().getFirst().host());
        }
        keepFinalStatuses();
        deleteRecursively(STATUS_DIR);
        try {
            Files.deleteIfExists(STATE_FILE);
        } catch (IOException e) {
            throw new TestbedException("cannot remove " + STATE_FILE + ": " + e.getMessage());
        }
        if (takeDownOwnTestbed && state.testbedOwned()) {
            log.accept("cluster: taking down the testbed it brought up");
            try {
                Testbed.down(log);
            } catch (TestbedException e) {
                // someone took it down already; only a testbed that is still there is a failure
                if (!Testbed.listArtcpNamespaces().isEmpty()) {
                    throw e;
                }
            }
        }
    }

    /** SIGTERM, a grace period, SIGKILL; returns the members that had to be killed. */
    private static List<Member> terminateNodes(List<Member> members) {
        List<Proc> survivors = terminate(members.stream().map(Member::node).toList(), STOP_GRACE_MS);
        return members.stream().filter(m -> survivors.contains(m.node())).toList();
    }

    /** SIGTERM, up to {@code graceMs} to exit, SIGKILL; returns those that needed SIGKILL. */
    private static List<Proc> terminate(List<Proc> processes, long graceMs) {
        List<Proc> alive = processes.stream().filter(Proc::alive).toList();
        alive.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy));
        long deadline = System.currentTimeMillis() + graceMs;
        while (System.currentTimeMillis() < deadline && alive.stream().anyMatch(Proc::alive)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Proc> survivors = alive.stream().filter(Proc::alive).toList();
        survivors.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
        long killDeadline = System.currentTimeMillis() + 2_000;
        while (System.currentTimeMillis() < killDeadline && survivors.stream().anyMatch(Proc::alive)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return survivors;
    }

    private void keepFinalStatuses() {
        Path runDir = runDir();
        if (!Files.isDirectory(runDir)) {
            return;
        }
        for (Member m : state.nodes()) {
            if (m.statusFile() == null) {
                continue;
            }
            Path status = Path.of(m.statusFile());
            try {
                if (Files.isRegularFile(status)) {
                    Files.copy(status, runDir.resolve(m.host() + ".status.json"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // the run directory keeps the logs either way
            }
        }
    }

    // ---------------------------------------------------------------- files and processes

    /** The node's status file, if it exists and parses (the node writes it atomically, so it normally does). */
    static Optional<NodeStatus> readStatus(Member m) {
        if (m.statusFile() == null) {
            return Optional.empty();
        }
        Path file = Path.of(m.statusFile());
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(file.toFile());
            return json instanceof ObjectNode o ? Optional.of(NodeStatus.of(o)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Alive (not a zombie) and, when its start time was recorded, still the same process. */
    static boolean alive(long pid, long startMillis) {
        if (pid <= 0 || Testbed.isGone(pid)) {
            return false;
        }
        if (startMillis == 0) {
            return true;
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                .map(i -> Math.abs(i.toEpochMilli() - startMillis) < 1_000).orElse(true);
    }

    private static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private void save(List<Member> members) throws ClusterException {
        state = state.withNodes(members);
        try {
            Files.createDirectories(STATE_FILE.getParent());
            Path tmp = STATE_FILE.resolveSibling("cluster.json.tmp");
            JSON.writeValue(tmp.toFile(), state);
            try {
                Files.move(tmp, STATE_FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, STATE_FILE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ClusterException("cannot write " + STATE_FILE + ": " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: testbed down removes the whole run directory anyway
        }
    }

    private static void requireRoot() throws ClusterException {
        if (!Sys.isRoot()) {
            throw new ClusterException("must run as root to run a cluster (its nodes use network namespaces, TUN and "
                    + "netfilter); try: sudo ./artcp cluster …");
        }
    }
}
