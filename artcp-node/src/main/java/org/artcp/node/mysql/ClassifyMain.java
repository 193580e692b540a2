package org.artcp.node.mysql;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Prints how the primary classifies one SQL text: {@code READ_ONLY<TAB>reason} or
 * {@code CAUSAL<TAB>reason}, plus {@code nondeterministic: NOW} when a causal text calls a
 * function whose result differs between replicas. Usage: {@code [--policy FILE] SQL}.
 */
public final class ClassifyMain {
    private static final String USAGE = "usage: classify [--policy FILE] SQL";

    private ClassifyMain() {}

    public static void main(String[] args) {
        Path policyFile = null;
        String sql = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--policy") && i + 1 < args.length && policyFile == null) {
                policyFile = Path.of(args[++i]);
            } else if (sql == null && !args[i].startsWith("--")) {
                sql = args[i];
            } else {
                sql = null;
                break;
            }
        }
        if (sql == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        SqlPolicy policy;
        try {
            policy = SqlPolicy.load(policyFile);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("classify: " + e.getMessage());
            System.exit(2);
            return;
        }
        Verdict v = new SqlClassifier(policy).classify(sql);
        System.out.println(v.requestClass() + "\t" + v.reason());
        if (v.nondeterministic()) {
            System.out.println("nondeterministic: " + v.nondeterministicWhat());
        }
    }
}
