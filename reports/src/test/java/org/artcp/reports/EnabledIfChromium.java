package org.artcp.reports;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only where a Chromium binary is installed; elsewhere disables it and prints the
 * reason on stderr, so a skipped browser check is never silent (STYLE §9).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledIfChromium.Condition.class)
@interface EnabledIfChromium {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<java.nio.file.Path> binary = HeadlessChromium.find();
            if (binary.isPresent()) {
                return ConditionEvaluationResult.enabled("Chromium at " + binary.get());
            }
            String override = System.getenv("ARTCP_CHROMIUM");
            String reason = (override != null && !override.isBlank()
                    ? "ARTCP_CHROMIUM=" + override + " is not an executable file"
                    : "no Chromium installed (looked for /usr/bin/chromium, chromium-browser, google-chrome)")
                    + ": the browser check of report.html did not run; install Chromium ('apt-get install chromium')"
                    + " or point ARTCP_CHROMIUM at one";
            System.err.println("SKIPPED " + context.getDisplayName() + ": " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
