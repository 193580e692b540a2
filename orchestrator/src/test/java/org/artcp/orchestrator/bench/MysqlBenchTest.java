package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.artcp.bench.mysql.HistogramLog;
import org.artcp.bench.mysql.Worker;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.bench.MysqlBench.Configuration;
import org.artcp.orchestrator.bench.MysqlBench.Experiment;
import org.artcp.orchestrator.bench.MysqlBench.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The MySQL benches' plans, series names and the summary built from workers' files; no testbed. */
class MysqlBenchTest {
    @TempDir
    Path tmp;

    private static Plan reads(List<Integer> nodes, List<String> deliveries, List<String> policies, List<Integer> threads) {
        return new Plan(Experiment.READS, nodes, deliveries, policies, threads, 1000, 1, 50, 10_000, null, false,
                Path.of("results"), false);
    }

    @Test
    void configurationsRunStandaloneOnceThenEachClusterAndPolicy() {
        Plan p = reads(List.of(1, 2, 1, 4), List.of("safe"), List.of("rr-np", "rr-p"), List.of(10, 20, 40));
        assertEquals(List.of("standalone", "artcp2-safe-rrnp", "artcp2-safe-rrp", "artcp4-safe-rrnp", "artcp4-safe-rrp"),
                p.configurations().stream().map(Configuration::id).toList());
        assertEquals(2, p.clients());
        assertEquals(4, p.ownTestbed().nodes());

        Plan u = new Plan(Experiment.UPDATES, List.of(1, 2, 3), List.of("best-effort", "safe"), List.of("rr-p"),
                List.of(), 1, 200, 20, 0, null, false, Path.of("results"), false);
        assertEquals(List.of("standalone", "artcp2-be", "artcp2-safe", "artcp3-be", "artcp3-safe"),
                u.configurations().stream().map(Configuration::id).toList());
        assertEquals(1, u.clients());
        assertEquals(1, reads(List.of(1), List.of(), List.of(), List.of(2, 10)).clients());
    }

