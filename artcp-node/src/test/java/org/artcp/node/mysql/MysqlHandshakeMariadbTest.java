package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * server accepts the re-derived token. Needs root (mariadbd runs as {@code --user=root}); skipped with the reason
 * otherwise.
 */
class MysqlHandshakeMariadbTest {
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final int CLUSTER_CONNECTION_ID = 0x0A0B0C0D;
    private static final byte[] CLUSTER_KEY = "artcp test cluster key, 32 bytes".getBytes(StandardCharsets.US_ASCII);

    private static String unavailable;
    private static Path dir;
    private static Process server;
    private static int serverPort;

    @BeforeAll
    static void startMariadb() throws Exception {
        unavailable = unavailableReason();
        if (unavailable != null) {
            System.err.println("MysqlHandshakeMariadbTest skipped: " + unavailable);
            return;
        }
        dir = Files.createTempDirectory("artcpt-mariadb-");
        run(dir.resolve("install.log"), "mariadb-install-db", "--no-defaults", "--auth-root-authentication-method=normal",
                "--user=root", "--datadir=" + dir.resolve("data"), "--skip-test-db");
        run(dir.resolve("openssl.log"), "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString());
        serverPort = freePort();
        server = new ProcessBuilder(MARIADBD.toString(), "--no-defaults", "--user=root", "--datadir=" + dir.resolve("data"),
                "--port=" + serverPort, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--skip-log-bin", "--innodb-buffer-pool-size=16M",
                "--ssl-cert=" + dir.resolve("cert.pem"), "--ssl-key=" + dir.resolve("key.pem"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        waitForSocket();
        cli(List.of("-S", dir.resolve("mysqld.sock").toString(), "-u", "root"),
                "CREATE DATABASE t; CREATE USER pw@'%' IDENTIFIED BY 'secret'; GRANT ALL ON t.* TO pw@'%';").assertOk();
    }

    @AfterAll
    static void stopMariadb() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
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
        Result r = cli(List.of("-N", "-S", dir.resolve("mysqld.sock").toString(), "-u", "root"),
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

    /** One client connection through the proxy: its own {@link MysqlHandshake} and what each side sent first. */
    static final class Session {
        final byte[] clusterScramble;
        final MysqlHandshake handshake;
        volatile byte[] originalGreeting;
        volatile byte[] seenGreeting;
        volatile boolean authSwitch;

        Session(byte[] clusterScramble, PasswordHashes hashes) {
            this.clusterScramble = clusterScramble;
            this.handshake = new MysqlHandshake(clusterScramble, CLUSTER_CONNECTION_ID, hashes);
        }

        synchronized boolean onServer(long offset, byte[] buf, int n) {
            if (offset == 0) {
                originalGreeting = Arrays.copyOf(buf, n);
            } else if (!handshake.done() && n > 4 && (buf[4] & 0xFF) == 0xFE) {
                authSwitch = true;
            }
            boolean changed = !handshake.done() && handshake.onServerData(offset, buf, 0, n);
            if (offset == 0) {
                seenGreeting = Arrays.copyOf(buf, n);
            }
            return changed;
        }

        synchronized boolean onClient(long offset, byte[] buf, int n) {
            return !handshake.done() && handshake.onClientData(offset, buf, 0, n);
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
     * Loopback TCP proxy: every accepted client connection gets a {@link Session} and a connection to the server; the
     * bytes of each read pass through the session's {@link MysqlHandshake} until it is done, exactly as the node passes
     * segments (on loopback each of the handshake's packets arrives in one read).
     */
    static final class RewritingProxy implements AutoCloseable {
        final List<Session> sessions = new CopyOnWriteArrayList<>();
        private final ServerSocket listener;
        private final int serverPort;
        private final PasswordHashes hashes;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        RewritingProxy(int serverPort, PasswordHashes hashes) throws IOException {
            this.serverPort = serverPort;
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

        private void acceptLoop() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(upstream);
                    Session s = new Session(MysqlHandshake.clusterScramble(CLUSTER_KEY, sessions.size() + 1, 1000),
                            hashes);
                    sessions.add(s);
                    Thread.ofPlatform().daemon().start(() -> pump(upstream, client, s, true));
                    Thread.ofPlatform().daemon().start(() -> pump(client, upstream, s, false));
                }
            } catch (IOException closed) {
                // close() closed the listener
            }
        }

        private static void pump(Socket from, Socket to, Session s, boolean fromServer) {
            byte[] buf = new byte[65536];
            long offset = 0;
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (fromServer) {
                        s.onServer(offset, buf, n);
                    } else {
                        s.onClient(offset, buf, n);
                    }
                    offset += n;
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException closed) {
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

    private static void waitForSocket() throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!server.isAlive()) {
                throw new IOException("mariadbd exited: " + Files.readString(dir.resolve("server.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("mariadbd did not listen: " + Files.readString(dir.resolve("server.log")));
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
