package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MysqlHandshake} against a real MariaDB: a private {@code mariadbd} on loopback (own datadir, socket and TLS
 * certificate in a temp dir), and a test-only TCP proxy in front of it that applies exactly the node's rewriting, with a
 * fixed "cluster" scramble and connection id. Real clients (the {@code mariadb} CLI, and Connector/J when its jar is in
 * the local Maven repository) log in through the proxy: they see only the cluster scramble, answer for it, and the
 * server accepts the re-derived token. With two servers behind the proxy (client bytes to both, server 0's to the
 * client), both replicas' rewritten streams are byte-identical, which is what the aggregator needs. Needs root (mariadbd runs as {@code --user=root}); skipped with the reason
 * otherwise.
 */
class MysqlHandshakeMariadbTest {
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final int CLUSTER_CONNECTION_ID = 0x0A0B0C0D;
    private static final byte[] CLUSTER_KEY = "artcp test cluster key, 32 bytes".getBytes(StandardCharsets.US_ASCII);

    private static String unavailable;
    private static Path dir;
    private static LocalMariadb server;
    private static LocalMariadb replica;
    private static int serverPort;

    @BeforeAll
    static void startMariadb() throws Exception {
        unavailable = unavailableReason();
        if (unavailable != null) {
            System.err.println("MysqlHandshakeMariadbTest skipped: " + unavailable);
            return;
        }
        dir = Files.createTempDirectory("artcpt-mariadb-");
        run(dir.resolve("openssl.log"), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString());
        server = LocalMariadb.start(dir.resolve("a"));
        serverPort = server.port;
        replica = LocalMariadb.start(dir.resolve("b"));
    }

