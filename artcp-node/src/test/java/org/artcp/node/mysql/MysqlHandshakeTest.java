package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link MysqlHandshake} over bytes: packets captured from MariaDB 10.11.19, the 10.11 {@code mariadb} CLI
 * (libmariadb 3.3) and Connector/J 9.5 (through the proxy of {@link MysqlHandshakeMariadbTest}, before rewriting), and
 * packets built per the protocol pages where a capture cannot show a case.
 */
class MysqlHandshakeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = "artcp test cluster key, 32 bytes".getBytes(StandardCharsets.US_ASCII);
    /** The cluster scramble the captured clients answered for. */
    private static final byte[] S_C = MysqlHandshake.clusterScramble(KEY, 1, 1000);
    private static final int CLUSTER_ID = 0x0A0B0C0D;
    private static final PasswordHashes HASHES = PasswordHashes.of(Map.of("pw", PasswordHashes.nativeHashOf("secret")));

    /** HandshakeV10 from a server with TLS configured: connection id 10, scramble "Q1@-`{l," + "5cvF9+jUL]l*". */
    private static final byte[] GREETING_A = HEX.parseHex(
            "640000000a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531000a0000005131402d607b6c2c"
            + "00feff080200ff81150000000000001d00000035637646392b6a554c5d6c2a006d7973716c5f6e61746976655f7061737377"
            + "6f726400");
    /** Another connection to the same server: connection id 15, its own scramble. */
    private static final byte[] GREETING_B = HEX.parseHex(
            "640000000a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531000f0000006b73234f47555732"
            + "00feff080200ff81150000000000001d00000036552b72214a30522b216044006d7973716c5f6e61746976655f7061737377"
            + "6f726400");
    /**
     * The CLI's HandshakeResponse41 for user pw, password secret, database t, answering S_C: CLIENT_SECURE_CONNECTION
     * (1-byte token length), CLIENT_CONNECT_WITH_DB, CLIENT_PLUGIN_AUTH, connection attributes, MariaDB extended
     * capabilities in the last 4 reserved bytes.
     */
    private static final byte[] CLI_RESPONSE = HEX.parseHex(
            "d00000018ca2bf000000100021000000000000000000000000000000000000001d00000070770014a83a986de233d915f8bd"
            + "bdfda3ea3489348d8c6e74006d7973716c5f6e61746976655f70617373776f7264007f035f6f73054c696e75780c5f636c69"
            + "656e745f6e616d650a6c69626d617269616462045f7069640531353535360f5f636c69656e745f76657273696f6e06332e33"
            + "2e3230095f706c6174666f726d067838365f36340c70726f6772616d5f6e616d65056d7973716c0c5f7365727665725f686f"
            + "7374093132372e302e302e31");
    /** Connector/J's HandshakeResponse41 (lenenc token, database t, attributes) answering S_C. */
    private static final byte[] CONNECTOR_J_RESPONSE = HEX.parseHex(
            "d30000010ea23e01ffffff002d000000000000000000000000000000000000000000000070770014a83a986de233d915f8bd"
            + "bdfda3ea3489348d8c6e74006d7973716c5f6e61746976655f70617373776f72640082105f72756e74696d655f7665727369"
            + "6f6e0632352e302e330f5f636c69656e745f76657273696f6e05392e352e300f5f636c69656e745f6c6963656e7365034750"
            + "4c0f5f72756e74696d655f76656e646f721045636c697073652041646f707469756d0c5f636c69656e745f6e616d65114d79"
            + "53514c20436f6e6e6563746f722f4a");
    /** The CLI with {@code --default-auth=client_ed25519}: an empty ed25519 first token. */
    private static final byte[] ED25519_RESPONSE = HEX.parseHex(
            "b300000184a2bf000000100021000000000000000000000000000000000000001d00000070770000636c69656e745f656432"
            + "35353139007f035f6f73054c696e75780c5f636c69656e745f6e616d650a6c69626d617269616462045f7069640531353631"
            + "360f5f636c69656e745f76657273696f6e06332e332e3230095f706c6174666f726d067838365f36340c70726f6772616d5f"
            + "6e616d65056d7973716c0c5f7365727665725f686f7374093132372e302e302e31");
    /** The server's answer to it: AuthSwitchRequest to mysql_native_password with GREETING_B's scramble. */
    private static final byte[] AUTH_SWITCH_B = HEX.parseHex(
            "2c000002fe6d7973716c5f6e61746976655f70617373776f7264006b73234f4755573236552b72214a30522b21604400");
    /** The CLI's AuthSwitchResponse answering S_C. */
    private static final byte[] AUTH_SWITCH_RESPONSE = HEX.parseHex(
            "14000003a83a986de233d915f8bdbdfda3ea3489348d8c6e");
    private static final byte[] OK = HEX.parseHex(
            "0700000200000002000000");
    private static final byte[] COMMAND = HEX.parseHex(
            "0a0000000353454c454354203432");

    // Positions in the captured greetings, after the NUL-terminated version string.
    private static final int ID_AT = indexOf(Arrays.copyOfRange(GREETING_A, 5, GREETING_A.length), new byte[1]) + 5 + 1;
    private static final int SCRAMBLE1_AT = ID_AT + 4;
    private static final int CAPABILITIES_AT = SCRAMBLE1_AT + 9;
    private static final int SCRAMBLE2_AT = CAPABILITIES_AT + 18;

    @Test
    void clusterScrambleIsDeterministicAndInMariadbsAlphabet() {
        assertArrayEquals(S_C, MysqlHandshake.clusterScramble(KEY, 1, 1000));
        assertEquals(20, S_C.length);
        for (long isn = 0; isn < 200; isn++) {
            for (byte b : MysqlHandshake.clusterScramble(KEY, 7, isn)) {
                assertTrue(b >= 33 && b <= 126 && b != '$', "printable 7-bit, no NUL, no '$': " + b);
            }
        }
        assertFalse(Arrays.equals(S_C, MysqlHandshake.clusterScramble(KEY, 2, 1000)), "another connection");
        assertFalse(Arrays.equals(S_C, MysqlHandshake.clusterScramble(KEY, 1, 1001)), "another ISN");
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertFalse(Arrays.equals(S_C, MysqlHandshake.clusterScramble(otherKey, 1, 1000)), "another cluster");
        assertThrows(IllegalArgumentException.class, () -> MysqlHandshake.clusterScramble(new byte[8], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MysqlHandshake(new byte[20], 1, HASHES), "NUL");
    }

    @Test
    void greetingGetsClusterScrambleConnectionIdAndNoTls() {
        MysqlHandshake h = handshake();
        byte[] g = GREETING_A.clone();
        assertTrue(h.onServerData(0, g, 0, g.length));

        assertEquals(GREETING_A.length, g.length);
        assertEquals(CLUSTER_ID, u32(g, ID_AT));
        assertArrayEquals(Arrays.copyOfRange(S_C, 0, 8), Arrays.copyOfRange(g, SCRAMBLE1_AT, SCRAMBLE1_AT + 8));
        assertArrayEquals(Arrays.copyOfRange(S_C, 8, 20), Arrays.copyOfRange(g, SCRAMBLE2_AT, SCRAMBLE2_AT + 12));
        assertEquals(0, g[SCRAMBLE2_AT + 12], "the scramble's NUL stays");
        int before = u16(GREETING_A, CAPABILITIES_AT);
        assertTrue((before & MysqlHandshake.CLIENT_SSL) != 0, "the captured server offered TLS");
        assertEquals(before & ~MysqlHandshake.CLIENT_SSL, u16(g, CAPABILITIES_AT));
        int changed = 0;
        for (int i = 0; i < g.length; i++) {
            changed += g[i] != GREETING_A[i] ? 1 : 0;
        }
        assertTrue(changed <= 4 + 20 + 1, "only id, scramble and the SSL bit: " + changed);
        assertArrayEquals(Arrays.copyOfRange(GREETING_A, SCRAMBLE1_AT, SCRAMBLE1_AT + 8),
                Arrays.copyOf(h.localScramble(), 8), "the local scramble is remembered");
        assertFalse(h.done());
    }

    @Test
    void twoReplicasGreetingsBecomeByteIdentical() {
        byte[] a = GREETING_A.clone();
        byte[] b = GREETING_B.clone();
        assertFalse(Arrays.equals(a, b));
        handshake().onServerData(0, a, 0, a.length);
        handshake().onServerData(0, b, 0, b.length);
        assertArrayEquals(a, b);
    }

    @Test
    void capturedCliTokenIsRederivedForTheLocalScramble() {
        for (byte[] response : new byte[][] {CLI_RESPONSE, CONNECTOR_J_RESPONSE}) {
            MysqlHandshake h = handshake();
            byte[] g = GREETING_A.clone();
            h.onServerData(0, g, 0, g.length);
            byte[] r = response.clone();
            int token = indexOf(r, clientToken("secret", S_C));
            assertTrue(token > 0, "the client answered for S_c");

            assertTrue(h.onClientData(0, r, 0, r.length));
            assertArrayEquals(clientToken("secret", scrambleOf(GREETING_A)), Arrays.copyOfRange(r, token, token + 20),
                    "what a client that saw the local scramble would have sent");
            r[token] = response[token];
            for (int i = 0; i < r.length; i++) {
                if (i < token || i >= token + 20) {
                    assertEquals(response[i], r[i], "only the token changes, at " + i);
                }
            }
            assertEquals(1, h.rederived());
            assertEquals(0, h.passedUnchanged());
        }
    }

    @Test
    void builtSecureConnectionResponseWithoutDatabaseOrPluginName() {
        byte[] local = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
        MysqlHandshake h = handshake();
        byte[] g = greeting(local, 77, MysqlHandshake.CLIENT_SECURE_CONNECTION | MysqlHandshake.CLIENT_PROTOCOL_41);
        h.onServerData(0, g, 0, g.length);
        byte[] token = clientToken("secret", S_C);
        byte[] r = response(MysqlHandshake.CLIENT_PROTOCOL_41 | MysqlHandshake.CLIENT_SECURE_CONNECTION, "pw", token,
                null, null);
        assertTrue(h.onClientData(0, r, 0, r.length));
        assertEquals(1, h.rederived());
        assertArrayEquals(clientToken("secret", local), Arrays.copyOfRange(r, r.length - 20, r.length));
    }

    @Test
    void builtLenencResponseWithDatabasePluginAndAttributes() {
        byte[] local = "ZYXWVUTSRQPONMLKJIHG".getBytes(StandardCharsets.US_ASCII);
        MysqlHandshake h = handshake();
        byte[] g = greeting(local, 5, allCapabilities());
        h.onServerData(0, g, 0, g.length);
        byte[] r = response(allCapabilities(), "pw", clientToken("secret", S_C), "t", "mysql_native_password");
        int token = indexOf(r, clientToken("secret", S_C));
        assertTrue(h.onClientData(0, r, 0, r.length));
        assertArrayEquals(clientToken("secret", local), Arrays.copyOfRange(r, token, token + 20));
    }

    @Test
    void wrongPasswordUnknownUserEmptyTokenAndOtherPluginPassUnchanged() {
        byte[] local = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
        byte[][] responses = {
            response(allCapabilities(), "pw", clientToken("wrong", S_C), null, "mysql_native_password"),
            response(allCapabilities(), "nobody", clientToken("secret", S_C), null, "mysql_native_password"),
            response(allCapabilities(), "pw", new byte[0], null, "mysql_native_password"),
            response(allCapabilities(), "pw", clientToken("secret", S_C), null, "client_ed25519"),
            response(allCapabilities(), "pw", Arrays.copyOf(clientToken("secret", S_C), 19), null, null),
            ED25519_RESPONSE,
        };
        for (byte[] response : responses) {
            MysqlHandshake h = handshake();
            byte[] g = greeting(local, 5, allCapabilities());
            h.onServerData(0, g, 0, g.length);
            byte[] r = response.clone();
            assertFalse(h.onClientData(0, r, 0, r.length));
            assertArrayEquals(response, r);
            assertEquals(0, h.rederived());
            assertEquals(1, h.passedUnchanged());
        }
    }

    @Test
    void capturedAuthSwitchIsRewrittenAndItsResponseRederived() {
        MysqlHandshake h = handshake();
        byte[] g = GREETING_B.clone();
        h.onServerData(0, g, 0, g.length);
        byte[] r = ED25519_RESPONSE.clone();
        assertFalse(h.onClientData(0, r, 0, r.length));
        assertTrue(h.awaitingLocalServer(), "the next client packet answers a server packet not seen yet");

        byte[] sw = AUTH_SWITCH_B.clone();
        assertTrue(h.onServerData(g.length, sw, 0, sw.length));
        assertEquals(AUTH_SWITCH_B.length, sw.length);
        int data = 4 + 1 + "mysql_native_password".length() + 1;
        assertArrayEquals(S_C, Arrays.copyOfRange(sw, data, data + 20));
        assertEquals(0, sw[data + 20]);
        assertFalse(h.awaitingLocalServer());

        byte[] a = AUTH_SWITCH_RESPONSE.clone();
        assertTrue(h.onClientData(r.length, a, 0, a.length));
        assertArrayEquals(clientToken("secret", scrambleOf(GREETING_B)), Arrays.copyOfRange(a, 4, 24));
        assertEquals(1, h.rederived());
        assertEquals(1, h.passedUnchanged(), "the empty ed25519 token");

        byte[] ok = OK.clone();
        ok[3] = 4;
        assertFalse(h.onServerData(g.length + sw.length, ok, 0, ok.length));
        assertFalse(h.done());
        byte[] c = COMMAND.clone();
        assertFalse(h.onClientData(r.length + a.length, c, 0, c.length));
        assertTrue(h.done(), "the client's first command ends the handshake");
        assertArrayEquals(COMMAND, c);
    }

    @Test
    void authSwitchWithItsOwnScrambleIsTheOneTheTokenIsDerivedFor() {
        byte[] greetingScramble = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
        byte[] switchScramble = "ABCDEFGHIJKLMNOPQRST".getBytes(StandardCharsets.US_ASCII);
        MysqlHandshake h = handshake();
        byte[] g = greeting(greetingScramble, 5, allCapabilities());
        h.onServerData(0, g, 0, g.length);
        byte[] r = response(allCapabilities(), "pw", new byte[32], null, "caching_sha2_password");
        h.onClientData(0, r, 0, r.length);
        byte[] sw = authSwitch(switchScramble);
        assertTrue(h.onServerData(g.length, sw, 0, sw.length));
        byte[] a = packet(3, clientToken("secret", S_C));
        assertTrue(h.onClientData(r.length, a, 0, a.length));
        assertArrayEquals(clientToken("secret", switchScramble), Arrays.copyOfRange(a, 4, 24));

        // A wrong password in the switch response stays as it is.
        MysqlHandshake wrong = handshake();
        wrong.onServerData(0, g.clone(), 0, g.length);
        wrong.onClientData(0, r.clone(), 0, r.length);
        wrong.onServerData(g.length, authSwitch(switchScramble), 0, sw.length);
        byte[] w = packet(3, clientToken("wrong", S_C));
        assertFalse(wrong.onClientData(r.length, w, 0, w.length));
        assertEquals(2, wrong.passedUnchanged());
    }

    @Test
    void aClientCannotMakeTheNodeKeepUnboundedPatches() {
        MysqlHandshake h = handshake();
        byte[] g = greeting("abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII), 5, allCapabilities());
        h.onServerData(0, g, 0, g.length);
        byte[] r = response(allCapabilities(), "pw", new byte[0], null, "mysql_native_password");
        long offset = 0;
        h.onClientData(offset, r, 0, r.length);
        offset += r.length;
        for (int i = 0; i < 20; i++) {
            byte[] a = packet(3 + 2 * i, clientToken("secret", S_C));
            h.onClientData(offset, a, 0, a.length);
            offset += a.length;
        }
        assertEquals(MysqlHandshake.MAX_CLIENT_AUTH_PACKETS - 1, h.rederived());
        assertTrue(h.done());
    }

    @Test
    void retransmissionsAreRewrittenIdenticallyWhateverTheirSegmentation() {
        MysqlHandshake h = handshake();
        byte[] first = GREETING_A.clone();
        h.onServerData(0, first, 0, first.length);
        byte[] again = GREETING_A.clone();
        assertTrue(h.onServerData(0, again, 0, again.length));
        assertArrayEquals(first, again);
        assertFalse(h.onServerData(0, again, 0, again.length), "already rewritten bytes do not change");
        byte[] slice = Arrays.copyOfRange(GREETING_A, 30, 70);
        h.onServerData(30, slice, 0, slice.length);
        assertArrayEquals(Arrays.copyOfRange(first, 30, 70), slice);
        byte[] padded = new byte[10 + GREETING_A.length];
        System.arraycopy(GREETING_A, 0, padded, 10, GREETING_A.length);
        h.onServerData(0, padded, 10, GREETING_A.length);
        assertArrayEquals(first, Arrays.copyOfRange(padded, 10, padded.length), "buffer offset honoured");

        byte[] r1 = CLI_RESPONSE.clone();
        h.onClientData(0, r1, 0, r1.length);
        byte[] r2 = CLI_RESPONSE.clone();
        assertTrue(h.onClientData(0, r2, 0, r2.length));
        assertArrayEquals(r1, r2);
        byte[] tail = Arrays.copyOfRange(CLI_RESPONSE, 50, CLI_RESPONSE.length);
        h.onClientData(50, tail, 0, tail.length);
        assertArrayEquals(Arrays.copyOfRange(r1, 50, r1.length), tail);
        assertEquals(1, h.rederived(), "a retransmission is not a new token");
        assertEquals(0, h.passedUnchanged());
    }

    @Test
    void greetingAndResponseSplitAcrossSegmentsAreLeftAloneAndCounted() {
        MysqlHandshake h = handshake();
        byte[] g = GREETING_A.clone();
        assertFalse(h.onServerData(0, g, 0, 50));
        assertFalse(h.onServerData(50, g, 50, g.length - 50));
        assertArrayEquals(GREETING_A, g);
        assertEquals(1, h.notWhole());
        assertTrue(h.done(), "nothing can be rewritten any more");

        MysqlHandshake k = handshake();
        k.onServerData(0, GREETING_A.clone(), 0, GREETING_A.length);
        byte[] r = CLI_RESPONSE.clone();
        assertFalse(k.onClientData(0, r, 0, 40));
        assertFalse(k.onClientData(40, r, 40, r.length - 40));
        assertArrayEquals(CLI_RESPONSE, r);
        assertEquals(1, k.notWhole());
        assertEquals(1, k.passedUnchanged());
    }

    @Test
    void sslRequestEndsTheHandshakeUntouched() {
        MysqlHandshake h = handshake();
        h.onServerData(0, GREETING_A.clone(), 0, GREETING_A.length);
        byte[] ssl = Arrays.copyOf(CLI_RESPONSE, 36);
        ssl[0] = 32;
        ssl[5] |= (byte) (MysqlHandshake.CLIENT_SSL >>> 8);
        byte[] copy = ssl.clone();
        assertFalse(h.onClientData(0, ssl, 0, ssl.length));
        assertArrayEquals(copy, ssl);
        assertTrue(h.done());
    }

    @Test
    void clientBeforeTheLocalGreetingIsFlaggedAndLeftAlone() {
        MysqlHandshake h = handshake();
        assertTrue(h.awaitingLocalServer());
        byte[] r = CLI_RESPONSE.clone();
        assertFalse(h.onClientData(0, r, 0, r.length));
        assertArrayEquals(CLI_RESPONSE, r);
        assertEquals(1, h.passedUnchanged());
    }

    @Test
    void errorInsteadOfGreetingIsNotRewritten() {
        MysqlHandshake h = handshake();
        byte[] err = HEX.parseHex("17000000ff1004546f6f206d616e7920636f6e6e656374696f6e73");
        byte[] copy = err.clone();
        assertFalse(h.onServerData(0, err, 0, err.length));
        assertArrayEquals(copy, err);
        assertTrue(h.done());
    }

    @Test
    void okAndCommandInTheSameSegmentsAsOtherBytes() {
        MysqlHandshake h = handshake();
        byte[] g = GREETING_A.clone();
        h.onServerData(0, g, 0, g.length);
        byte[] r = CLI_RESPONSE.clone();
        h.onClientData(0, r, 0, r.length);
        byte[] two = new byte[OK.length + OK.length];
        System.arraycopy(OK, 0, two, 0, OK.length);
        System.arraycopy(OK, 0, two, OK.length, OK.length);
        assertFalse(h.onServerData(g.length, two, 0, two.length), "after OK nothing is parsed");
        byte[] c = new byte[COMMAND.length * 2];
        System.arraycopy(COMMAND, 0, c, 0, COMMAND.length);
        System.arraycopy(COMMAND, 0, c, COMMAND.length, COMMAND.length);
        assertFalse(h.onClientData(r.length, c, 0, c.length));
        assertTrue(h.done());
        assertNotEquals(0, h.rederived());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static MysqlHandshake handshake() {
        return new MysqlHandshake(S_C, CLUSTER_ID, HASHES);
    }

    private static int allCapabilities() {
        return MysqlHandshake.CLIENT_PROTOCOL_41 | MysqlHandshake.CLIENT_SECURE_CONNECTION
                | MysqlHandshake.CLIENT_PLUGIN_AUTH | MysqlHandshake.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
                | MysqlHandshake.CLIENT_CONNECT_WITH_DB | (1 << 20);
    }

    /** What a client computes: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). Written independently of the node. */
    static byte[] clientToken(String password, byte[] scramble) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] stage2 = sha1.digest(stage1);
            sha1.update(scramble);
            byte[] mix = sha1.digest(stage2);
            byte[] token = new byte[20];
            for (int i = 0; i < 20; i++) {
                token[i] = (byte) (stage1[i] ^ mix[i]);
            }
            return token;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] scrambleOf(byte[] greeting) {
        byte[] s = new byte[20];
        System.arraycopy(greeting, SCRAMBLE1_AT, s, 0, 8);
        System.arraycopy(greeting, SCRAMBLE2_AT, s, 8, 12);
        return s;
    }

    /** HandshakeV10 per the MariaDB page, version "10.11.0-x", native plugin, MariaDB extended capabilities. */
    private static byte[] greeting(byte[] scramble, int connectionId, int capabilities) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.writeBytes("5.5.5-10.11.0-x".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        writeU32(p, connectionId);
        p.write(scramble, 0, 8);
        p.write(0);
        p.write(capabilities);
        p.write(capabilities >>> 8);
        p.write(45);
        p.write(2);
        p.write(0);
        p.write(capabilities >>> 16);
        p.write(capabilities >>> 24);
        p.write(21);
        p.writeBytes(new byte[6]);
        writeU32(p, 0x1d);
        p.write(scramble, 8, 12);
        p.write(0);
        if ((capabilities & MysqlHandshake.CLIENT_PLUGIN_AUTH) != 0) {
            p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
        }
        return frame(0, p.toByteArray());
    }

    /** HandshakeResponse41 per the protocol page; attributes appended when CLIENT_CONNECT_ATTRS is set. */
    private static byte[] response(int requested, String user, byte[] token, String db, String plugin) {
        int capabilities = requested & ~(db == null ? MysqlHandshake.CLIENT_CONNECT_WITH_DB : 0)
                & ~(plugin == null ? MysqlHandshake.CLIENT_PLUGIN_AUTH : 0);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        writeU32(p, capabilities);
        writeU32(p, 1 << 24);
        p.write(45);
        p.writeBytes(new byte[23]);
        p.writeBytes(user.getBytes(StandardCharsets.UTF_8));
        p.write(0);
        p.write(token.length);
        p.writeBytes(token);
        if (db != null) {
            p.writeBytes(db.getBytes(StandardCharsets.UTF_8));
            p.write(0);
        }
        if (plugin != null) {
            p.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII));
            p.write(0);
        }
        if ((capabilities & (1 << 20)) != 0) {
            byte[] attrs = "\u0003_os\u0005Linux".getBytes(StandardCharsets.US_ASCII);
            p.write(attrs.length);
            p.writeBytes(attrs);
        }
        return frame(1, p.toByteArray());
    }

    private static byte[] authSwitch(byte[] scramble) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xFE);
        p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(scramble);
        p.write(0);
        return frame(2, p.toByteArray());
    }

    private static byte[] packet(int sequenceId, byte[] payload) {
        return frame(sequenceId, payload);
    }

    private static byte[] frame(int sequenceId, byte[] payload) {
        byte[] f = new byte[4 + payload.length];
        f[0] = (byte) payload.length;
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) (payload.length >>> 16);
        f[3] = (byte) sequenceId;
        System.arraycopy(payload, 0, f, 4, payload.length);
        return f;
    }

    private static void writeU32(ByteArrayOutputStream p, int v) {
        for (int i = 0; i < 4; i++) {
            p.write(v >>> (8 * i));
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] b, int at) {
        return u16(b, at) | u16(b, at + 2) << 16;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
