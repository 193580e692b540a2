package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's side of the worker protocol with stand-in workers ({@code sh}): READY noticed, STOP answered by
 * DONE, and a worker that never answers is given up on at the deadline and killed, never waited for forever.
 */
class FailoverWorkerProcessTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    private FailoverBench.WorkerProcess start(String script) throws Exception {
        Process p = new ProcessBuilder(List.of("sh", "-c", script)).redirectErrorStream(true).start();
        return FailoverBench.WorkerProcess.of(p, tmp.resolve("worker.log"), "w", progress);
    }

    @Test
    @Timeout(30)
    void aWorkerThatFollowsTheProtocolEndsDone() throws Exception {
        FailoverBench.WorkerProcess w = start("echo hello; echo READY; read line; echo \"got $line\"; echo DONE");
        assertTrue(w.awaitReady(10_000));
        assertEquals("done", w.stop(10_000));
        assertFalse(w.alive());
        assertEquals(List.of("hello", "READY", "got STOP", "DONE"), Files.readAllLines(tmp.resolve("worker.log")));
        assertTrue(progressBytes.toString(StandardCharsets.UTF_8).contains("[w] got STOP"));
    }

    @Test
    @Timeout(30)
    void aWorkerThatIgnoresStopIsKilledAtTheDeadline() throws Exception {
        FailoverBench.WorkerProcess w = start("echo READY; trap '' TERM; while true; do sleep 1; done");
        assertTrue(w.awaitReady(10_000));
        String end = w.stop(500);
        assertTrue(end.startsWith("killed at the deadline (no DONE"), end);
        assertFalse(w.alive());
    }

    @Test
    @Timeout(30)
    void aWorkerThatNeverSaysReadyIsGivenUpOn() throws Exception {
        FailoverBench.WorkerProcess w = start("sleep 60");
        assertFalse(w.awaitReady(300));
        assertTrue(w.alive());
        w.destroy();
        assertFalse(w.alive());
        FailoverBench.WorkerProcess gone = start("echo 'cannot connect'; exit 1");
        assertFalse(gone.awaitReady(10_000), "exited before READY");
        long t0 = System.nanoTime();
        assertEquals("no DONE; exited 1: cannot connect", gone.stop(60_000));
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "an exited worker is not waited for until the deadline");
    }
}
