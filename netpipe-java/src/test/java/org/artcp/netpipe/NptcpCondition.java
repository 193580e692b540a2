package org.artcp.netpipe;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledIfNptcp}. */
final class NptcpCondition implements ExecutionCondition {
    private static volatile boolean reported;

    /** The NPtcp binary on the PATH, if any. */
    static Optional<Path> nptcp() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "NPtcp");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Path> binary = nptcp();
        if (binary.isPresent()) {
            return ConditionEvaluationResult.enabled("NPtcp found at " + binary.get());
        }
        String reason = "NPtcp is not on the PATH: interop tests with the C NetPIPE are skipped"
                + " (install it with ./artcp setup, or apt-get install netpipe-tcp)";
        if (!reported) {
            reported = true;
            System.err.println("SKIPPED " + context.getDisplayName() + ": " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
