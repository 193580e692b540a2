package org.artcp.orchestrator;

import java.nio.file.Path;

/** What every command shares: where the repository is. */
final class Cli {
    private Cli() {}

    /** The repository root: {@code -Dartcp.home} (set by ./artcp), else the working directory. */
    static Path home() {
        String home = System.getProperty("artcp.home");
        return Path.of(home != null && !home.isBlank() ? home : "").toAbsolutePath();
    }
}