    @AfterAll
    static void stopMariadb() throws Exception {
        for (LocalMariadb m : new LocalMariadb[] {server, replica}) {
            if (m != null) {
                m.stop();
            }
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A private mariadbd: datadir, socket and logs under {@code home}, TLS with the shared test certificate. */
    static final class LocalMariadb {
        final Path home;
        final int port;
        final Process process;

        private LocalMariadb(Path home, int port, Process process) {
            this.home = home;
            this.port = port;
            this.process = process;
        }

        static LocalMariadb start(Path home) throws Exception {
            Files.createDirectories(home);
            run(home.resolve("install.log"), "mariadb-install-db", "--no-defaults",
                    "--auth-root-authentication-method=normal", "--user=root", "--datadir=" + home.resolve("data"),
                    "--skip-test-db");
            int port = freePort();
            Process p = new ProcessBuilder(MARIADBD.toString(), "--no-defaults", "--user=root",
                    "--datadir=" + home.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + home.resolve("mysqld.sock"), "--pid-file=" + home.resolve("mysqld.pid"),
                    "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--ssl-cert=" + dir.resolve("cert.pem"),
                    "--ssl-key=" + dir.resolve("key.pem"))
                    .redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile()).start();
            LocalMariadb m = new LocalMariadb(home, port, p);
            m.waitForSocket();
            cli(m.socketArgs(), "CREATE DATABASE t; CREATE USER pw@'%' IDENTIFIED BY 'secret';"
                    + " GRANT ALL ON t.* TO pw@'%';").assertOk();
            return m;
        }

        List<String> socketArgs() {
            return List.of("-S", home.resolve("mysqld.sock").toString(), "-u", "root");
        }

        /** SIGTERM to this server's PID, then wait for its clean shutdown. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        private void waitForSocket() throws Exception {
            for (int i = 0; i < 600; i++) {
                if (!process.isAlive()) {
                    throw new IOException("mariadbd exited: " + Files.readString(home.resolve("server.log")));
                }
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            throw new IOException("mariadbd did not listen: " + Files.readString(home.resolve("server.log")));
        }
    }

    @BeforeEach
    void requireMariadb() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    @Test
    void cliLogsInThroughTheRewritingProxy() throws Exception {
        try (RewritingProxy proxy = new RewritingProxy(serverPort, hashes())) {
            Result r = cli(tcp(proxy.port(), "pw", "secret", "-D", "t"), "SELECT 1 + 1, CURRENT_USER()");
            r.assertOk();
            assertTrue(r.output().contains("2\tpw@%"), r.output());

            Session s = proxy.onlySession();
            assertEquals(1, s.handshake.rederived());
            assertEquals(0, s.handshake.passedUnchanged());
            assertEquals(0, s.handshake.notWhole());
            assertTrue(s.handshake.done());
            s.assertClientSawClusterGreeting();
        }
    }

    @Test
    void twoReplicasGreetAcceptAndAnswerByteForByteAlike() throws Exception {
        for (String[] login : new String[][] {{"pw", "secret"}, {"pw", "wrong"}}) {
            try (RewritingProxy proxy = new RewritingProxy(new int[] {server.port, replica.port}, hashes())) {
                Result r = cli(tcp(proxy.port(), login[0], login[1], "-D", "t"),
                        "CREATE TABLE IF NOT EXISTS kv (k INT PRIMARY KEY, v INT); REPLACE INTO kv VALUES (1, 2);"
                                + " SELECT v FROM kv WHERE k = 1");
                proxy.awaitServersClosed();
                Session s = proxy.onlySession();
                byte[] a = s.sentBy(0);
                byte[] b = s.sentBy(1);
                assertTrue(a.length > 0);
                assertArrayEquals(a, b, "the replicas' rewritten streams are identical:\n" + HexFormat.of().formatHex(a)
                        + "\n" + HexFormat.of().formatHex(b));
                if (login[1].equals("secret")) {
                    r.assertOk();
                    assertTrue(r.output().contains("v\n2"), r.output());
                    for (MysqlHandshake h : s.handshakes) {
                        assertEquals(1, h.rederived());
                    }
                } else {
                    assertTrue(r.output().contains("ERROR 1045"), r.output());
                    for (MysqlHandshake h : s.handshakes) {
                        assertEquals(1, h.passedUnchanged());
                    }
                }
            }
        }
        // Both servers really hold the row: each replica executed the client's statements.
        for (LocalMariadb m : new LocalMariadb[] {server, replica}) {
            Result r = cli(m.socketArgs(), "SELECT v FROM t.kv WHERE k = 1");
            r.assertOk();
            assertTrue(r.output().contains("v\n2"), r.output());
        }
    }

    @Test
    void theServerOffersTlsButTheClientIsToldItCannot() throws Exception {
        Result direct = cli(List.of("--protocol=tcp", "-h", "127.0.0.1", "-P", String.valueOf(serverPort), "-u", "pw",
                "-psecret", "--ssl"), "SHOW SESSION STATUS LIKE 'Ssl_cipher'");
        direct.assertOk();
        assertTrue(direct.output().matches("(?s).*Ssl_cipher\t\\S+.*"), "direct login uses TLS: " + direct.output());
        try (RewritingProxy proxy = new RewritingProxy(serverPort, hashes())) {
            Result r = cli(tcp(proxy.port(), "pw", "secret"), "SHOW SESSION STATUS LIKE 'Ssl_cipher'");
            r.assertOk();
            assertTrue(r.output().matches("(?s).*Ssl_cipher\t?\\s*"), "no TLS through the proxy: " + r.output());
            Session s = proxy.onlySession();
            assertTrue((s.originalGreetingCapabilities() & MysqlHandshake.CLIENT_SSL) != 0, "the server offered TLS");
            assertEquals(0, s.seenGreetingCapabilities() & MysqlHandshake.CLIENT_SSL);
        }
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAsTheServerItselfRefusesThem() throws Exception {
        for (String[] login : new String[][] {{"pw", "wrong"}, {"nobody", "secret"}}) {
            Result direct = cli(tcp(serverPort, login[0], login[1]), "SELECT 1");
            try (RewritingProxy proxy = new RewritingProxy(serverPort, hashes())) {
                Result r = cli(tcp(proxy.port(), login[0], login[1]), "SELECT 1");
                assertNotEquals(0, r.exit());
                assertTrue(r.output().contains("ERROR 1045 (28000): Access denied for user '" + login[0] + "'"),
                        r.output());
                assertEquals(direct.output(), r.output(), "the same refusal as without the proxy");
                Session s = proxy.onlySession();
                assertEquals(0, s.handshake.rederived());
                assertEquals(1, s.handshake.passedUnchanged());
            }
        }
    }

    @Test
    void authSwitchToNativePasswordIsRewrittenToo() throws Exception {
        // The client starts with another plugin; the server asks it to switch to mysql_native_password.
        try (RewritingProxy proxy = new RewritingProxy(serverPort, hashes())) {
            Result r = cli(tcp(proxy.port(), "pw", "secret", "--default-auth=client_ed25519"), "SELECT 42");
            r.assertOk();
            assertTrue(r.output().contains("42"), r.output());
            Session s = proxy.onlySession();
            assertEquals(1, s.handshake.rederived(), "the AuthSwitchResponse");
            assertEquals(1, s.handshake.passedUnchanged(), "the ed25519 token in the HandshakeResponse41");
            assertTrue(s.sawServerAuthSwitch(), "the server did send an AuthSwitchRequest");
        }
    }

    @Test
    void connectorJLogsInThroughTheRewritingProxy() throws Exception {
        Driver driver = connectorJ();
        Assumptions.assumeTrue(driver != null, "Connector/J is neither on the classpath nor in ~/.m2");
        for (String plugin : List.of("mysql_native_password", "caching_sha2_password")) {
            try (RewritingProxy proxy = new RewritingProxy(serverPort, hashes())) {
                Properties p = new Properties();
                p.setProperty("user", "pw");
                p.setProperty("password", "secret");
                p.setProperty("defaultAuthenticationPlugin", plugin);
                try (Connection c = driver.connect("jdbc:mysql://127.0.0.1:" + proxy.port() + "/t", p);
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT 6 * 7")) {
                    assertTrue(rs.next());
                    assertEquals(42, rs.getInt(1));
                }
                Session s = proxy.sessions.getFirst();
                assertEquals(1, s.handshake.rederived(), plugin);
                s.assertClientSawClusterGreeting();
            }
        }
    }

    private static PasswordHashes hashes() throws Exception {
        List<String> args = new ArrayList<>(List.of("-N"));
        args.addAll(server.socketArgs());
        Result r = cli(args,
                "SELECT CONCAT(user, ':', authentication_string) FROM mysql.user WHERE plugin = 'mysql_native_password'");
        r.assertOk();
        Path file = dir.resolve("passwords.txt");
        Files.writeString(file, "# from mysql.user\n" + r.output());
        PasswordHashes h = PasswordHashes.load(file);
        assertArrayEquals(PasswordHashes.nativeHashOf("secret"), h.nativeHash("pw"));
        return h;
    }

    private static List<String> tcp(int port, String user, String password, String... more) {
        List<String> args = new ArrayList<>(List.of("--protocol=tcp", "-h", "127.0.0.1", "-P", String.valueOf(port),
                "-u", user, "-p" + password));
        args.addAll(List.of(more));
        return args;
    }

    /**
     * One client connection through the proxy: per server, its own {@link MysqlHandshake} (same cluster scramble and
     * connection id) and the rewritten bytes it sent; server 0 is the one whose bytes reach the client.
     */
    static final class Session {
        final byte[] clusterScramble;
        final MysqlHandshake[] handshakes;
        /** Server 0's handshake: the one the client talks to. */
        final MysqlHandshake handshake;
        final ByteArrayOutputStream[] sent;
        volatile byte[] originalGreeting;
        volatile byte[] seenGreeting;
        volatile boolean authSwitch;

        Session(byte[] clusterScramble, PasswordHashes hashes, int servers) {
            this.clusterScramble = clusterScramble;
            this.handshakes = new MysqlHandshake[servers];
            this.sent = new ByteArrayOutputStream[servers];
            for (int i = 0; i < servers; i++) {
                handshakes[i] = new MysqlHandshake(clusterScramble, CLUSTER_CONNECTION_ID, hashes);
                sent[i] = new ByteArrayOutputStream();
            }
            this.handshake = handshakes[0];
        }

        synchronized void onServer(int server, long offset, byte[] buf, int n) {
            MysqlHandshake h = handshakes[server];
            if (server == 0 && offset == 0) {
                originalGreeting = Arrays.copyOf(buf, n);
            } else if (server == 0 && !h.done() && n > 4 && (buf[4] & 0xFF) == 0xFE) {
                authSwitch = true;
            }
            if (!h.done()) {
                h.onServerData(offset, buf, 0, n);
            }
            if (server == 0 && offset == 0) {
                seenGreeting = Arrays.copyOf(buf, n);
            }
            sent[server].write(buf, 0, n);
            notifyAll();
        }

        /**
         * Rewrites the client's bytes for {@code server}, first waiting (as a node may hold a segment) until that
         * server's own greeting or answer to the last auth packet has been seen.
         */
        synchronized void onClient(int server, long offset, byte[] buf, int n) throws InterruptedException {
            MysqlHandshake h = handshakes[server];
            for (int i = 0; i < 100 && !h.done() && h.awaitingLocalServer(); i++) {
                wait(100);
            }
            if (!h.done()) {
                h.onClientData(offset, buf, 0, n);
            }
        }

        synchronized byte[] sentBy(int server) {
            return sent[server].toByteArray();
        }

        boolean sawServerAuthSwitch() {
            return authSwitch;
        }

        int originalGreetingCapabilities() {
            return lowCapabilities(originalGreeting);
        }

        int seenGreetingCapabilities() {
            return lowCapabilities(seenGreeting);
        }

        private static int lowCapabilities(byte[] g) {
            int at = nul(g, 5) + 1 + 4 + 8 + 1;
            return (g[at] & 0xFF) | (g[at + 1] & 0xFF) << 8;
        }

        void assertClientSawClusterGreeting() {
            byte[] g = seenGreeting;
            assertEquals(originalGreeting.length, g.length, "same length");
            int id = nul(g, 5) + 1;
            assertEquals(CLUSTER_CONNECTION_ID, (g[id] & 0xFF) | (g[id + 1] & 0xFF) << 8 | (g[id + 2] & 0xFF) << 16
                    | (g[id + 3] & 0xFF) << 24);
            byte[] scramble = new byte[20];
            System.arraycopy(g, id + 4, scramble, 0, 8);
            System.arraycopy(g, id + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6 + 4, scramble, 8, 12);
            assertArrayEquals(clusterScramble, scramble, HexFormat.of().formatHex(g));
        }

        private static int nul(byte[] b, int from) {
            int i = from;
            while (b[i] != 0) {
                i++;
            }
            return i;
        }
    }

    /**
     * Loopback TCP proxy: every accepted client connection gets a {@link Session} and a connection to each server; the
     * client's bytes go to every server, each copy through that server's {@link MysqlHandshake} until it is done, as a
     * node passes segments (on loopback each of the handshake's packets arrives in one read); server 0's rewritten
     * bytes go to the client, the others' are only recorded (a miniature of the replicated connection).
     */
    static final class RewritingProxy implements AutoCloseable {
        final List<Session> sessions = new CopyOnWriteArrayList<>();
        private final ServerSocket listener;
        private final int[] serverPorts;
        private final PasswordHashes hashes;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> pumps = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        RewritingProxy(int serverPort, PasswordHashes hashes) throws IOException {
            this(new int[] {serverPort}, hashes);
        }

        RewritingProxy(int[] serverPorts, PasswordHashes hashes) throws IOException {
            this.serverPorts = serverPorts;
            this.hashes = hashes;
            this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            this.acceptor = Thread.ofPlatform().daemon().name("proxy-accept").start(this::acceptLoop);
        }

        int port() {
            return listener.getLocalPort();
        }

        Session onlySession() {
            assertEquals(1, sessions.size(), "one client connection");
            return sessions.getFirst();
        }

        /** Waits until every server has closed its side of every session (after the client went away). */
        void awaitServersClosed() throws InterruptedException {
            for (Thread t : pumps) {
                t.join(30_000);
            }
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    client.setTcpNoDelay(true);
                    sockets.add(client);
                    Socket[] upstream = new Socket[serverPorts.length];
                    for (int i = 0; i < upstream.length; i++) {
                        upstream[i] = new Socket(InetAddress.getLoopbackAddress(), serverPorts[i]);
                        upstream[i].setTcpNoDelay(true);
                        sockets.add(upstream[i]);
                    }
                    Session s = new Session(MysqlHandshake.clusterScramble(CLUSTER_KEY, sessions.size() + 1, 1000),
                            hashes, upstream.length);
                    sessions.add(s);
                    for (int i = 0; i < upstream.length; i++) {
                        int server = i;
                        pumps.add(Thread.ofPlatform().daemon().start(() -> fromServer(upstream[server], server,
                                server == 0 ? client : null, s)));
                    }
                    Thread.ofPlatform().daemon().start(() -> fromClient(client, upstream, s));
                }
            } catch (IOException closed) {
                // close() closed the listener
            }
        }

        private static void fromServer(Socket from, int server, Socket client, Session s) {
            byte[] buf = new byte[65536];
            long offset = 0;
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    s.onServer(server, offset, buf, n);
                    offset += n;
                    if (client != null) {
                        client.getOutputStream().write(buf, 0, n);
                    }
                }
                if (client != null) {
                    client.shutdownOutput();
                }
            } catch (IOException closed) {
                // either side went away
            }
        }

        private static void fromClient(Socket client, Socket[] upstream, Session s) {
            byte[] buf = new byte[65536];
            long offset = 0;
            try (InputStream in = client.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < upstream.length; i++) {
                        byte[] copy = Arrays.copyOf(buf, n);
                        s.onClient(i, offset, copy, n);
                        upstream[i].getOutputStream().write(copy, 0, n);
                    }
                    offset += n;
                }
                for (Socket u : upstream) {
                    u.shutdownOutput();
                }
            } catch (IOException | InterruptedException closed) {
                // either side went away
            }
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
            acceptor.join(5000);
        }
    }

    record Result(int exit, String output) {
        void assertOk() {
            assertEquals(0, exit, output);
        }
    }

    /** Runs the {@code mariadb} CLI with {@code args} and {@code -e sql}. */
    private static Result cli(List<String> args, String sql) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "--batch"));
        command.addAll(args);
        command.addAll(List.of("-e", sql));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + ": timed out");
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    private static void run(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String unavailableReason() throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        if (!uid.equals("0")) {
            return "needs root (uid is " + uid + ")";
        }
        for (String tool : List.of("/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/mariadb",
                "/usr/bin/openssl")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** Connector/J from the test classpath, or else from the local Maven repository, or null. */
    private static Driver connectorJ() throws Exception {
        try {
            return (Driver) Class.forName("com.mysql.cj.jdbc.Driver").getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException notOnClasspath) {
            Path repo = Path.of(System.getProperty("user.home"), ".m2/repository/com/mysql/mysql-connector-j");
            if (!Files.isDirectory(repo)) {
                return null;
            }
            List<Path> jars;
            try (Stream<Path> paths = Files.walk(repo)) {
                jars = paths.filter(f -> f.getFileName().toString().matches("mysql-connector-j-[0-9.]+\\.jar")).sorted()
                        .toList();
            }
            if (jars.isEmpty()) {
                return null;
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {jars.getLast().toUri().toURL()},
                    MysqlHandshakeMariadbTest.class.getClassLoader());
            return (Driver) Class.forName("com.mysql.cj.jdbc.Driver", true, loader).getDeclaredConstructor()
                    .newInstance();
        }
    }

}
