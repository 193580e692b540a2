package org.artcp.node.wire;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and verifies tunnel frames with HMAC-SHA-256 (RFC 2104, FIPS 198-1) under the cluster key,
 * truncated to {@link TunnelFrame#MAC_LENGTH} bytes (RFC 2104 §5 allows truncation to at least half
 * the output; 128 bits is what RFC 4868 uses for IPsec). The MAC covers header and payload.
 *
 * <p>One instance per thread: {@link Mac} is stateful. Verification compares in constant time.
 */
public final class FrameAuthenticator {
    private final Mac mac;
    private final byte[] scratch = new byte[32];

    /** @param clusterKey the shared cluster key, at least 16 bytes */
    public FrameAuthenticator(byte[] clusterKey) {
        if (clusterKey.length < 16) {
            throw new IllegalArgumentException("cluster key must be at least 16 bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Writes the MAC over {@code buffer[offset, offset + coveredLength)} at {@code offset + coveredLength}.
     *
     * @return the sealed frame's total length
     */
    public int seal(byte[] buffer, int offset, int coveredLength) {
        compute(buffer, offset, coveredLength);
        System.arraycopy(scratch, 0, buffer, offset + coveredLength, TunnelFrame.MAC_LENGTH);
        return coveredLength + TunnelFrame.MAC_LENGTH;
    }

    /** Whether the last {@link TunnelFrame#MAC_LENGTH} bytes of the frame are the MAC of the bytes before them. */
    public boolean verify(byte[] buffer, int offset, int frameLength) {
        int covered = frameLength - TunnelFrame.MAC_LENGTH;
        if (covered < 0) {
            return false;
        }
        compute(buffer, offset, covered);
        int diff = 0;
        for (int i = 0; i < TunnelFrame.MAC_LENGTH; i++) {
            diff |= scratch[i] ^ buffer[offset + covered + i];
        }
        return diff == 0;
    }

    private void compute(byte[] buffer, int offset, int length) {
        mac.update(buffer, offset, length);
        try {
            mac.doFinal(scratch, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
