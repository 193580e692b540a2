package org.artcp.node.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordHashesTest {
    /** PASSWORD('secret') as MariaDB 10.11 stored it for {@code CREATE USER pw IDENTIFIED BY 'secret'}. */
    private static final String SECRET = "14E65567ABDB5135D0CFD9A70B3032C179A49EE7";

    @TempDir
    Path dir;

    @Test
    void nativeHashOfMatchesWhatMariadbStores() {
        assertArrayEquals(HexFormat.of().parseHex(SECRET.toLowerCase()), PasswordHashes.nativeHashOf("secret"));
    }

    @Test
    void loadsWhatTheSelectPrintsWithCommentsBlanksAndBareHex() throws IOException {
        Path f = write("""
                # SELECT CONCAT(user,':',authentication_string) FROM mysql.user
                mariadb.sys:
                root:

                pw:*%s
                app:%s
                  spaced:*%s \s
                odd:name:*%s
                pw:*%s
                """.formatted(SECRET, SECRET.toLowerCase(), SECRET, SECRET, SECRET));
        PasswordHashes h = PasswordHashes.load(f);
        byte[] secret = PasswordHashes.nativeHashOf("secret");
        assertArrayEquals(secret, h.nativeHash("pw"));
        assertArrayEquals(secret, h.nativeHash("app"));
        assertArrayEquals(secret, h.nativeHash("spaced"));
        assertArrayEquals(secret, h.nativeHash("odd:name"), "the user is everything before the last colon");
        assertNull(h.nativeHash("root"), "no password: nothing to re-derive");
        assertNull(h.nativeHash("nobody"));
        assertEquals(4, h.size());
    }

    @Test
    void badLinesNameTheFileAndLine() throws IOException {
        String[] bad = {
            "no colon at all",
            ":*" + SECRET,
            "short:*ABCDEF",
            "nothex:*" + SECRET.replace('E', 'G'),
            "root:invalid",
            "pw:*" + SECRET + "00",
        };
        for (String line : bad) {
            Path f = write("# header\n\n" + line + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHashes.load(f), line);
            assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
        }
    }

    @Test
    void oneUserWithTwoDifferentHashesIsRefused() throws IOException {
        Path f = write("pw:*" + SECRET + "\npw:*" + HexFormat.of().formatHex(PasswordHashes.nativeHashOf("other")) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHashes.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
    }

    @Test
    void ofCopiesAndChecksLengths() {
        Map<String, byte[]> m = new HashMap<>();
        byte[] hash = PasswordHashes.nativeHashOf("secret");
        m.put("pw", hash);
        PasswordHashes h = PasswordHashes.of(m);
        hash[0] ^= 1;
        m.put("later", hash);
        assertArrayEquals(PasswordHashes.nativeHashOf("secret"), h.nativeHash("pw"));
        assertNull(h.nativeHash("later"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHashes.of(Map.of("pw", new byte[19])));
        assertNull(PasswordHashes.empty().nativeHash("pw"));
        assertEquals(0, PasswordHashes.empty().size());
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "passwords-", ".txt");
        Files.writeString(f, text);
        return f;
    }
}
