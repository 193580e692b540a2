package org.artcp.node.net;

import java.io.IOException;

/** A failed native call: which call, and errno with its text. */
public final class NativeException extends IOException {
    private final int errno;

    public NativeException(String call, int errno, String text) {
        super(call + ": " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    public NativeException(String message) {
        super(message);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
