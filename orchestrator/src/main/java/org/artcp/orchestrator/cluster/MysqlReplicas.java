package org.artcp.orchestrator.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * The MariaDB replicas of a cluster with app {@code mysql}: Debian's unmodified {@code mariadbd}, one per node
 * host, each with its own data directory, all initialised identically.
 *
 * <p>How the data directories are made ({@link #prepare}): {@code mariadb-install-db} once into a template; the
 * template started once as a bootstrap server (root namespace, unix socket only, {@code --skip-networking}) to
 * create the benchmark database and account and to read back the account's mysql_native_password hash; stopped;
 * then copied byte for byte to every node's data directory. Replicas therefore start from the same files,
 * the same system tables and the same InnoDB log sequence number.
 *
 * <p>Where: everything under {@link #BASE_DIR} ({@code /run/artcp/mysql}): {@code nodeK/} (data),
 * {@code nodeK.sock}, {@code nodeK.pid}, {@code passwords}. {@code /run} is tmpfs on a systemd machine, so four
 * replicas on one box do not queue behind one disk as four real machines would not; it is inside the testbed's
 * run directory, so {@code testbed down} removes it with everything else. The servers' error logs go to the
 * cluster's run directory ({@code mariadb-nodeK.log}), which stays.
 *
 * <p>The unix sockets are files, not network endpoints, so they reach each replica from the root namespace,
 * outside AR-TCP: that is how {@code cluster sql}, {@code cluster checksum} and {@code cluster status} talk
 * to one replica. The TCP listener is only on the portal address ({@code --bind-address}): a client cannot
 * reach a replica around the cluster by its LAN address.
 */
public final class MysqlReplicas {
    /** Data directories, sockets, pid files and the passwords file. */
    public static final Path BASE_DIR = Testbed.RUN_DIR.resolve("mysql");
    /** {@code user:*HEX40} lines, the mysql_native_password hashes the nodes need (NodeProcessConfig mysqlPasswords). */
    public static final Path PASSWORDS_FILE = BASE_DIR.resolve("passwords");
    static final Path TEMPLATE_DIR = BASE_DIR.resolve("template");
    static final Path TEMPLATE_SOCKET = BASE_DIR.resolve("template.sock");
    /** How long a server may take to answer on its socket after it was started. */
    static final long START_TIMEOUT_MS = 30_000;
    /** SIGTERM to SIGKILL: InnoDB's shutdown flushes the buffer pool, a few seconds at most for a test database. */
    static final long STOP_GRACE_MS = 10_000;

    private static final Pattern PASSWORD_LINE = Pattern.compile("[A-Za-z0-9_]{1,64}:\\*[0-9A-F]{40}");

    private MysqlReplicas() {
    }

    /** {@code /run/artcp/mysql/nodeK}: the replica's data directory. */
    public static Path dataDir(String host) {
        return BASE_DIR.resolve(host);
    }

    /** {@code /run/artcp/mysql/nodeK.sock}: the replica's unix socket (root authenticates by its uid there). */
    public static Path socket(String host) {
        return BASE_DIR.resolve(host + ".sock");
    }

    static Path pidFile(String host) {
        return BASE_DIR.resolve(host + ".pid");
    }

    /**
     * The options that shape the files, the same for {@code mariadb-install-db}, the bootstrap server and every
     * replica (a different redo log size would make a replica rewrite its log at first start).
     */
    static List<String> storageOptions() {
        return List.of(
                // --user=root: the files live in root's /run/artcp; the server is reachable only inside the testbed
                "--user=root",
                "--innodb-buffer-pool-size=128M",
                "--innodb-log-file-size=48M",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci");
    }

    /**
     * {@code mariadbd} for the replica in {@code host}: {@code --no-defaults} (no /etc/mysql file can make one
     * replica differ) and an explicit list. Why the non-obvious ones:
     * <ul>
     *   <li>{@code --innodb-flush-log-at-trx-commit=2}: the log is written at every commit and synced once a
     *       second. N replicas on one machine share one disk (when {@code /run} is not RAM) and per-commit
     *       fsyncs would queue there, a cost N real machines do not have; the paper's MySQL 3.23 (MyISAM) never
     *       synced per statement either. A replica that crashes is excluded by AR-TCP, not recovered, so the
     *       last second of durability buys nothing here.</li>
     *   <li>query cache off: the paper chose MySQL 3.23 because later versions' query cache favours
     *       repetitive queries (§6).</li>
     *   <li>{@code --innodb-autoinc-lock-mode=1} (the default, stated): auto-increment values follow statement
     *       order, never interleaved between concurrent inserts (mode 2), so replicas number rows alike.</li>
     *   <li>no buffer pool dump or load: a replica never starts warmer than another.</li>
     *   <li>{@code --default-time-zone=+00:00}: the same on every machine, not the host's zone.</li>
     * </ul>
     */
    static List<String> serverCommand(String mariadbd, String host, String bindAddress, int port, Path errorLog) {
        List<String> cmd = new ArrayList<>(List.of(mariadbd, "--no-defaults", "--datadir=" + dataDir(host)));
        cmd.addAll(storageOptions());
        cmd.addAll(List.of(
                "--bind-address=" + bindAddress,
                "--port=" + port,
                "--socket=" + socket(host),
                "--pid-file=" + pidFile(host),
                "--log-error=" + errorLog));
        cmd.addAll(commonServerOptions());
        return cmd;
    }

    /** The bootstrap server: the template, a unix socket, no TCP at all (it runs in the root namespace). */
    static List<String> bootstrapCommand(String mariadbd, Path errorLog) {
        List<String> cmd = new ArrayList<>(List.of(mariadbd, "--no-defaults", "--datadir=" + TEMPLATE_DIR));
        cmd.addAll(storageOptions());
        cmd.addAll(List.of(
                "--skip-networking",
                "--socket=" + TEMPLATE_SOCKET,
                "--pid-file=" + BASE_DIR.resolve("template.pid"),
                "--log-error=" + errorLog));
        cmd.addAll(commonServerOptions());
        return cmd;
    }

    private static List<String> commonServerOptions() {
        return List.of(
                "--skip-name-resolve",
                "--skip-log-bin",
                "--skip-ssl",
                "--default-time-zone=+00:00",
                "--query-cache-type=0",
                "--query-cache-size=0",
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-autoinc-lock-mode=1",
                "--innodb-buffer-pool-dump-at-shutdown=0",
                "--innodb-buffer-pool-load-at-startup=0");
    }

    /** {@code mariadb-install-db} into the template: root only by unix socket (the OS user root), no test database. */
    static List<String> installCommand(String installDb) {
        List<String> cmd = new ArrayList<>(List.of(installDb, "--no-defaults", "--datadir=" + TEMPLATE_DIR,
                "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve"));
        cmd.addAll(storageOptions());
        return cmd;
    }

    /**
     * The database and the account: ALL on the database, from any host; with a password the account uses
     * mysql_native_password, whose stored hash SHA1(SHA1(password)) the nodes need (see {@link #PASSWORDS_FILE}).
     */
    static String bootstrapSql(ClusterSpec.MysqlOptions o) {
        String account = "'" + o.user() + "'@'%'";
        return "CREATE DATABASE `" + o.dbName() + "`;\n"
                + "CREATE USER " + account
                + (o.hasPassword() ? " IDENTIFIED VIA mysql_native_password USING PASSWORD('" + sqlString(o.password()) + "')" : "")
                + ";\n"
                + "GRANT ALL ON `" + o.dbName() + "`.* TO " + account + ";\n";
    }

    /** Every account with a mysql_native_password hash, as {@code user:*HEX40}. */
    static final String PASSWORDS_QUERY = "SELECT CONCAT(user, ':', authentication_string) FROM mysql.user "
            + "WHERE plugin = 'mysql_native_password' AND authentication_string REGEXP '^\\\\*[0-9A-F]{40}$' ORDER BY user";

    /** The lines of {@link #PASSWORDS_QUERY}'s output, each checked to be {@code user:*HEX40}. */
    static List<String> passwordLines(String queryOutput) throws ClusterException {
        List<String> lines = queryOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String l : lines) {
            if (!PASSWORD_LINE.matcher(l).matches()) {
                throw new ClusterException("the bootstrap server returned an unexpected password line: " + l);
            }
        }
        return lines;
    }

    /** A string literal's content: backslash and quote escaped (the server's default sql_mode reads backslashes). */
    static String sqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    // ---------------------------------------------------------------- making and removing the files

    /**
     * Makes {@link #BASE_DIR} afresh: the template (installed, bootstrapped, stopped), a copy of it for every
     * host, the passwords file. Logs of install and bootstrap go to {@code runDir}.
     */
    static void prepare(ClusterSpec.MysqlOptions options, List<String> hosts, Path runDir, Consumer<String> log)
            throws ClusterException, TestbedException, InterruptedException {
        String installDb = Sys.require("mariadb-install-db", "mariadb-server");
        String mariadbd = mariadbd();
        Sys.require("mariadb", "mariadb-client");
        Sys.require("mariadb-admin", "mariadb-client");
        long t0 = System.nanoTime();
        remove();
        try {
            Files.createDirectories(BASE_DIR);
            Files.setPosixFilePermissions(BASE_DIR, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new ClusterException("cannot make " + BASE_DIR + ": " + e.getMessage());
        }
        Path installLog = runDir.resolve("mariadb-install.log").toAbsolutePath();
        Process install;
        try {
            install = new ProcessBuilder(installCommand(installDb)).redirectErrorStream(true)
                    .redirectOutput(installLog.toFile()).redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            throw new ClusterException("cannot run " + installDb + ": " + e.getMessage());
        }
        if (install.waitFor() != 0) {
            throw new ClusterException("mariadb-install-db failed (exit " + install.exitValue() + "); "
                    + Cluster.lastLines(installLog));
        }
        List<String> passwords = bootstrap(mariadbd, options, runDir.resolve("mariadb-bootstrap.log").toAbsolutePath());
        try {
            // the installer's buffer pool dump: nothing loads it (no load at startup), so no replica keeps one
            Files.deleteIfExists(TEMPLATE_DIR.resolve("ib_buffer_pool"));
            long size = sizeOf(TEMPLATE_DIR);
            long usable = Files.getFileStore(BASE_DIR).getUsableSpace();
            long needed = size * hosts.size() + (32L << 20);
            if (usable < needed) {
                throw new ClusterException(hosts.size() + " data directories of " + (size >> 20) + " MiB need "
                        + (needed >> 20) + " MiB in " + BASE_DIR + " and only " + (usable >> 20) + " MiB are free");
            }
            for (String host : hosts) {
                copyTree(TEMPLATE_DIR, dataDir(host));
            }
            deleteTree(TEMPLATE_DIR);
            Files.writeString(PASSWORDS_FILE, passwords.stream().map(l -> l + "\n").reduce("", String::concat));
            Files.setPosixFilePermissions(PASSWORDS_FILE, PosixFilePermissions.fromString("rw-------"));
            log.accept("cluster: " + hosts.size() + " identical data director" + (hosts.size() == 1 ? "y" : "ies")
                    + " (" + (size >> 20) + " MiB each) in " + BASE_DIR + ", database " + options.dbName() + ", user "
                    + options.user() + "; took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (IOException e) {
            throw new ClusterException("cannot copy the data directory template: " + e.getMessage());
        }
    }

    /** Starts the template on a socket, creates the database and the account, reads the hashes back, stops it. */
    private static List<String> bootstrap(String mariadbd, ClusterSpec.MysqlOptions options, Path logFile)
            throws ClusterException, TestbedException, InterruptedException {
        Process server;
        try {
            server = new ProcessBuilder(bootstrapCommand(mariadbd, logFile)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            throw new ClusterException("cannot start the bootstrap server " + mariadbd + ": " + e.getMessage());
        }
        try {
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (!ping(TEMPLATE_SOCKET)) {
                if (!server.isAlive()) {
                    throw new ClusterException("the bootstrap server exited at once; " + Cluster.lastLines(logFile));
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new ClusterException("the bootstrap server did not answer within " + START_TIMEOUT_MS / 1000
                            + " s; " + Cluster.lastLines(logFile));
                }
                Thread.sleep(50);
            }
            // on stdin, so the password never shows in a process list
            Sys.Result created = Sys.run(client(TEMPLATE_SOCKET, null, null, false), bootstrapSql(options));
            if (!created.ok()) {
                throw new ClusterException("creating the database and account failed: " + clientError(created));
            }
            Sys.Result hashes = Sys.run(client(TEMPLATE_SOCKET, null, PASSWORDS_QUERY, false));
            if (!hashes.ok()) {
                throw new ClusterException("reading the password hashes failed: " + clientError(hashes));
            }
            List<String> lines = passwordLines(hashes.stdout());
            // SIGTERM is mariadbd's normal shutdown (mariadb-admin shutdown would poll the pid file once a second)
            server.destroy();
            if (!server.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                throw new ClusterException("the bootstrap server did not shut down within " + STOP_GRACE_MS / 1000
                        + " s; " + Cluster.lastLines(logFile));
            }
            if (server.exitValue() != 0) {
                throw new ClusterException("the bootstrap server exited with " + server.exitValue() + "; "
                        + Cluster.lastLines(logFile));
            }
            return lines;
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
                server.waitFor();
            }
        }
    }

    /** Removes {@link #BASE_DIR} and everything in it (the servers must have stopped). */
    static void remove() throws ClusterException {
        try {
            deleteTree(BASE_DIR);
        } catch (IOException e) {
            throw new ClusterException("cannot remove " + BASE_DIR + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- talking to a replica

    /** The server binary: Debian's {@code /usr/sbin/mariadbd} (or an older {@code mysqld}). */
    static String mariadbd() throws TestbedException {
        return Sys.which("mariadbd").or(() -> Sys.which("mysqld")).map(Path::toString)
                .orElseThrow(() -> new TestbedException("mariadbd is not installed (Debian package mariadb-server); "
                        + "run ./artcp setup as root first"));
    }

    /**
     * {@code mariadb} as root on {@code socket}, batch mode (tab-separated, {@code mariadb -B}), in database
     * {@code db} (null: none), running {@code sql} (null: read from stdin).
     */
    static List<String> client(Path socket, String db, String sql, boolean columnNames) throws TestbedException {
        List<String> cmd = new ArrayList<>(List.of(Sys.require("mariadb", "mariadb-client"), "--no-defaults",
                "--socket=" + socket, "--user=root", "--batch", "--connect-timeout=5"));
        if (!columnNames) {
            cmd.add("--skip-column-names");
        }
        if (db != null) {
            cmd.add("--database=" + db);
        }
        if (sql != null) {
            cmd.add("--execute=" + sql);
        }
        return cmd;
    }

    /** Whether the server on {@code socket} answers ({@code mariadb-admin ping}). */
    static boolean ping(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            return Sys.run(List.of(Sys.require("mariadb-admin", "mariadb-client"), "--no-defaults", "--socket=" + socket,
                    "--user=root", "--connect-timeout=2", "ping")).ok();
        } catch (TestbedException e) {
            return false;
        }
    }

    /** Runs {@code sql}; its output lines (with the column names first when asked), or the client's error. */
    static List<String> query(String host, String db, String sql, boolean columnNames) throws ClusterException {
        try {
            Sys.Result r = Sys.run(client(socket(host), db, sql, columnNames));
            if (!r.ok()) {
                throw new ClusterException(host + ": " + clientError(r));
            }
            return r.stdout().lines().toList();
        } catch (TestbedException e) {
            throw new ClusterException(e.getMessage());
        }
    }

    /** The client's {@code ERROR …} line (it echoes the statement around it), else its first line. */
    static String clientError(Sys.Result r) {
        return r.stderr().lines().filter(l -> l.startsWith("ERROR")).findFirst().orElse(r.firstErrorLine());
    }

    // ---------------------------------------------------------------- files

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            long total = 0;
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
