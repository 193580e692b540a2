package org.artcp.node.mysql;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MySQL/MariaDB connection phase of one replicated connection on one node, rewritten so that every replica looks
 * like one server (DESIGN §2: the local servers are unmodified, the node edits their bytes).
 *
 * <p>Each replica's greeting (HandshakeV10, <a href="https://mariadb.com/kb/en/connection/">MariaDB: Connecting</a>)
 * carries its own random 20-byte scramble s_i and its own connection ("thread") id. Every node rewrites its local
 * server's greeting in place, same length, so that all replicas' greetings are byte-identical: the scramble becomes the
 * cluster scramble S_c ({@link #clusterScramble}), the connection id a cluster value, and {@code CLIENT_SSL} is cleared
 * (TLS would hide the stream from the node). The client then answers for S_c, and before the client's
 * HandshakeResponse41 (or AuthSwitchResponse) reaches the local server the node re-derives the
 * {@code mysql_native_password} token for s_i: with H2 = SHA1(SHA1(pw)) the token is SHA1(pw) XOR SHA1(S_c + H2), so
 * H1 = token XOR SHA1(S_c + H2); if SHA1(H1) = H2 the password is right and the local server gets
 * H1 XOR SHA1(s_i + H2). If it is wrong, or the user is unknown, the token is left alone, so every local server refuses
 * it exactly as one server would. An AuthSwitchRequest to {@code mysql_native_password} gets S_c too, and its local
 * scramble becomes the one the next token is derived for.
 *
 * <p>Limits: only {@code mysql_native_password} accounts with a password are re-derived (empty tokens pass unchanged
 * and work, since no scramble is involved; other plugins' tokens pass unchanged and are refused by the replicas). The
 * greeting and each client auth packet must arrive whole in one segment (they are &lt; 1 KiB); one that does not is
 * left unchanged and counted in {@link #notWhole()}. No TLS (a client that insists on TLS sends an SSLRequest, which is
 * left alone, and the handshake ends here). {@code COM_CHANGE_USER} after the handshake is not rewritten.
 *
 * <p>Rewrites are kept as patches over absolute stream offsets, so a retransmission, with the same or a different
 * segmentation, is rewritten identically. Offsets are the connection's first bytes and never wrap.
 */
public final class MysqlHandshake {
    /** Length of a {@code mysql_native_password} scramble and token. */
    public static final int SCRAMBLE_LENGTH = 20;

    static final int CLIENT_MYSQL = 1;
    static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    static final int CLIENT_PROTOCOL_41 = 1 << 9;
    static final int CLIENT_SSL = 1 << 11;
    static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    static final String NATIVE_PLUGIN = "mysql_native_password";

    private static final int HEADER_LENGTH = 4;
    private static final int PROTOCOL_VERSION = 10;
    private static final int OK = 0x00;
    private static final int MORE_DATA = 0x01;
    private static final int AUTH_SWITCH = 0xFE;
    private static final int ERR = 0xFF;
    /** Client capabilities, max packet size, collation and the 23 reserved bytes before the user name. */
    private static final int RESPONSE_FIXED_LENGTH = 32;
    /** Client auth packets looked at, at most: bounds the patches a client can make the node keep. */
    static final int MAX_CLIENT_AUTH_PACKETS = 8;
    private static final byte[] SCRAMBLE_LABEL = "artcp mysql cluster scramble".getBytes(StandardCharsets.US_ASCII);
    /** Printable ASCII without '$', as MariaDB's own scrambles: 7-bit, never NUL, never '$'. */
    private static final byte[] SCRAMBLE_ALPHABET = scrambleAlphabet();

    /** Where the local server's stream is. */
    private enum ServerState {
        /** Waiting for the greeting at offset 0. */
        GREETING,
        /** Greeting rewritten; the next server packet answers the client's last auth packet. */
        AUTH,
        /** Authentication ended (OK or ERR), or the stream is not one this class understands: nothing more to do. */
        OVER
    }

    /** Where the client's stream is. */
    private enum ClientState {
        /** Waiting for the HandshakeResponse41 at offset 0. */
        RESPONSE,
        /** Response seen; later packets with a non-zero sequence id continue the authentication. */
        AUTH,
        /** The client sent its first command (sequence id 0), or TLS/an unreadable stream: the handshake is over. */
        OVER
    }

    /** Replacement bytes for {@code [offset, offset + bytes.length)} of one stream. */
    private record Patch(long offset, byte[] bytes) {
    }

    private final byte[] clusterScramble;
    private final int clusterConnectionId;
    private final PasswordHashes hashes;
    private final MessageDigest sha1 = PasswordHashes.sha1();
    private final List<Patch> serverPatches = new ArrayList<>(4);
    private final List<Patch> clientPatches = new ArrayList<>(2);

    private ServerState serverState = ServerState.GREETING;
    private ClientState clientState = ClientState.RESPONSE;
    private long nextServerPacket;
    private long nextClientPacket;
    private int clientAuthPackets;
    /** The scramble the local server sent last (greeting or auth switch), or null before the greeting. */
    private byte[] localScramble;
    /** H2 of the user named in the HandshakeResponse41, or null if unknown. */
    private byte[] userHash;
    /** The client sent an auth packet the local server has not answered yet (as far as this node has seen). */
    private boolean clientAwaitsServer;
    private long rederived;
    private long passedUnchanged;
    private long notWhole;

    /**
     * @param clusterScramble     S_c for this connection, 20 bytes, the same on every node ({@link #clusterScramble})
     * @param clusterConnectionId the connection id every replica's greeting shows (the greeting's "thread id")
     * @param hashes              the {@code mysql_native_password} hashes of the accounts clients log in with
     */
    public MysqlHandshake(byte[] clusterScramble, int clusterConnectionId, PasswordHashes hashes) {
        if (clusterScramble.length != SCRAMBLE_LENGTH) {
            throw new IllegalArgumentException("cluster scramble must be " + SCRAMBLE_LENGTH + " bytes");
        }
        for (byte b : clusterScramble) {
            if (b == 0) {
                throw new IllegalArgumentException("cluster scramble must not contain NUL (clients read it as a C string)");
            }
        }
        this.clusterScramble = clusterScramble.clone();
        this.clusterConnectionId = clusterConnectionId;
        this.hashes = hashes;
    }

    /**
     * S_c: HMAC-SHA-256 under the cluster key of (label, connectionKey, clientIsn), mapped onto MariaDB's scramble
     * alphabet (printable 7-bit ASCII without '$'), 20 bytes. Every node computes the same value without a round trip.
     *
     * @param clusterKey the shared cluster key, at least 16 bytes
     */
    public static byte[] clusterScramble(byte[] clusterKey, long connectionKey, long clientIsn) {
        if (clusterKey.length < 16) {
            throw new IllegalArgumentException("cluster key must be at least 16 bytes");
        }
        byte[] digest;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
            mac.update(SCRAMBLE_LABEL);
            byte[] numbers = new byte[16];
            for (int i = 0; i < 8; i++) {
                numbers[i] = (byte) (connectionKey >>> (56 - 8 * i));
                numbers[8 + i] = (byte) (clientIsn >>> (56 - 8 * i));
            }
            digest = mac.doFinal(numbers);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        byte[] scramble = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < SCRAMBLE_LENGTH; i++) {
            scramble[i] = SCRAMBLE_ALPHABET[(digest[i] & 0xFF) % SCRAMBLE_ALPHABET.length];
        }
        return scramble;
    }

    private static byte[] scrambleAlphabet() {
        byte[] a = new byte[126 - 33];
        int n = 0;
        for (int c = 33; c <= 126; c++) {
            if (c != '$') {
                a[n++] = (byte) c;
            }
        }
        return a;
    }

    /**
     * Local server to client bytes at server stream offset {@code streamOffset} (0 = the greeting's first byte).
     * Rewrites the greeting and a {@code mysql_native_password} AuthSwitchRequest in place, same length.
     *
     * @return whether bytes changed (the caller fixes the TCP checksum)
     */
    public boolean onServerData(long streamOffset, byte[] buf, int off, int len) {
        long end = streamOffset + len;
        while (serverState != ServerState.OVER && nextServerPacket >= streamOffset && nextServerPacket < end) {
            int at = off + (int) (nextServerPacket - streamOffset);
            int available = off + len - at;
            if (available < HEADER_LENGTH + 1) {
                // The packet's length or type is in the next segment: its start cannot be found any more.
                notWhole++;
                serverState = ServerState.OVER;
                break;
            }
            int payloadLength = u24(buf, at);
            boolean whole = available >= HEADER_LENGTH + payloadLength;
            if (serverState == ServerState.GREETING) {
                serverState = ServerState.OVER;
                if (!whole) {
                    notWhole++;
                } else if (rewriteGreeting(buf, at + HEADER_LENGTH, payloadLength)) {
                    serverState = ServerState.AUTH;
                }
            } else {
                onServerAuthPacket(buf, at + HEADER_LENGTH, payloadLength, whole);
            }
            nextServerPacket += HEADER_LENGTH + payloadLength;
        }
        return apply(serverPatches, streamOffset, buf, off, len);
    }

    /**
     * Client to local server bytes at client stream offset {@code streamOffset} (0 = the client's first byte). Rewrites
     * the auth token for the local scramble in place.
     *
     * @return whether bytes changed (the caller fixes the TCP checksum)
     */
    public boolean onClientData(long streamOffset, byte[] buf, int off, int len) {
        long end = streamOffset + len;
        while (clientState != ClientState.OVER && nextClientPacket >= streamOffset && nextClientPacket < end) {
            int at = off + (int) (nextClientPacket - streamOffset);
            int available = off + len - at;
            if (available < HEADER_LENGTH) {
                notWhole++;
                passedUnchanged++;
                clientState = ClientState.OVER;
                break;
            }
            int payloadLength = u24(buf, at);
            int sequenceId = buf[at + 3] & 0xFF;
            boolean whole = available >= HEADER_LENGTH + payloadLength;
            long payloadOffset = nextClientPacket + HEADER_LENGTH;
            nextClientPacket += HEADER_LENGTH + payloadLength;
            if (clientState == ClientState.AUTH && (sequenceId == 0 || clientAuthPackets == MAX_CLIENT_AUTH_PACKETS)) {
                clientState = ClientState.OVER;
                break;
            }
            clientAuthPackets++;
            if (!whole) {
                notWhole++;
                passedUnchanged++;
            } else if (clientState == ClientState.RESPONSE) {
                onHandshakeResponse(buf, at + HEADER_LENGTH, payloadLength, payloadOffset);
            } else {
                onAuthContinuation(buf, at + HEADER_LENGTH, payloadLength, payloadOffset);
            }
            clientAwaitsServer = true;
            if (clientState == ClientState.RESPONSE) {
                clientState = ClientState.AUTH;
            }
        }
        return apply(clientPatches, streamOffset, buf, off, len);
    }

    /**
     * Whether client bytes arriving now would need a local server packet this node has not seen yet: the greeting, or
     * the server's answer (an AuthSwitchRequest, say) to the client's last auth packet. A caller that holds the client's
     * segment until this is false always derives the token for the right scramble; one that does not gets the token
     * derived for the last scramble seen (MariaDB's switch to {@code mysql_native_password} reuses the greeting's).
     */
    public boolean awaitingLocalServer() {
        if (clientState == ClientState.OVER) {
            return false;
        }
        if (serverState == ServerState.GREETING) {
            return true;
        }
        return serverState == ServerState.AUTH && clientAwaitsServer;
    }

    /** Whether the handshake is over: the client sent its first command, or nothing more can be rewritten. */
    public boolean done() {
        return clientState == ClientState.OVER || (serverState == ServerState.OVER && localScramble == null);
    }

    /** Tokens re-derived for the local scramble. */
    public long rederived() {
        return rederived;
    }

    /**
     * Client auth packets passed unchanged: empty token, wrong password, unknown user, another plugin, unreadable or
     * not whole in one segment, an SSLRequest.
     */
    public long passedUnchanged() {
        return passedUnchanged;
    }

    /** Greetings and auth packets that did not arrive whole in one segment, and so were left unchanged. */
    public long notWhole() {
        return notWhole;
    }

    /** The scramble the local server sent last, or null before its greeting (for tests and diagnostics). */
    byte[] localScramble() {
        return localScramble == null ? null : localScramble.clone();
    }

    /**
     * Rewrites a HandshakeV10 at {@code buf[p, p + n)} (payload, no header): connection id, both scramble parts and the
     * {@code CLIENT_SSL} bit. Returns false, changing nothing, for an ERR packet or a layout without a 20-byte scramble.
     */
    private boolean rewriteGreeting(byte[] buf, int p, int n) {
        if (n < 1 || (buf[p] & 0xFF) != PROTOCOL_VERSION) {
            return false;
        }
        int versionEnd = indexOfNul(buf, p + 1, p + n);
        if (versionEnd < 0) {
            return false;
        }
        int connectionId = versionEnd + 1;
        int scramble1 = connectionId + 4;
        int capabilitiesLow = scramble1 + 8 + 1;
        int capabilitiesHigh = capabilitiesLow + 2 + 1 + 2;
        int pluginDataLength = capabilitiesHigh + 2;
        // 6 filler bytes, then MariaDB's extended capabilities (or 4 more filler bytes from MySQL).
        int scramble2 = pluginDataLength + 1 + 6 + 4;
        if (scramble2 > p + n) {
            return false;
        }
        int capabilities = u16(buf, capabilitiesLow) | u16(buf, capabilitiesHigh) << 16;
        if ((capabilities & CLIENT_SECURE_CONNECTION) == 0) {
            return false;
        }
        int scramble2Length = (capabilities & CLIENT_PLUGIN_AUTH) != 0
                ? Math.max(12, (buf[pluginDataLength] & 0xFF) - 9) : 12;
        if (8 + scramble2Length != SCRAMBLE_LENGTH || scramble2 + scramble2Length + 1 > p + n) {
            return false;
        }
        byte[] local = new byte[SCRAMBLE_LENGTH];
        System.arraycopy(buf, scramble1, local, 0, 8);
        System.arraycopy(buf, scramble2, local, 8, 12);
        localScramble = local;

        long base = nextServerPacket + HEADER_LENGTH - p;
        byte[] id = new byte[4];
        for (int i = 0; i < 4; i++) {
            id[i] = (byte) (clusterConnectionId >>> (8 * i));
        }
        int low = capabilities & 0xFFFF & ~CLIENT_SSL;
        serverPatches.add(new Patch(base + connectionId, id));
        serverPatches.add(new Patch(base + scramble1, Arrays.copyOfRange(clusterScramble, 0, 8)));
        serverPatches.add(new Patch(base + capabilitiesLow, new byte[] {(byte) low, (byte) (low >>> 8)}));
        serverPatches.add(new Patch(base + scramble2, Arrays.copyOfRange(clusterScramble, 8, SCRAMBLE_LENGTH)));
        return true;
    }

    /** A server packet after the greeting while authentication runs: OK/ERR end it, an auth switch may be rewritten. */
    private void onServerAuthPacket(byte[] buf, int p, int n, boolean whole) {
        clientAwaitsServer = false;
        int type = n == 0 ? -1 : buf[p] & 0xFF;
        if (type == OK || type == ERR) {
            serverState = ServerState.OVER;
        } else if (type == AUTH_SWITCH) {
            if (!whole) {
                notWhole++;
            } else {
                rewriteAuthSwitch(buf, p, n);
            }
        } else if (type != MORE_DATA) {
            serverState = ServerState.OVER;
        }
    }

    /** AuthSwitchRequest: 0xFE, plugin name NUL, plugin data (for native: 20-byte scramble, NUL). */
    private void rewriteAuthSwitch(byte[] buf, int p, int n) {
        int nameEnd = indexOfNul(buf, p + 1, p + n);
        if (nameEnd < 0 || !ascii(buf, p + 1, nameEnd).equals(NATIVE_PLUGIN)) {
            return;
        }
        int data = nameEnd + 1;
        int dataLength = p + n - data;
        boolean terminated = dataLength == SCRAMBLE_LENGTH + 1 && buf[data + SCRAMBLE_LENGTH] == 0;
        if (dataLength != SCRAMBLE_LENGTH && !terminated) {
            return;
        }
        localScramble = Arrays.copyOfRange(buf, data, data + SCRAMBLE_LENGTH);
        serverPatches.add(new Patch(nextServerPacket + HEADER_LENGTH + (data - p), clusterScramble.clone()));
    }

    /** HandshakeResponse41 payload at {@code buf[p, p + n)}, whose first byte is at client stream offset {@code at}. */
    private void onHandshakeResponse(byte[] buf, int p, int n, long at) {
        if (n < RESPONSE_FIXED_LENGTH) {
            passedUnchanged++;
            return;
        }
        int capabilities = u32(buf, p);
        if ((capabilities & CLIENT_SSL) != 0 && n == RESPONSE_FIXED_LENGTH) {
            // SSLRequest: TLS follows and hides the rest of the stream.
            passedUnchanged++;
            clientState = ClientState.OVER;
            return;
        }
        if ((capabilities & CLIENT_PROTOCOL_41) == 0) {
            passedUnchanged++;
            return;
        }
        int end = p + n;
        int userEnd = indexOfNul(buf, p + RESPONSE_FIXED_LENGTH, end);
        if (userEnd < 0) {
            passedUnchanged++;
            return;
        }
        String user = new String(buf, p + RESPONSE_FIXED_LENGTH, userEnd - p - RESPONSE_FIXED_LENGTH, StandardCharsets.UTF_8);
        userHash = hashes.nativeHash(user);
        int token;
        long tokenLength;
        int pos = userEnd + 1;
        if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            int size = lenencSize(buf, pos, end);
            if (size < 0) {
                passedUnchanged++;
                return;
            }
            tokenLength = lenencValue(buf, pos, size);
            token = pos + size;
        } else if ((capabilities & CLIENT_SECURE_CONNECTION) != 0) {
            if (pos >= end) {
                passedUnchanged++;
                return;
            }
            tokenLength = buf[pos] & 0xFF;
            token = pos + 1;
        } else {
            // Pre-4.1 password hashing: nothing to re-derive.
            passedUnchanged++;
            return;
        }
        if (tokenLength < 0 || tokenLength > end - token) {
            passedUnchanged++;
            return;
        }
        pos = token + (int) tokenLength;
        if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0) {
            int dbEnd = indexOfNul(buf, pos, end);
            pos = dbEnd < 0 ? end : dbEnd + 1;
        }
        if ((capabilities & CLIENT_PLUGIN_AUTH) != 0 && pos < end) {
            int nameEnd = indexOfNul(buf, pos, end);
            if (nameEnd >= 0 && !ascii(buf, pos, nameEnd).equals(NATIVE_PLUGIN)) {
                passedUnchanged++;
                return;
            }
        }
        rederive(buf, token, (int) tokenLength, at + (token - p));
    }

    /** A later client auth packet (AuthSwitchResponse or another plugin's data): the whole payload is the token. */
    private void onAuthContinuation(byte[] buf, int p, int n, long at) {
        rederive(buf, p, n, at);
    }

    /** Re-derives the token at {@code buf[t, t + length)} (stream offset {@code at}) for the local scramble, if right. */
    private void rederive(byte[] buf, int t, int length, long at) {
        if (length != SCRAMBLE_LENGTH || userHash == null || localScramble == null) {
            passedUnchanged++;
            return;
        }
        byte[] h1 = xor(buf, t, scrambledHash(clusterScramble));
        if (!MessageDigest.isEqual(sha1.digest(h1), userHash)) {
            passedUnchanged++;
            return;
        }
        clientPatches.add(new Patch(at, xor(h1, 0, scrambledHash(localScramble))));
        rederived++;
    }

    /** SHA1(scramble + H2). */
    private byte[] scrambledHash(byte[] scramble) {
        sha1.update(scramble);
        sha1.update(userHash);
        return sha1.digest();
    }

    private static byte[] xor(byte[] a, int at, byte[] b) {
        byte[] out = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < SCRAMBLE_LENGTH; i++) {
            out[i] = (byte) (a[at + i] ^ b[i]);
        }
        return out;
    }

    /** Writes every patch's bytes that fall inside this segment; true if any byte differed. */
    private static boolean apply(List<Patch> patches, long streamOffset, byte[] buf, int off, int len) {
        boolean changed = false;
        long end = streamOffset + len;
        for (Patch patch : patches) {
            long from = Math.max(patch.offset(), streamOffset);
            long to = Math.min(patch.offset() + patch.bytes().length, end);
            for (long s = from; s < to; s++) {
                int i = off + (int) (s - streamOffset);
                byte b = patch.bytes()[(int) (s - patch.offset())];
                if (buf[i] != b) {
                    buf[i] = b;
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** Size of the length-encoded integer at {@code pos} (1, 3, 4 or 9), or -1 if it is invalid or runs past end. */
    private static int lenencSize(byte[] buf, int pos, int end) {
        if (pos >= end) {
            return -1;
        }
        int first = buf[pos] & 0xFF;
        int size = first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : first == 0xFE ? 9 : -1;
        return size < 0 || size > end - pos ? -1 : size;
    }

    private static long lenencValue(byte[] buf, int pos, int size) {
        if (size == 1) {
            return buf[pos] & 0xFF;
        }
        long v = 0;
        for (int i = size - 1; i >= 1; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        return v;
    }

    private static int indexOfNul(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.US_ASCII);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u24(byte[] b, int at) {
        return u16(b, at) | (b[at + 2] & 0xFF) << 16;
    }

    private static int u32(byte[] b, int at) {
        return u24(b, at) | (b[at + 3] & 0xFF) << 24;
    }
}
