package org.artcp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.artcp.node.membership.NodeRole;
import org.junit.jupiter.api.Test;

/**
 * The core is pure (issue 3, DESIGN §3): no sockets, threads or clocks in the node's ordering and
 * membership code, nor in the simulation itself (which must be deterministic). Checked on the
 * sources. Exempt: {@code SimSweep}, which only runs many simulations on a thread pool and times
 * the sweep, and the I/O shell ({@code net}, {@code dataplane}, {@code process}), whose job is the
 * sockets, threads and clocks the cores must not touch.
 */
class PurityTest {
    private static final List<String> FORBIDDEN = List.of(
            "java.net", "java.nio.channels", "java.util.concurrent", "java.time", "Thread", "System.nanoTime",
            "System.currentTimeMillis", "Instant.now", "new Random(", "Math.random", "sleep(", "synchronized");

    private static final List<String> SHELL = List.of("net", "dataplane", "process");

    @Test
    void coreAndSimulationUseNoSocketsThreadsOrClocks() throws IOException {
        Path root = Path.of("src/main/java/org/artcp/node");
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(p);
                if (p.getFileName().toString().equals("SimSweep.java") || SHELL.contains(rel.getName(0).toString())) {
                    continue;
                }
                files++;
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                        continue;
                    }
                    for (String f : FORBIDDEN) {
                        if (line.contains(f)) {
                            violations.add(root.relativize(p) + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "found the sources");
        assertEquals(List.of(), violations);
    }

    @Test
    void roleTransitionTable() {
        assertTrue(NodeRole.BACKUP.canBecome(NodeRole.CANDIDATE));
        assertTrue(NodeRole.CANDIDATE.canBecome(NodeRole.RECOVERING_PRIMARY));
        assertTrue(NodeRole.RECOVERING_PRIMARY.canBecome(NodeRole.PRIMARY));
        assertTrue(NodeRole.RECOVERING_PRIMARY.canBecome(NodeRole.CANDIDATE));
        assertTrue(!NodeRole.PRIMARY.canBecome(NodeRole.CANDIDATE));
        assertTrue(!NodeRole.BACKUP.canBecome(NodeRole.PRIMARY), "a backup is elected and fills gaps first");
        assertTrue(!NodeRole.STOPPED.canBecome(NodeRole.BACKUP));
        for (NodeRole r : NodeRole.values()) {
            assertTrue(r.canBecome(NodeRole.STOPPED));
        }
    }
}
