package org.artcp.node.mysql;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client connection of the MySQL/MariaDB client/server protocol, as the primary sees it
 * (paper §4.2; protocol: https://mariadb.com/kb/en/clientserver-protocol/). It frames the client's
 * byte stream into packets (3-byte little-endian length, sequence id, payload; a 0xFFFFFF payload
 * continues in the next packet) and judges each new client segment: read-only only when it holds
 * whole read-only command packets and nothing else. From the local server's stream it learns when
 * authentication ends and which statement id each COM_STMT_PREPARE got.
 *
 * <p>Everything until the server's OK to the authentication is causal (every replica
 * authenticates). TLS and the compressed protocol hide the commands: such a connection is causal
 * throughout.
 */
public final class MysqlSession {

    /** What to do with a causal COM_QUERY that calls a function whose result differs between replicas. */
    public enum Nondeterministic {
        /**
         * Rewrite it in place, same length, into a statement every replica refuses with the same
         * error: {@code SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'AR-TCP refused ...'} when it fits,
         * else a bare {@code SIGNAL SQLSTATE '45000'} (error 1644), else {@code ;} and spaces
         * ("Query was empty", 1065). Only when the whole packet lies in one segment; applies to
         * COM_STMT_PREPARE too (a prepared update calling NOW() would diverge at every execute).
         */
        REFUSE,
        /** Pass it on; the verdict says it is nondeterministic. */
        WARN
    }

    /** Where the connection is. */
    private enum Phase {
        /** Before the client's handshake response is complete. */
        HANDSHAKE,
        /** Handshake response sent; until the server's OK every client packet is authentication. */
        AUTH,
        /** Commands. */
        COMMAND,
        /** TLS or compression: the commands cannot be seen. */
        OPAQUE
    }

    /**
     * A statement prepared with COM_STMT_PREPARE, as the server numbered it. The server remembers
     * the parameter types an execute binds; {@code typesEverywhere} are the ones every replica
     * holds (bound by a causal execute), null before the first.
     */
    private static final class Prepared {
        final boolean readOnly;
        final int params;
        byte[] typesEverywhere;

        Prepared(boolean readOnly, int params) {
            this.readOnly = readOnly;
            this.params = params;
        }
    }

    /** A COM_STMT_PREPARE whose PREPARE_OK has not been seen. */
    private record PendingPrepare(boolean readOnly, int params) {}

    static final int MAX_PAYLOAD = 0xFFFFFF;
    /**
     * The most command bytes buffered to judge one command: twice MariaDB's default
     * max_allowed_packet (16 MiB), so a 16 MiB-split query is still judged; a longer one is causal
     * and treated as if it might have opened a transaction.
     */
    static final int MAX_COMMAND_BYTES = 32 << 20;
    private static final int MAX_PENDING_PREPARES = 16;
    private static final int MAX_PREPARED = 65_536;

    private static final int CLIENT_COMPRESS = 0x20;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SSL = 0x800;

    static final int COM_QUIT = 0x01;
    static final int COM_QUERY = 0x03;
    static final int COM_FIELD_LIST = 0x04;
    static final int COM_STATISTICS = 0x09;
    static final int COM_PROCESS_INFO = 0x0A;
    static final int COM_PING = 0x0E;
    static final int COM_CHANGE_USER = 0x11;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_EXECUTE = 0x17;
    static final int COM_STMT_SEND_LONG_DATA = 0x18;
    static final int COM_STMT_CLOSE = 0x19;
    static final int COM_STMT_RESET = 0x1A;
    static final int COM_STMT_FETCH = 0x1C;
    static final int COM_RESET_CONNECTION = 0x1F;

    private static final String SIGNAL_BARE = "SIGNAL SQLSTATE '45000'";
    private static final String SIGNAL_PREFIX = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '";
    private static final String REFUSAL = "AR-TCP refused a nondeterministic update: ";
    private static final int MIN_MESSAGE = "AR-TCP refused".length();

    private final SqlClassifier classifier;
    private final Nondeterministic nondeterministicPolicy;
    private final SessionState sql = new SessionState();
    private final Map<Integer, Prepared> prepared = new HashMap<>();
    private final Deque<PendingPrepare> pendingPrepares = new ArrayDeque<>();
    private final Set<Integer> longData = new HashSet<>();
    private long lastPreparedId = -1;

    private Phase phase = Phase.HANDSHAKE;
    private boolean compressAfterAuth;

