package org.artcp.orchestrator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.artcp.node.mysql.SqlClassifier;
import org.artcp.node.mysql.SqlPolicy;
import org.artcp.node.mysql.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./artcp classify "SQL…"}: how the MySQL-aware node classifies a query (paper §4.2). */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Print how an AR-TCP node classifies SQL text sent as one COM_QUERY: READ_ONLY (served by one "
                + "replica, chosen round-robin) or CAUSAL (ordered and run on every replica), with the reason, and "
                + "whether it calls a function whose result differs between replicas (refused by default when causal).",
                "Classification outside a transaction: inside BEGIN … COMMIT, with autocommit off, or under LOCK "
                + "TABLES, every statement is causal. The policy is data: the built-in file "
                + "artcp-node/src/main/resources/org/artcp/node/mysql/sql-policy.txt, extended by --policy FILE "
                + "(the node's mysqlPolicy key, cluster start --sql-policy)."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp classify \"SELECT * FROM t WHERE id = 1\"",
                "  ./artcp classify \"SELECT id FROM t FOR UPDATE\" \"INSERT INTO t VALUES (NOW())\"",
                "  ./artcp classify --policy my-policy.txt \"SELECT my_pure_fn(id) FROM t\"",
                "  ./artcp classify - < queries.sql        one statement per line from standard input"})
public final class ClassifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SQL", arity = "1..*", description = "SQL text to classify; '-' reads one per line from standard input.")
    List<String> sql;

    @Option(names = "--policy", paramLabel = "FILE", description = "A policy file that extends the built-in one.")
    Path policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SqlPolicy p;
        try {
            p = policy == null ? SqlPolicy.builtIn() : SqlPolicy.load(policy);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(policy + ": no such file");
        }
        SqlClassifier classifier = new SqlClassifier(p);
        PrintWriter out = spec.commandLine().getOut();
        for (String text : inputs()) {
            Verdict v = classifier.classify(text);
            out.println(v.requestClass() + "\t" + v.reason()
                    + (v.nondeterministic() ? "\tnondeterministic: " + v.nondeterministicWhat() : "")
                    + (sql.size() > 1 || sql.contains("-") ? "\t" + text : ""));
        }
        return 0;
    }

    private List<String> inputs() throws IOException {
        List<String> out = new ArrayList<>();
        for (String s : sql) {
            if (!s.equals("-")) {
                out.add(s);
                continue;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        }
        return out;
    }
}
