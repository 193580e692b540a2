package org.artcp.orchestrator.testbed;

/**
 * An expected failure of a testbed or setup operation: not root, a tool missing, {@code ip} refused,
 * already up with other settings, an unknown host. The message is one line that says what went wrong
 * and what to do; commands print it without a stack trace.
 */
public final class TestbedException extends Exception {
    public TestbedException(String oneLineMessage) {
        super(oneLineMessage);
    }

    public TestbedException(String oneLineMessage, Throwable cause) {
        super(oneLineMessage, cause);
    }
}