    @Test
    void badPlansAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> reads(List.of(5), List.of("safe"), List.of("rr-np"), List.of(10))).getMessage().startsWith("--nodes 5"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> reads(List.of(2), List.of("fast"), List.of("rr-np"), List.of(10))).getMessage().startsWith("--delivery"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> reads(List.of(2), List.of("safe"), List.of("rr"), List.of(10))).getMessage().startsWith("--read-policy"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> reads(List.of(2), List.of("safe"), List.of("rr-np"), List.of(0))).getMessage().startsWith("--threads"));
        // standalone alone needs neither delivery nor policy
        reads(List.of(1), List.of(), List.of(), List.of(2));
    }

    @Test
    void everyConfigurationStartsTheMysqlApp() {
        var spec = MysqlBench.spec(new Configuration(2, "safe", "rr-p"));
        assertEquals("mysql", spec.app());
        assertEquals("safe", spec.delivery());
        assertEquals("rr-p", spec.readPolicy());
        assertEquals("artcp", spec.mysql().dbName());
        var standalone = MysqlBench.spec(new Configuration(1, null, null));
        assertTrue(standalone.standalone());
        assertEquals("mysql", standalone.app());
    }

    @Test
    void threadsSplitAsThePapersClients() {
        assertEquals(List.of(10), MysqlResults.threadsPerClient(10, 2));
        assertEquals(List.of(10, 10), MysqlResults.threadsPerClient(20, 2));
        assertEquals(List.of(20, 20), MysqlResults.threadsPerClient(40, 2));
        assertEquals(List.of(8, 7), MysqlResults.threadsPerClient(15, 2));
        assertEquals(List.of(40), MysqlResults.threadsPerClient(40, 1));
        assertThrows(IllegalArgumentException.class, () -> MysqlResults.threadsPerClient(0, 2));
    }

    @Test
    void theDisplayedCommandHidesThePassword() {
        String shown = MysqlBench.display(List.of("updates", "--host", "198.18.0.10", "--password", "secret", "--out",
                tmp.resolve("standalone").toString()), tmp);
        assertFalse(shown.contains("secret"), shown);
        assertTrue(shown.contains("--password *** --out standalone"), shown);
        assertTrue(shown.startsWith("java -cp artcp.jar org.artcp.bench.mysql.Worker updates"), shown);
    }

    @Test
    void readNumbersAddTwoClientsUp() throws Exception {
        Path a = worker(tmp.resolve("artcp2-safe-rrnp/t20/client1"), new long[] {1_000_000, 3_000_000}, 0);
        Path b = worker(tmp.resolve("artcp2-safe-rrnp/t20/client2"), new long[] {2_000_000, 2_000_000, 8_000_000}, 1);
        Map<String, Object> m = MysqlResults.readNumbers(tmp, List.of(a, b));
        assertEquals(5L, m.get("count"));
        assertEquals(1L, m.get("errors"));
        assertEquals(3_200.0, (Double) m.get("meanUs"), 1e-9, "16 ms / 5");
        assertEquals(8_000.0, (Double) m.get("maxUs"), 8.0);
        assertEquals(2_000.0, (Double) m.get("p50Us"), 2.0);
        assertEquals(List.of("artcp2-safe-rrnp/t20/client1/histograms/select.hlog",
                "artcp2-safe-rrnp/t20/client2/histograms/select.hlog"), m.get("histograms"));
        assertEquals(2, ((List<?>) m.get("perThreadMeanUs")).size());
        assertEquals("boom", m.get("firstError"));

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "artcp2-safe-rrnp-t20");
        s.put("nodes", 2);
        s.put("delivery", "safe");
        s.put("readPolicy", "rr-np");
        s.put("threads", 20);
        s.put("threadsPerClient", List.of(10, 10));
        s.putAll(m);
        String csv = MysqlResults.readsCsv(List.of(s));
        assertEquals("series,nodes,delivery,read_policy,threads,clients,count,errors,mean_us,p50_us,p90_us,p99_us,max_us",
                csv.lines().findFirst().orElseThrow());
        assertTrue(csv.lines().toList().get(1).startsWith("artcp2-safe-rrnp-t20,2,safe,rr-np,20,2,5,1,3200.000,"), csv);
    }

    @Test
    void updateOperationsComeFromTheWorkerWithPathsFromTheResultsDirectory() throws Exception {
        Path w = tmp.resolve("standalone");
        Files.createDirectories(w);
        Files.writeString(w.resolve(Worker.SUMMARY_FILE), """
                {"mode":"updates","operations":[
                 {"operation":"create table","count":3,"errors":0,"meanUs":20000.5,"p50Us":19000,"p90Us":25000,
                  "p99Us":30000,"minUs":15000,"maxUs":30000,"firstError":null,"histogram":"histograms/create-table.hlog"}]}
                """);
        List<Map<String, Object>> ops = MysqlResults.updateOperations(tmp, w);
        assertEquals("standalone/histograms/create-table.hlog", ops.getFirst().get("histogram"));
        assertEquals(20000.5, ops.getFirst().get("meanUs"));
        assertNull(ops.getFirst().get("firstError"));
        Map<String, Object> s = new LinkedHashMap<>(Map.of("id", "standalone", "nodes", 1));
        s.put("delivery", null);
        s.put("operations", ops);
        assertEquals("standalone,1,,create table,3,0,20000.500,19000.000,25000.000,30000.000,30000.000",
                MysqlResults.updatesCsv(List.of(s)).lines().toList().get(1));
    }

    @Test
    void helpNamesEveryOptionAndBadOptionsAreOneLine() {
        for (String experiment : List.of("updates", "reads")) {
            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(0, cl.execute("bench", experiment, "--help"));
            for (String option : List.of("--nodes", "--delivery", "--node-cpu", "--quick", "--warm-up", "--results")) {
                assertTrue(out.toString().contains(option), experiment + " --help lacks " + option + ":\n" + out);
            }
        }
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("bench", "reads", "--nodes", "7"));
        assertTrue(err.toString().contains("--nodes 7"), err.toString());
    }

    /** A reads worker's files as Worker writes them: one histogram, worker.json with one thread. */
    private static Path worker(Path dir, long[] ns, int errors) throws Exception {
        Histogram h = new Histogram(3);
        long sum = 0;
        for (long v : ns) {
            h.recordValue(v);
            sum += v;
        }
        HistogramLog.write(dir.resolve("histograms/select.hlog"), h, "test", 0, 1);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("mode", "reads");
        w.put("count", ns.length);
        w.put("errors", errors);
        w.put("meanUs", sum / 1000.0 / ns.length);
        w.put("firstError", errors > 0 ? "boom" : null);
        w.put("histogram", "histograms/select.hlog");
        w.put("perThread", List.of(Map.of("thread", 0, "count", ns.length, "meanUs", sum / 1000.0 / ns.length)));
        new ObjectMapper().writeValue(dir.resolve(Worker.SUMMARY_FILE).toFile(), w);
        return dir;
    }
}