    // client framing
    private long clientExpected;
    private final byte[] header = new byte[4];
    private int headerHave;
    private int chunkLen;
    private int chunkRemaining;
    private boolean continuation;
    private int firstSeq;
    private byte[] command = new byte[256];
    private int commandLen;
    private boolean commandTruncated;
    private boolean multiChunk;

    // server framing
    private long serverExpected;
    private boolean serverLost;
    private final byte[] serverHeader = new byte[4];
    private int serverHeaderHave;
    private int serverChunkLen;
    private int serverChunkRemaining;
    private boolean serverContinuation;
    private final byte[] serverHead = new byte[12];
    private int serverHeadLen;
    private int serverSeq;
    private long serverPackets;

    public MysqlSession(SqlClassifier classifier, Nondeterministic policy) {
        this.classifier = classifier;
        this.nondeterministicPolicy = policy;
    }

    /** The outcome of one complete command packet. */
    private record PacketOutcome(Verdict verdict, boolean rewritten, boolean readsPreviousStatement) {
        PacketOutcome(Verdict verdict, boolean rewritten) {
            this(verdict, rewritten, false);
        }
    }

    /**
     * A new client segment's payload buf[off, off+len); streamOffset is its position in the client's
     * byte stream (0 = first payload byte of the connection). Called in stream order for new data.
     */
    public SegmentVerdict onClientData(long streamOffset, byte[] buf, int off, int len) {
        if (streamOffset > clientExpected) {
            return new SegmentVerdict(SegmentVerdict.Kind.OUT_OF_ORDER, false, null);
        }
        long end = streamOffset + len;
        if (end <= clientExpected) {
            return new SegmentVerdict(SegmentVerdict.Kind.CAUSAL, false, null); // nothing new
        }
        int skip = (int) (clientExpected - streamOffset);
        int pos = off + skip;
        int limit = off + len;
        clientExpected = end;
        if (phase == Phase.OPAQUE) {
            return new SegmentVerdict(SegmentVerdict.Kind.CAUSAL, false,
                    Verdict.causal("TLS or compressed protocol: the commands cannot be seen"));
        }
        boolean readOnly = skip == 0 && atPacketBoundary();
        boolean previousStatementOnly = readOnly;
        int commands = 0;
        boolean rewritten = false;
        Verdict deciding = null;
        int packetStart = atPacketBoundary() ? pos : -1;
        while (pos < limit && phase != Phase.OPAQUE) {
            if (headerHave < 4) {
                if (headerHave == 0 && !continuation) {
                    packetStart = pos;
                    commandLen = 0;
                    commandTruncated = false;
                    multiChunk = false;
                }
                int n = Math.min(4 - headerHave, limit - pos);
                System.arraycopy(buf, pos, header, headerHave, n);
                headerHave += n;
                pos += n;
                if (headerHave < 4) {
                    break;
                }
                chunkLen = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
                chunkRemaining = chunkLen;
                if (!continuation) {
                    firstSeq = header[3] & 0xFF;
                } else {
                    multiChunk = true;
                }
            }
            int n = Math.min(chunkRemaining, limit - pos);
            append(buf, pos, n);
            pos += n;
            chunkRemaining -= n;
            if (chunkRemaining > 0) {
                break;
            }
            headerHave = 0;
            if (chunkLen == MAX_PAYLOAD) {
                continuation = true;
                continue;
            }
            continuation = false;
            boolean whole = packetStart >= 0 && !multiChunk;
            PacketOutcome o = onPacket(buf, whole ? packetStart + 4 : -1, whole);
            rewritten |= o.rewritten();
            commands++;
            previousStatementOnly &= whole && o.readsPreviousStatement();
            if (o.verdict() == null || !o.verdict().isReadOnly() || !whole) {
                readOnly = false;
                if (deciding == null || deciding.isReadOnly()) {
                    deciding = o.verdict();
                }
            } else if (deciding == null || deciding.isReadOnly()) {
                deciding = o.verdict();
            }
            packetStart = -1;
        }
        if (!atPacketBoundary() || deciding == null || phase == Phase.OPAQUE) {
            readOnly = false;
        }
        SegmentVerdict.Kind kind = readOnly ? SegmentVerdict.Kind.READ_ONLY
                : previousStatementOnly && commands == 1 && atPacketBoundary() ? SegmentVerdict.Kind.PREVIOUS_STATEMENT_DIAGNOSTICS
                : SegmentVerdict.Kind.CAUSAL;
        return new SegmentVerdict(kind, rewritten, deciding);
    }

    private boolean atPacketBoundary() {
        return headerHave == 0 && chunkRemaining == 0 && !continuation;
    }

