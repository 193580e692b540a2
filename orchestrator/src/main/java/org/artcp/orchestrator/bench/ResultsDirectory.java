package org.artcp.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One run's results directory, {@code results/<experiment>/<timestamp>/}, and the relative
 * {@code latest} link beside it (docs/results-format.md).
 */
public final class ResultsDirectory {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ResultsDirectory() {}

    /** Creates a fresh directory for {@code experiment} under {@code resultsRoot}; never reuses one. */
    public static Path create(Path resultsRoot, String experiment, Instant now) throws IOException {
        Path parent = resultsRoot.resolve(experiment);
        Files.createDirectories(parent);
        String stamp = STAMP.format(now);
        Path dir = parent.resolve(stamp);
        for (int n = 2; Files.exists(dir); n++) {
            dir = parent.resolve(stamp + "-" + n);
        }
        Files.createDirectory(dir);
        return dir;
    }

    /** Points {@code <experiment>/latest} at {@code runDir}, replacing an older link atomically. */
    public static void markLatest(Path runDir) throws IOException {
        Path parent = runDir.getParent();
        Path tmp = parent.resolve(".latest.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, runDir.getFileName());
        Files.move(tmp, parent.resolve("latest"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
