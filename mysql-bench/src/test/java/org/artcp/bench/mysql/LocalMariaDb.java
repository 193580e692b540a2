package org.artcp.bench.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private MariaDB server for tests: a fresh datadir under /tmp, {@code mariadbd} on 127.0.0.1 and a
 * free port, a database {@value #DATABASE} and an account {@value #USER} for it. Needs root (the server
 * runs as {@code --user=root}) and the MariaDB binaries; {@link #unavailableReason} says why not.
 * {@link #close} stops the server by its pid and deletes the datadir.
 */
final class LocalMariaDb implements AutoCloseable {
    static final String DATABASE = "artcp";
    static final String USER = "artcp";
    static final String PASSWORD = "artcp-test";
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path dir;
    private final Process server;
    final int port;

    private LocalMariaDb(Path dir, Process server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    /** Why no private server can run here, or empty. */
    static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not running as root (mariadbd --user=root needs it)");
        }
        for (String tool : List.of("mariadbd", "mariadb-install-db", "mariadb")) {
            if (which(tool).isEmpty()) {
                return Optional.of(tool + " is not installed (apt-get install mariadb-server mariadb-client)");
            }
        }
        return Optional.empty();
    }

    static LocalMariaDb start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("artcp-mariadb-");
        Process server = null;
        try {
            Path data = dir.resolve("data");
            run(List.of(which("mariadb-install-db").orElseThrow().toString(), "--no-defaults", "--user=root",
                    "--datadir=" + data, "--skip-test-db", "--auth-root-authentication-method=normal"), dir.resolve("install.log"));
            int port = freePort();
            server = new ProcessBuilder(which("mariadbd").orElseThrow().toString(), "--no-defaults", "--datadir=" + data,
                    "--socket=" + dir.resolve("s.sock"), "--port=" + port, "--bind-address=127.0.0.1", "--user=root",
                    "--skip-log-bin", "--skip-name-resolve", "--innodb-buffer-pool-size=32M",
                    "--pid-file=" + dir.resolve("mariadbd.pid"), "--log-error=" + dir.resolve("error.log"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.out").toFile()).start();
            LocalMariaDb db = new LocalMariaDb(dir, server, port);
            db.awaitReady();
            db.sql("CREATE DATABASE " + DATABASE + "; CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD
                    + "'; GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'127.0.0.1';");
            return db;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (server != null) {
                stop(server);
            }
            deleteRecursively(dir);
            throw e;
        }
    }

    Target target() {
        return new Target("127.0.0.1", port, DATABASE, USER, PASSWORD, false);
    }

    /** Runs SQL as root over the socket; returns its tab-separated output without column names. */
    String sql(String statements) throws IOException, InterruptedException {
        return run(List.of(which("mariadb").orElseThrow().toString(), "--no-defaults", "--socket=" + dir.resolve("s.sock"),
                "-uroot", "-N", "-B", "-e", statements), null);
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            if (!server.isAlive()) {
                throw new IOException("mariadbd exited at once: " + tail(dir.resolve("error.log")));
            }
            try {
                sql("SELECT 1");
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("mariadbd did not answer within " + START_TIMEOUT_MS / 1000 + " s: "
                            + tail(dir.resolve("error.log")), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop(server);
        deleteRecursively(dir);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.getFirst() + " did not finish");
        }
        if (log != null) {
            Files.writeString(log, out);
        }
        if (p.exitValue() != 0) {
            throw new IOException(Path.of(command.getFirst()).getFileName() + " failed (exit " + p.exitValue() + "): "
                    + out.strip());
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<Path> which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
