package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.artcp.bench.mysql.AppendHistory;
import org.artcp.bench.mysql.FailoverWorkload;
import org.artcp.bench.mysql.Target;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A node of a MariaDB cluster fails while clients are in the middle of a workload (paper §5.2, issue 6):
 * appends to per-key lists, transactions and single-row reads over Connector/J ({@link FailoverWorkload}),
 * from two client threads of each kind in {@code client1}. The victim is the primary, the backup that
 * aggregates the append connections' responses, or another backup; it is killed (the whole host, as a
 * power cut) or cut off (its link down). The clients must see no error and no closed connection; every
 * append they saw acknowledged must be on every survivor, once and in order (a Jepsen-style list-append
 * check on each survivor's replica, read through its own socket); the survivors' {@code CHECKSUM TABLE}s
 * must be equal. A pause shorter than the failure timeout must change nothing.
 */
@RequiresTestbed
class FailoverTest {
    static final String PORTAL = "198.18.0.10";
    static final String PASSWORD = "f4ilover-pw";
    static final long FAILURE_TIMEOUT_MS = 250;
    /** Load before the fault, and after it (the clients must go on). */
    static final long BEFORE_MS = 3_000;
    static final long AFTER_MS = 4_000;

    @TempDir
    static Path results;
    private Cluster cluster;

    @BeforeAll
    static void testbedUp() throws Exception {
        Testbed.up(new TestbedConfig(3, 1, null, null), line -> { });
    }

    @AfterAll
    static void testbedDown() throws Exception {
        Testbed.down(line -> { });
    }

    @AfterEach
    void clusterDown() throws Exception {
        if (cluster != null) {
            cluster.stopLeavingTestbed(line -> { });
            cluster = null;
        }
    }

    enum Victim { PRIMARY, AGGREGATOR, BACKUP }

    enum Fault { KILL, CUT }

    /** What the clients saw and what the survivors hold. */
    record Outcome(String victim, long ops, long errors, long reconnects, AppendHistory.Check portalCheck,
                   Map<String, AppendHistory.Check> survivorChecks, ChecksumReport checksums,
                   List<NodeView> statuses) {
    }

    private void start(int nodes, String delivery) throws Exception {
        ClusterSpec spec = new ClusterSpec(nodes, delivery, "rr-np", "mysql",
                new ClusterSpec.MysqlOptions("artcp", "artcp", PASSWORD, "refuse", null), 10, (int) FAILURE_TIMEOUT_MS);
        cluster = Cluster.start(Testbed.require(), spec, results.resolve(nodes + delivery + System.nanoTime()),
                line -> { });
    }

    private static FailoverWorkload workload() {
        Target target = new Target(PORTAL, 3306, "artcp", "artcp", PASSWORD, false);
        return new FailoverWorkload(new FailoverWorkload.Config(target, 2, 2, 4, true, 20_000));
    }

    /** The host of the node the victim kind names, from the nodes' status files. */
    private String victimHost(Victim v) {
        List<NodeView> views = cluster.statuses();
        NodeView primary = views.stream().filter(n -> n.status() != null && n.status().role().equals("PRIMARY"))
                .findFirst().orElseThrow();
        if (v == Victim.PRIMARY) {
            return primary.member().host();
        }
        List<NodeView> backups = new ArrayList<>(views.stream().filter(n -> n != primary).toList());
        backups.sort(Comparator.comparingLong((NodeView n) -> n.status().counters()
                .getOrDefault("aggregatedConnections", 0L)).reversed());
        return backups.get(v == Victim.AGGREGATOR ? 0 : backups.size() - 1).member().host();
    }

    /** The workload running in client1 on a thread of its own until {@link #finish}. */
    private static final class Load {
        final FailoverWorkload workload = workload();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong ops = new AtomicLong();
        final AtomicReference<Exception> failed = new AtomicReference<>();
        final Thread clients;

        Load() throws Exception {
            InNamespace.call("client1", () -> {
                workload.prepare();
                return null;
            });
            clients = Thread.ofPlatform().name("failover-clients").start(() -> {
                try {
                    InNamespace.call("client1", () -> {
                        workload.run(stop::get, op -> ops.incrementAndGet());
                        return null;
                    });
                } catch (Exception e) {
                    failed.set(e);
                }
            });
        }

        /** Stops the clients; a client thread that failed fails the test. */
        void finish() throws Exception {
            stop.set(true);
            clients.join(60_000);
            assertFalse(clients.isAlive(), "the clients finished");
            if (failed.get() != null) {
                throw failed.get();
            }
        }
    }

    /**
     * Runs the workload, injects {@code fault} on the victim after {@link #BEFORE_MS}, goes on for
     * {@link #AFTER_MS}, then checks the lists through the portal and on every survivor's replica.
     */
    private Outcome runThrough(Victim victim, Fault fault) throws Exception {
        Load load = new Load();
        FailoverWorkload w = load.workload;
        Thread.sleep(BEFORE_MS);
        String host = victimHost(victim);
        if (fault == Fault.KILL) {
            Faults.kill(host);
        } else {
            Faults.cut(host);
        }
        cluster = Cluster.loadRunning().orElseThrow(); // with the fault recorded
        Thread.sleep(AFTER_MS);
        load.finish();
        AppendHistory.Check portal = InNamespace.call("client1", w::verify);
        Map<String, AppendHistory.Check> onSurvivors = new TreeMap<>();
        for (Cluster.Member m : cluster.state().nodes()) {
            if (!m.host().equals(host)) {
                onSurvivors.put(m.host(), w.history().check(lists(cluster.replicaSql(m.host(),
                        "SELECT k, v FROM " + FailoverWorkload.LISTS, false))));
            }
        }
        return new Outcome(host, load.ops.get(), w.errors(), w.reconnects(), portal, onSurvivors,
                without(cluster.checksums(), host), cluster.statuses());
    }

    /** The report without {@code host}'s column (a cut node's replica runs but missed what the others did). */
    static ChecksumReport without(ChecksumReport r, String host) {
        int i = r.hosts().indexOf(host);
        if (i < 0) {
            return r;
        }
        List<String> hosts = new ArrayList<>(r.hosts());
        hosts.remove(i);
        java.util.SortedMap<String, List<Long>> sums = new TreeMap<>();
        r.checksums().forEach((table, values) -> {
            List<Long> v = new ArrayList<>(values);
            v.remove(i);
            sums.put(table, v);
        });
        return new ChecksumReport(hosts, sums);
    }

    /** {@code k<TAB>v} rows, v the values separated by spaces, as a map from key to values. */
    static Map<Integer, List<Long>> lists(List<String> rows) {
        Map<Integer, List<Long>> m = new TreeMap<>();
        for (String row : rows) {
            String[] kv = row.split("\t", 2);
            List<Long> values = new ArrayList<>();
            for (String token : (kv.length > 1 ? kv[1] : "").trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    values.add(Long.parseLong(token));
                }
            }
            m.put(Integer.parseInt(kv[0]), values);
        }
        return m;
    }

    private void assertUnnoticed(Outcome o) {
        String about = "victim " + o.victim() + ": ";
        System.out.println("FailoverTest: " + o.victim() + " failed; clients: " + o.ops() + " ops, " + o.errors()
                + " errors, " + o.reconnects() + " reconnects; " + o.portalCheck().acknowledged()
                + " acknowledged appends and commits, check " + (o.portalCheck().ok() ? "ok" : "FAILED")
                + "; survivors " + o.survivorChecks().keySet() + " identical: " + o.checksums().identical());
        assertTrue(o.ops() > 100, about + "the clients worked (" + o.ops() + " ops)");
        assertEquals(0, o.errors(), about + "no client error");
        assertEquals(0, o.reconnects(), about + "no closed connection");
        assertTrue(o.portalCheck().ok(), about + "the lists read through the portal: " + o.portalCheck());
        assertTrue(o.portalCheck().acknowledged() > 0, about + "appends were acknowledged");
        o.survivorChecks().forEach((host, check) ->
                assertTrue(check.ok(), about + "every acknowledged append once and in order on " + host + ": " + check));
        assertTrue(o.checksums().identical(), about + "survivors identical: " + o.checksums().table());
        for (NodeView v : o.statuses()) {
            if (v.member().host().equals(o.victim())) {
                continue;
            }
            assertNotNull(v.status(), v.member().host() + " has a status");
            assertFalse(v.status().liveRanks().contains(rankOf(o.victim())), v.member().host() + " excluded " + o.victim());
            assertEquals(0L, v.status().counters().getOrDefault("divergentResponses", 0L),
                    v.member().host() + ": no divergent response");
        }
    }

    private int rankOf(String host) {
        return cluster.state().nodes().stream().filter(m -> m.host().equals(host)).findFirst().orElseThrow().rank();
    }

    @ParameterizedTest(name = "3 nodes, {0}, {1} killed")
    @CsvSource({
        "best-effort, PRIMARY", "best-effort, AGGREGATOR", "best-effort, BACKUP",
        "safe, PRIMARY", "safe, AGGREGATOR", "safe, BACKUP"})
    void aKilledNodeOfThreeGoesUnnoticed(String delivery, Victim victim) throws Exception {
        start(3, delivery);
        assertUnnoticed(runThrough(victim, Fault.KILL));
    }

    @ParameterizedTest(name = "2 nodes, {0}, {1} killed: one survivor")
    @CsvSource({"best-effort, PRIMARY", "best-effort, AGGREGATOR", "safe, PRIMARY", "safe, AGGREGATOR"})
    void aKilledNodeOfTwoLeavesOneSurvivorThatCarriesOn(String delivery, Victim victim) throws Exception {
        start(2, delivery);
        assertUnnoticed(runThrough(victim, Fault.KILL));
    }

    @Test
    void aCutBackupIsExcludedLikeADeadOne() throws Exception {
        start(3, "safe");
        Outcome o = runThrough(Victim.AGGREGATOR, Fault.CUT);
        assertUnnoticed(o);
        Faults.heal(o.victim());
        NodeView healed = null;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(100);
            healed = cluster.statuses().stream().filter(v -> v.member().host().equals(o.victim())).findFirst()
                    .orElseThrow();
            if (!healed.pidAlive()) {
                break;
            }
        }
        assertFalse(healed.pidAlive(), "back on the link, the excluded node learns it and stops");
        assertTrue(java.nio.file.Files.readString(Path.of(healed.member().log())).contains("excluded: node rank"),
                "its log says why");
    }

    @Test
    void aPauseShorterThanTheFailureTimeoutChangesNothing() throws Exception {
        start(3, "best-effort");
        Load load = new Load();
        Thread.sleep(BEFORE_MS);
        for (String victim : List.of(victimHost(Victim.PRIMARY), victimHost(Victim.AGGREGATOR))) {
            Faults.pause(victim);
            Thread.sleep(FAILURE_TIMEOUT_MS / 3);
            Faults.resume(victim);
            Thread.sleep(1_000);
        }
        load.finish();
        assertTrue(load.ops.get() > 100, "the clients worked (" + load.ops.get() + " ops)");
        assertEquals(0, load.workload.errors());
        assertTrue(InNamespace.call("client1", load.workload::verify).ok());
        for (NodeView v : cluster.statuses()) {
            assertEquals(List.of(0, 1, 2), v.status().liveRanks(), v.member().host() + " excluded nobody");
            assertEquals(0, v.status().term(), v.member().host() + ": no election");
        }
        assertTrue(cluster.checksums().identical());
    }
}
