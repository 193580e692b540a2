package org.artcp.netpipe;

/**
 * An expected failure of a NetPIPE run, with a one-line message that says what happened and what to do. The
 * command prints the message alone, never a stack trace.
 */
public final class NetpipeException extends Exception {
    /** What went wrong, so callers (and tests) can tell cases apart without parsing the message. */
    public enum Kind {
        /** An option value is out of range or does not fit the chosen compat mode. */
        BAD_OPTION,
        /** {@code send}: nothing accepts connections at HOST:PORT. */
        NOTHING_LISTENING,
        /** {@code recv}: the port is taken. */
        PORT_IN_USE,
        /** The two sides do not run the same size schedule: sync mismatch, unexpected data or early EOF. */
        SCHEDULE_MISMATCH,
        /** No byte moved for the stall timeout in the middle of the exchange. */
        STALLED,
        /** Any other I/O failure (unknown host, reset by a dying peer, disk full, …). */
        IO
    }

    private final Kind kind;

    public NetpipeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public NetpipeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static final String SCHEDULE_ADVICE = "the two sides disagree on the size schedule: give both the same -l/-u/-p"
            + " (and the same --compat)";
}