    private void append(byte[] buf, int pos, int n) {
        if (commandTruncated || n == 0) {
            return;
        }
        if (commandLen + n > MAX_COMMAND_BYTES) {
            commandTruncated = true;
            return;
        }
        if (commandLen + n > command.length) {
            command = Arrays.copyOf(command, Math.min(MAX_COMMAND_BYTES, Math.max(command.length * 2, commandLen + n)));
        }
        System.arraycopy(buf, pos, command, commandLen, n);
        commandLen += n;
    }

    /** One complete client packet (command[0, commandLen)); payloadAt: its payload's index in buf if it lies there whole. */
    private PacketOutcome onPacket(byte[] buf, int payloadAt, boolean whole) {
        switch (phase) {
            case HANDSHAKE -> {
                onHandshakeResponse();
                return new PacketOutcome(Verdict.causal("connection phase: handshake response"), false);
            }
            case AUTH -> {
                return new PacketOutcome(Verdict.causal("connection phase: authentication"), false);
            }
            default -> { }
        }
        if (firstSeq != 0 || commandLen == 0) {
            // LOAD DATA LOCAL INFILE content, COM_CHANGE_USER's auth exchange: part of a causal command
            return new PacketOutcome(null, false);
        }
        // A new command: the client sends it only once it has the answer to its previous one, and that
        // answer reached it through the aggregator only after this node's server had sent its own, which
        // onServerData saw first. So a prepare still pending was refused (an ERR): forget it, or the next
        // PREPARE_OK would be paired with it and give a causal statement a read-only class.
        pendingPrepares.clear();
        if (commandTruncated) {
            sql.apply(List.of(Effect.of(Effect.Kind.UNKNOWN)));
            return new PacketOutcome(Verdict.causal("command longer than " + MAX_COMMAND_BYTES + " bytes: not judged"), false);
        }
        int cmd = command[0] & 0xFF;
        return switch (cmd) {
            case COM_QUERY -> onQuery(buf, payloadAt, whole);
            case COM_STMT_PREPARE -> onPrepare(buf, payloadAt, whole);
            case COM_STMT_EXECUTE -> new PacketOutcome(onExecute(), false);
            case COM_STMT_SEND_LONG_DATA -> {
                if (commandLen >= 5) {
                    longData.add(le32(command, 1));
                }
                yield causal("COM_STMT_SEND_LONG_DATA: parameter data every replica's statement needs");
            }
            case COM_STMT_CLOSE -> {
                if (commandLen >= 5) {
                    prepared.remove(le32(command, 1));
                    longData.remove(le32(command, 1));
                }
                yield causal("COM_STMT_CLOSE: every replica closes the statement");
            }
            case COM_STMT_RESET -> {
                if (commandLen >= 5) {
                    longData.remove(le32(command, 1));
                }
                yield causal("COM_STMT_RESET: every replica resets the statement (and its cursor)");
            }
            case COM_STMT_FETCH -> causal("COM_STMT_FETCH: reads a cursor that every replica opened");
            case COM_RESET_CONNECTION, COM_CHANGE_USER -> {
                forgetSession();
                yield causal((cmd == COM_RESET_CONNECTION ? "COM_RESET_CONNECTION" : "COM_CHANGE_USER")
                        + ": resets the session on every replica");
            }
            case COM_PING -> causal("COM_PING: every replica's connection must see it (wait_timeout, liveness)");
            case COM_STATISTICS -> new PacketOutcome(Verdict.readOnly(
                    "COM_STATISTICS: changes nothing, and every replica's answer differs (uptime, counters)"), false);
            case COM_PROCESS_INFO -> new PacketOutcome(Verdict.readOnly(
                    "COM_PROCESS_INFO: SHOW PROCESSLIST, changes nothing"), false);
            case COM_FIELD_LIST -> {
                String forced = sql.forcesCausal();
                yield forced != null ? causal("COM_FIELD_LIST, " + forced)
                        : new PacketOutcome(Verdict.readOnly("COM_FIELD_LIST: reads column definitions"), false);
            }
            case COM_QUIT -> causal("COM_QUIT: every replica closes the connection");
            default -> causal(String.format("command 0x%02x changes session or server state (or is unknown)", cmd));
        };
    }

    private static PacketOutcome causal(String reason) {
        return new PacketOutcome(Verdict.causal(reason), false);
    }

    private void onHandshakeResponse() {
        phase = Phase.AUTH;
        if (commandLen < 4) {
            phase = Phase.OPAQUE;
            return;
        }
        int caps = le32(command, 0);
        if ((caps & CLIENT_PROTOCOL_41) == 0 || (caps & CLIENT_SSL) != 0) {
            phase = Phase.OPAQUE; // an SSL request: TLS follows (or a pre-4.1 client)
        }
        compressAfterAuth = (caps & CLIENT_COMPRESS) != 0;
    }

