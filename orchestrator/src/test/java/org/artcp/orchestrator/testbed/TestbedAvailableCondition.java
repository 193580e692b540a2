package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The condition behind {@link RequiresTestbed}: probes once per JVM whether namespace tests can run here
 * and, when they cannot, disables them with the reason (also printed on stderr, once per test class).
 */
public final class TestbedAvailableCondition implements ExecutionCondition {
    private static volatile Optional<String> hostProblem;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // a class-level annotation checks for an existing testbed once, before its @BeforeAll makes one;
        // its methods then only need the machine checks
        boolean classChecked = context.getTestMethod().isPresent() && context.getTestClass()
                .map(c -> AnnotationSupport.isAnnotated(c, RequiresTestbed.class)).orElse(false);
        Optional<String> problem = classChecked ? machineProblem() : problem();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("root, /dev/net/tun and network namespaces are available");
        }
        String reason = "testbed test skipped: " + problem.get();
        if (context.getTestMethod().isEmpty()) {
            System.err.println("[" + context.getDisplayName() + "] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why testbed tests cannot run here, or empty when they can. */
    public static Optional<String> problem() {
        Optional<String> host = machineProblem();
        if (host.isPresent()) {
            return host;
        }
        // checked every time: an earlier class in this run must have cleaned up after itself
        Testbed.Leftovers left = Testbed.findLeftovers(Testbed.readState());
        if (!left.isEmpty()) {
            return Optional.of("a testbed already exists (" + left.describe() + "); these tests make their own and "
                    + "would destroy it; run ./artcp testbed down first");
        }
        return Optional.empty();
    }

    /** Why this machine cannot run namespace tests at all (probed once per JVM), or empty. */
    public static Optional<String> machineProblem() {
        Optional<String> host = hostProblem;
        if (host == null) {
            host = probeHost();
            hostProblem = host;
        }
        return host;
    }

    private static Optional<String> probeHost() {
        if (!Sys.isRoot()) {
            return Optional.of("not running as root (network namespaces and cgroups need it)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("/dev/net/tun does not exist (no TUN support in this kernel or container)");
        }
        for (String tool : List.of("ip", "tc", "ethtool")) {
            if (Sys.which(tool).isEmpty()) {
                return Optional.of(tool + " is not installed; run ./artcp setup");
            }
        }
        // not artcp-*: a probe must never look like part of a testbed
        String probe = "artcpprobe" + ProcessHandle.current().pid();
        try {
            Sys.Result add = Sys.run(List.of("ip", "netns", "add", probe));
            if (!add.ok()) {
                return Optional.of("ip netns add fails here: " + add.firstErrorLine());
            }
            Sys.run(List.of("ip", "netns", "del", probe));
        } catch (TestbedException e) {
            return Optional.of("cannot probe network namespaces: " + e.getMessage());
        }
        return Optional.empty();
    }
}
