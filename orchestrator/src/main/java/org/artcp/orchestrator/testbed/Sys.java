package org.artcp.orchestrator.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools the testbed drives ({@code ip}, {@code tc}, {@code ethtool}, {@code sysctl},
 * {@code dpkg-query}, {@code apt-get}) and turns their failures into one-line {@link TestbedException}s
 * that quote the tool's own error.
 */
public final class Sys {
    private static final List<String> SBIN_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final long TIMEOUT_S = 60;

    /** What a finished command did. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The tool's complaint in one line: the first non-blank line of stderr, else of stdout. */
        public String firstErrorLine() {
            for (String text : List.of(stderr, stdout)) {
                Optional<String> line = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            return "exit code " + exitCode;
        }
    }

    private Sys() {
    }

    /** Whether the effective user is root (the owner of {@code /proc/self} is the effective uid). */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The absolute path of an executable on PATH or in the usual sbin directories (root's PATH may lack them). */
    public static Optional<Path> which(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SBIN_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@link #which} or a one-line error telling the user to run {@code ./artcp setup}. */
    public static String require(String tool, String debianPackage) throws TestbedException {
        return which(tool).map(Path::toString).orElseThrow(() -> new TestbedException(
                tool + " is not installed (Debian package " + debianPackage + "); run ./artcp setup as root first"));
    }

    /** Runs a command to completion, capturing its output; never throws for a non-zero exit. */
    public static Result run(List<String> command) throws TestbedException {
        return run(command, null);
    }

    /** As {@link #run(List)}, feeding {@code stdin} (may be null) to the command. */
    public static Result run(List<String> command, String stdin) throws TestbedException {
        return run(command, stdin, TIMEOUT_S);
    }

    /** As {@link #run(List, String)}, killing the command after {@code timeoutS} seconds (for long SQL). */
    public static Result run(List<String> command, String stdin, long timeoutS) throws TestbedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TestbedException("cannot run " + command.getFirst() + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the command did not read its input; its exit code says what happened
        }
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TestbedException(String.join(" ", command) + " did not finish within " + timeoutS + " s");
            }
            return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running " + String.join(" ", command));
        }
    }

    /** Runs a command and fails with {@code what: <tool's first error line>} when it exits non-zero. */
    public static Result check(String what, List<String> command) throws TestbedException {
        Result r = run(command);
        if (!r.ok()) {
            throw new TestbedException(what + ": " + String.join(" ", command) + ": " + r.firstErrorLine());
        }
        return r;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
