package org.artcp.node.mysql;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: MySQL packets, captured connections, and a session driven like the data plane drives it. */
final class Wire {

    /** One captured payload: client or server direction, its stream offset, the bytes. */
    record Segment(boolean fromClient, long offset, byte[] payload) {}

    private Wire() {}

    /** A packet: 3-byte little-endian length, sequence id, payload. */
    static byte[] packet(int seq, byte[] payload) {
        byte[] b = new byte[4 + payload.length];
        b[0] = (byte) payload.length;
        b[1] = (byte) (payload.length >>> 8);
        b[2] = (byte) (payload.length >>> 16);
        b[3] = (byte) seq;
        System.arraycopy(payload, 0, b, 4, payload.length);
        return b;
    }

    static byte[] command(int cmd, byte[] body) {
        byte[] p = new byte[1 + body.length];
        p[0] = (byte) cmd;
        System.arraycopy(body, 0, p, 1, body.length);
        return packet(0, p);
    }

    static byte[] query(String sql) {
        return command(MysqlSession.COM_QUERY, sql.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** A capture file from src/test/resources/org/artcp/node/mysql: "C|S offset hex" lines. */
    static List<Segment> capture(String name) {
        try (InputStream in = Wire.class.getResourceAsStream(name)) {
            List<Segment> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                out.add(new Segment(f[0].equals("C"), Long.parseLong(f[1]), HexFormat.of().parseHex(f[2])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A session plus the two stream positions, fed like the primary's data plane feeds it. */
    static final class Driver {
        final MysqlSession session;
        long clientOffset;
        long serverOffset;

        Driver(MysqlSession.Nondeterministic policy) {
            this(new MysqlSession(new SqlClassifier(SqlPolicy.builtIn()), policy));
        }

        Driver(MysqlSession session) {
            this.session = session;
        }

        /** Greeting, handshake response and auth OK of the real mariadb CLI capture. */
        Driver authenticated() {
            List<Segment> cli = capture("mariadb-cli.txt");
            server(cli.get(0).payload());
            client(cli.get(1).payload());
            server(cli.get(2).payload());
            return this;
        }

        SegmentVerdict client(byte[] bytes) {
            SegmentVerdict v = session.onClientData(clientOffset, bytes, 0, bytes.length);
            if (v.kind() != SegmentVerdict.Kind.OUT_OF_ORDER) {
                clientOffset += bytes.length;
            }
            return v;
        }

        void server(byte[] bytes) {
            session.onServerData(serverOffset, bytes, 0, bytes.length);
            serverOffset += bytes.length;
        }

        SegmentVerdict.Kind kind(byte[] bytes) {
            return client(bytes).kind();
        }
    }
}