    private void forgetSession() {
        sql.reset();
        prepared.clear();
        pendingPrepares.clear();
        longData.clear();
    }

    private String commandText() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(command, 1, commandLen - 1)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private PacketOutcome onQuery(byte[] buf, int payloadAt, boolean whole) {
        String text = commandText();
        if (text == null) {
            // In another character set (GBK, SJIS) a quote or backslash byte may be half of a character.
            sql.apply(List.of(Effect.of(Effect.Kind.UNKNOWN)));
            return causal("COM_QUERY text is not UTF-8: cannot lex it with confidence");
        }
        SqlClassifier.Analysis a = classifier.analyze(text);
        Verdict v = a.verdict();
        String forced = sql.forcesCausal();
        if (v.isReadOnly() && forced != null) {
            v = Verdict.causal(forced + ": " + v.reason());
        }
        if (v.nondeterministic() && nondeterministicPolicy == Nondeterministic.REFUSE && whole
                && refuse(buf, payloadAt + 1, commandLen - 1, v.nondeterministicWhat())) {
            return new PacketOutcome(v, true); // the original text never runs: its effects do not happen
        }
        sql.apply(a.effects());
        return new PacketOutcome(v, false, !v.isReadOnly() && SqlClassifier.readsPreviousStatement(text));
    }

    private PacketOutcome onPrepare(byte[] buf, int payloadAt, boolean whole) {
        String text = commandText();
        if (text == null) {
            return causal("COM_STMT_PREPARE text is not UTF-8: statement judged causal");
        }
        Verdict v = classifier.classify(text);
        Verdict out = new Verdict(RequestClass.CAUSAL, "COM_STMT_PREPARE runs on every replica (the statement: "
                + v.requestClass() + ", " + v.reason() + ")", v.nondeterministic(), v.nondeterministicWhat());
        if (v.nondeterministic() && nondeterministicPolicy == Nondeterministic.REFUSE && whole
                && refuse(buf, payloadAt + 1, commandLen - 1, v.nondeterministicWhat())) {
            return new PacketOutcome(out, true);
        }
        if (pendingPrepares.size() == MAX_PENDING_PREPARES) {
            pendingPrepares.removeFirst();
        }
        pendingPrepares.addLast(new PendingPrepare(v.isReadOnly(), SqlClassifier.placeholders(text)));
        return new PacketOutcome(out, false);
    }

    /** COM_STMT_EXECUTE: id(4) flags(1) iterations(4) [null bitmap, new-params-bound flag, types, values]. */
    private Verdict onExecute() {
        if (commandLen < 10) {
            return Verdict.causal("COM_STMT_EXECUTE too short");
        }
        int id = le32(command, 1);
        int flags = command[5] & 0xFF;
        Prepared p = prepared.get(id);
        boolean hadLongData = longData.remove(id);
        if (p == null) {
            return Verdict.causal("COM_STMT_EXECUTE of a statement not known to be read-only");
        }
        // Parameter types: null bitmap, then new-params-bound flag and 2 bytes per parameter.
        byte[] types = null;
        if (p.params > 0) {
            int flagAt = 10 + (p.params + 7) / 8;
            if (commandLen <= flagAt || (command[flagAt] != 0 && commandLen < flagAt + 1 + 2 * p.params)) {
                return Verdict.causal("COM_STMT_EXECUTE too short for its parameters");
            }
            if (command[flagAt] != 0) {
                types = Arrays.copyOfRange(command, flagAt + 1, flagAt + 1 + 2 * p.params);
            }
        }
        String forced = sql.forcesCausal();
        String why = !p.readOnly ? "COM_STMT_EXECUTE of a causal statement"
                : flags != 0 ? "COM_STMT_EXECUTE opens a cursor (flags " + flags + "): every replica keeps it"
                : hadLongData ? "COM_STMT_EXECUTE consumes long data every replica holds"
                : types != null && !Arrays.equals(types, p.typesEverywhere)
                        ? "COM_STMT_EXECUTE binds new parameter types: every replica must remember them"
                : forced != null ? "COM_STMT_EXECUTE, " + forced
                : null;
        if (why == null) {
            return Verdict.readOnly("COM_STMT_EXECUTE of a read-only statement");
        }
        if (types != null) {
            p.typesEverywhere = types; // this execute runs on every replica
        }
        return Verdict.causal(why);
    }

