package org.artcp.node.mysql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * User name to {@code mysql_native_password} hash: H2 = SHA1(SHA1(password)), 20 bytes, what MariaDB stores as
 * {@code *HEX40} in {@code mysql.user.authentication_string}. {@link MysqlHandshake} needs H2 to re-derive a client's
 * auth token for each replica's own scramble.
 *
 * <p>File format, one account a line: {@code user:*HEX40} (what
 * {@code SELECT CONCAT(user,':',authentication_string) FROM mysql.user WHERE plugin = 'mysql_native_password'} prints;
 * other plugins' strings, such as {@code invalid} for a {@code unix_socket} root, are refused) or
 * {@code user:HEX40}; {@code #} starts a comment line; blank lines are skipped; {@code user:} with nothing after the
 * colon is an account without a password and is skipped (its empty token passes unchanged anyway). The user is
 * everything before the last colon. Accounts are matched on user name only, not {@code user@host}: one user name
 * listed twice with different hashes is refused, because the node could not tell which one a client means.
 */
public final class PasswordHashes {
    /** Length of H2, a SHA-1 digest. */
    public static final int HASH_LENGTH = 20;

    private static final PasswordHashes EMPTY = new PasswordHashes(Map.of());

    private final Map<String, byte[]> hashes;

    private PasswordHashes(Map<String, byte[]> hashes) {
        this.hashes = hashes;
    }

    /** No accounts: every token passes unchanged. */
    public static PasswordHashes empty() {
        return EMPTY;
    }

    /** The given hashes (copied); each must be 20 bytes. */
    public static PasswordHashes of(Map<String, byte[]> m) {
        Map<String, byte[]> copy = new HashMap<>();
        for (Map.Entry<String, byte[]> e : m.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue().length != HASH_LENGTH) {
                throw new IllegalArgumentException("hash of user " + e.getKey() + " must be " + HASH_LENGTH + " bytes");
            }
            copy.put(e.getKey(), e.getValue().clone());
        }
        return new PasswordHashes(Map.copyOf(copy));
    }

    /**
     * Reads a hash file (format in the class comment).
     *
     * @throws IllegalArgumentException naming {@code file:line} for a line that is not an account
     */
    public static PasswordHashes load(Path f) throws IOException {
        return parse(f.toString(), Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    /** Parses the lines of a hash file; {@code name} is used in error messages. */
    static PasswordHashes parse(String name, List<String> lines) {
        Map<String, byte[]> m = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1);
            int colon = line.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": expected user:*HEX40, got " + line);
            }
            String user = line.substring(0, colon);
            String hex = line.substring(colon + 1);
            if (hex.isEmpty()) {
                continue;
            }
            if (hex.startsWith("*")) {
                hex = hex.substring(1);
            }
            byte[] hash = hexHash(hex);
            if (hash == null) {
                throw new IllegalArgumentException(where + ": the hash of " + user
                        + " is not 40 hex digits (only mysql_native_password accounts are supported)");
            }
            byte[] before = m.putIfAbsent(user, hash);
            if (before != null && !MessageDigest.isEqual(before, hash)) {
                throw new IllegalArgumentException(where + ": user " + user
                        + " listed again with a different hash (accounts are matched on user name only)");
            }
        }
        return new PasswordHashes(Map.copyOf(m));
    }

    private static byte[] hexHash(String hex) {
        if (hex.length() != 2 * HASH_LENGTH) {
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return null;
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    /** H2 of {@code user}, or null if the user is unknown. The caller must not modify it. */
    public byte[] nativeHash(String user) {
        return hashes.get(user);
    }

    /** Number of accounts. */
    public int size() {
        return hashes.size();
    }

    /** H2 = SHA1(SHA1(password)) of a UTF-8 password, as {@code PASSWORD('...')} stores it (without the '*'). */
    public static byte[] nativeHashOf(String password) {
        MessageDigest sha1 = sha1();
        return sha1.digest(sha1.digest(password.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
