package org.artcp.reports;

import java.io.IOException;

/**
 * A results directory that cannot be rendered: missing, not a directory, without
 * {@code summary.json}, or with a file that does not follow docs/results-format.md. The message
 * is one line that names the path and says what to do.
 */
public final class ResultsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ResultsFormatException(String message) {
        super(message);
    }

    public ResultsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