    /** Overwrites the SQL text at buf[at, at+len) with a statement every replica refuses alike. */
    private static boolean refuse(byte[] buf, int at, int len, String what) {
        if (len < 1) {
            return false;
        }
        String text;
        int room = len - SIGNAL_PREFIX.length() - 1;
        if (room >= MIN_MESSAGE) {
            String message = (REFUSAL + what).replaceAll("[^A-Za-z0-9_@:. -]", "");
            message = message.substring(0, Math.min(room, message.length()));
            text = SIGNAL_PREFIX + message + "'" + " ".repeat(room - message.length());
        } else if (len >= SIGNAL_BARE.length()) {
            text = SIGNAL_BARE + " ".repeat(len - SIGNAL_BARE.length()); // error 1644 everywhere
        } else {
            // MariaDB 10.11 answers ";" with "Query was empty" (1065); a comment alone would get an OK
            text = ";" + " ".repeat(len - 1);
        }
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, buf, at, len);
        return true;
    }

    /**
     * Bytes the primary's own local server sent, in stream order (0 = the greeting's first byte);
     * bytes seen before are ignored.
     */
    public void onServerData(long streamOffset, byte[] buf, int off, int len) {
        if (serverLost || phase == Phase.OPAQUE) {
            return;
        }
        if (streamOffset > serverExpected) {
            serverLost = true; // a hole: we cannot frame the rest (the session stays as causal as it is)
            return;
        }
        long end = streamOffset + len;
        if (end <= serverExpected) {
            return;
        }
        int pos = off + (int) (serverExpected - streamOffset);
        int limit = off + len;
        serverExpected = end;
        while (pos < limit) {
            if (serverHeaderHave < 4) {
                int n = Math.min(4 - serverHeaderHave, limit - pos);
                System.arraycopy(buf, pos, serverHeader, serverHeaderHave, n);
                serverHeaderHave += n;
                pos += n;
                if (serverHeaderHave < 4) {
                    break;
                }
                serverChunkLen = (serverHeader[0] & 0xFF) | (serverHeader[1] & 0xFF) << 8 | (serverHeader[2] & 0xFF) << 16;
                serverChunkRemaining = serverChunkLen;
                if (!serverContinuation) {
                    serverSeq = serverHeader[3] & 0xFF;
                    serverHeadLen = 0;
                }
            }
            int n = Math.min(serverChunkRemaining, limit - pos);
            if (!serverContinuation) {
                int keep = Math.min(n, serverHead.length - serverHeadLen);
                System.arraycopy(buf, pos, serverHead, serverHeadLen, keep);
                serverHeadLen += keep;
            }
            pos += n;
            serverChunkRemaining -= n;
            if (serverChunkRemaining > 0) {
                break;
            }
            serverHeaderHave = 0;
            boolean logicalEnds = serverChunkLen != MAX_PAYLOAD;
            if (!serverContinuation) {
                onServerPacket(!logicalEnds ? -1 : serverChunkLen);
            }
            serverContinuation = !logicalEnds;
        }
    }

    /** The first chunk of a server packet is complete; length -1 when it continues. */
    private void onServerPacket(int length) {
        long index = serverPackets++;
        if (index == 0 || serverHeadLen == 0) {
            return; // the greeting
        }
        int first = serverHead[0] & 0xFF;
        if (phase == Phase.AUTH) {
            if (first == 0x00) {
                phase = compressAfterAuth ? Phase.OPAQUE : Phase.COMMAND;
            }
            return;
        }
        if (phase != Phase.COMMAND) {
            return;
        }
        // COM_STMT_PREPARE_OK: 0x00, stmt id(4), columns(2), params(2), reserved 0x00, warnings(2); seq id 1.
        if (serverSeq == 1 && length == 12 && first == 0x00 && serverHead[9] == 0 && !pendingPrepares.isEmpty()) {
            long id = le32(serverHead, 1) & 0xFFFFFFFFL;
            int params = (serverHead[7] & 0xFF) | (serverHead[8] & 0xFF) << 8;
            if (id <= lastPreparedId) {
                return; // statement ids only grow on a connection: this is some other OK packet
            }
            for (Iterator<PendingPrepare> it = pendingPrepares.iterator(); it.hasNext(); ) {
                PendingPrepare pp = it.next();
                it.remove();
                if (pp.params() == params) {
                    lastPreparedId = id;
                    if (prepared.size() < MAX_PREPARED) {
                        prepared.put((int) id, new Prepared(pp.readOnly(), params));
                    }
                    return;
                }
            }
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
