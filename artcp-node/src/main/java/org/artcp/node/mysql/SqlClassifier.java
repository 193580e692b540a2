package org.artcp.node.mysql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.artcp.node.mysql.SqlLexer.LexException;
import org.artcp.node.mysql.SqlLexer.Token;
import org.artcp.node.mysql.SqlLexer.Type;
import org.artcp.node.mysql.SqlPolicy.ListName;

/**
 * Classifies the SQL text of one COM_QUERY (paper §4.2): read-only when every statement in it is
 * a read the policy allows, causal otherwise; for causal text, whether it calls a function whose
 * result differs between replicas. Stateless: the session state (transactions, autocommit,
 * LOCK TABLES) is the caller's, fed by {@link #analyze}'s effects.
 */
public final class SqlClassifier {
    /**
     * Query texts that only read the diagnostics of the connection's last other statement (these
     * statements do not reset them, so a chain of them keeps reading the same node's).
     */
    private static final Pattern DIAGNOSTICS = Pattern.compile(
            "\\s*(SHOW\\s+(WARNINGS|ERRORS|COUNT\\s*\\(\\s*\\*\\s*\\)\\s*(WARNINGS|ERRORS))(\\s+LIMIT\\s+\\d+(\\s*,\\s*\\d+)?)?"
            + "|SHOW\\s+PROFILES?\\b[^;]*"
            + "|SELECT\\s+(@@(SESSION\\.)?(WARNING_COUNT|ERROR_COUNT)|FOUND_ROWS\\s*\\(\\s*\\)|ROW_COUNT\\s*\\(\\s*\\)))\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);

    /**
     * Whether {@code sql} is one statement that only reads what the connection's previous statement
     * left on the node that ran it: {@code SHOW WARNINGS}, {@code SHOW ERRORS}, {@code SHOW COUNT(*) …},
     * {@code SHOW PROFILES}, {@code SELECT @@warning_count}, {@code @@error_count}, {@code FOUND_ROWS()},
     * {@code ROW_COUNT()} (the plain forms only). {@link #classify} calls these causal.
     */
    public static boolean readsPreviousStatement(String sql) {
        return DIAGNOSTICS.matcher(sql).matches();
    }


    /** The verdict plus the statements' effects on the session state, in order. */
    record Analysis(Verdict verdict, List<Effect> effects) {}

    private static final Set<String> LOCK_FUNCTIONS = Set.of("GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS",
            "IS_FREE_LOCK", "IS_USED_LOCK");
    private static final Set<String> SEQUENCE_FUNCTIONS = Set.of("NEXTVAL", "SETVAL", "LASTVAL");
    /** The last character of every comparison operator (=, <, >, <=, >=, <>, !=, <=>) as lexed. */
    private static final Set<String> COMPARISONS = Set.of("=", "<", ">");
    private static final Set<String> COMPOUND_LEADS = Set.of("IF", "CASE", "LOOP", "WHILE", "REPEAT");
    private static final Map<String, String> LEAD_REASONS = Map.ofEntries(
            Map.entry("INSERT", "changes data"), Map.entry("UPDATE", "changes data"), Map.entry("DELETE", "changes data"),
            Map.entry("REPLACE", "changes data"), Map.entry("LOAD", "changes data"), Map.entry("TRUNCATE", "changes data"),
            Map.entry("CREATE", "changes the schema"), Map.entry("ALTER", "changes the schema"),
            Map.entry("DROP", "changes the schema"), Map.entry("RENAME", "changes the schema"),
            Map.entry("SET", "sets session or server state"), Map.entry("BEGIN", "opens a transaction"),
            Map.entry("START", "opens a transaction (or starts something)"), Map.entry("COMMIT", "ends a transaction"),
            Map.entry("ROLLBACK", "ends a transaction"), Map.entry("SAVEPOINT", "is transaction control"),
            Map.entry("RELEASE", "is transaction control"), Map.entry("XA", "is transaction control"),
            Map.entry("LOCK", "takes table locks"), Map.entry("UNLOCK", "releases table locks"),
            Map.entry("CALL", "calls a stored procedure"), Map.entry("DO", "evaluates expressions for their side effects"),
            Map.entry("PREPARE", "prepares a statement on every replica"),
            Map.entry("EXECUTE", "runs a text-prepared statement (not tracked by name)"),
            Map.entry("DEALLOCATE", "drops a prepared statement on every replica"),
            Map.entry("USE", "changes the default database"), Map.entry("HANDLER", "keeps a cursor on this replica"),
            Map.entry("ANALYZE", "updates statistics or runs the statement"),
            Map.entry("FLUSH", "changes server state"), Map.entry("KILL", "kills a thread"));

    private final SqlPolicy policy;

    public SqlClassifier(SqlPolicy p) {
        this.policy = p;
    }

    /** The class of the whole text: read-only only when every statement in it is. */
    public Verdict classify(String sql) {
        return analyze(sql).verdict();
    }

    Analysis analyze(String sql) {
        if (sql.indexOf('\\') < 0) {
            return analyzeMode(sql, true, true);
        }
        // Backslashes lex differently under NO_BACKSLASH_ESCAPES / ANSI_QUOTES, which we cannot see:
        // read-only only if read-only under every mode; effects only if every mode agrees.
        Analysis first = null;
        Analysis causal = null;
        boolean effectsAgree = true;
        boolean nondeterministic = false;
        String what = null;
        for (boolean[] mode : SqlLexer.MODES) {
            Analysis a = analyzeMode(sql, mode[0], mode[1]);
            if (first == null) {
                first = a;
            } else if (!a.effects().equals(first.effects())) {
                effectsAgree = false;
            }
            if (!a.verdict().isReadOnly() && causal == null) {
                causal = a;
            }
            if (a.verdict().nondeterministic() && !nondeterministic) {
                nondeterministic = true;
                what = a.verdict().nondeterministicWhat();
            }
        }
        List<Effect> effects = effectsAgree ? first.effects() : List.of(Effect.of(Effect.Kind.UNKNOWN));
        if (causal == null) {
            return new Analysis(first.verdict(), effects);
        }
        Verdict v = causal.verdict();
        String reason = first.verdict().isReadOnly()
                ? "read-only or not depending on sql_mode (backslash escapes): " + v.reason() : v.reason();
        return new Analysis(new Verdict(RequestClass.CAUSAL, reason, nondeterministic, what), effects);
    }

    /** The number of '?' placeholders in the text (default sql_mode), or -1 if it cannot be lexed. */
    static int placeholders(String sql) {
        try {
            return (int) SqlLexer.lex(sql, true, true).stream().filter(t -> t.type() == Type.PLACEHOLDER).count();
        } catch (LexException e) {
            return -1;
        }
    }

    private Analysis analyzeMode(String sql, boolean singleBackslash, boolean doubleBackslash) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.lex(sql, singleBackslash, doubleBackslash);
        } catch (LexException e) {
            // The server may still run something: treat it as an unknown change of session state too.
            return new Analysis(Verdict.causal("cannot lex the SQL with confidence: " + e.getMessage()),
                    List.of(Effect.of(Effect.Kind.UNKNOWN)));
        }
        List<List<Token>> statements = split(tokens);
        if (statements.isEmpty()) {
            return new Analysis(Verdict.causal("no statement (only comments or ';'): cheap everywhere"), List.of());
        }
        String readReason = null;
        String causalReason = null;
        String nondeterministic = null;
        boolean unclear = false;
        List<Effect> effects = new ArrayList<>();
        for (List<Token> st : statements) {
            String why = readOnlyViolation(st);
            if (why == null) {
                if (readReason == null) {
                    readReason = st.getFirst().text() + " reads";
                }
            } else {
                if (causalReason == null) {
                    causalReason = why;
                }
                if (nondeterministic == null) {
                    nondeterministic = nondeterministicCall(st);
                }
            }
            // From a compound statement or a stored-program body on, what runs now is unclear (a body
            // runs later, an IF branch maybe): only effects that keep the session all-causal count, and
            // they count wherever they stand.
            unclear |= isCompoundOrBody(st);
            if (unclear) {
                for (int k = 0; k < st.size(); k++) {
                    if (st.get(k).is("BEGIN")) {
                        continue; // inside compound statements BEGIN opens a block
                    }
                    for (Effect e : effects(st, k)) {
                        if (e.kind() == Effect.Kind.EXECUTE) {
                            effects.add(Effect.of(Effect.Kind.UNKNOWN));
                        } else if (e.kind().tightens()) {
                            effects.add(e);
                        }
                    }
                }
            } else {
                effects.addAll(effects(st, 0));
            }
        }
        if (causalReason == null) {
            String reason = statements.size() == 1 ? readReason : statements.size() + " read-only statements";
            return new Analysis(Verdict.readOnly(reason), List.copyOf(effects));
        }
        return new Analysis(new Verdict(RequestClass.CAUSAL, causalReason, nondeterministic != null, nondeterministic),
                List.copyOf(effects));
    }

    private static List<List<Token>> split(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        for (Token t : tokens) {
            if (t.type() == Type.PUNCT && t.text().equals(";")) {
                if (!cur.isEmpty()) {
                    out.add(cur);
                }
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Null when the statement is a read the policy allows; else why it is causal. */
    private String readOnlyViolation(List<Token> st) {
        int p = 0;
        while (p < st.size() && st.get(p).is("(")) {
            p++;
        }
        if (p == st.size() || st.get(p).type() != Type.WORD) {
            return "does not start with a keyword";
        }
        String lead = st.get(p).text();
        if (!policy.contains(ListName.READ_ONLY_START, lead)) {
            String r = LEAD_REASONS.get(lead);
            return lead + " " + (r != null ? r : "is not a read-only statement");
        }
        Set<Integer> notCalls = lead.equals("WITH") ? cteColumnLists(st, p) : Set.of();
        for (int i = p; i < st.size(); i++) {
            Token t = st.get(i);
            Token next = i + 1 < st.size() ? st.get(i + 1) : null;
            boolean call = next != null && next.is("(");
            switch (t.type()) {
                case PUNCT -> {
                    if (t.text().equals(":=")) {
                        return "assigns a user variable (:=)";
                    }
                }
                case SYS_VAR -> {
                    if (policy.contains(ListName.CAUSAL_VARIABLE, variableName(t))) {
                        return "@@" + t.text().toLowerCase(Locale.ROOT) + " describes the previous statement on this node";
                    }
                }
                case QUOTED_ID, DQ_STRING -> {
                    if (call && !notCalls.contains(i)) {
                        return "calls " + (t.type() == Type.QUOTED_ID ? "`" + t.text() + "`" : "\"" + t.text() + "\"")
                                + "(), a stored function";
                    }
                    if (t.type() == Type.QUOTED_ID && causalTable(st, i)) {
                        return "reads `" + t.text() + "`, a causal table or view by the policy";
                    }
                }
                case WORD -> {
                    int skip = phraseAt(st, i, ListName.HARMLESS_PHRASE, false);
                    if (skip > 0) {
                        i += skip - 1;
                        continue;
                    }
                    int hit = phraseAt(st, i, ListName.CAUSAL_PHRASE, true);
                    if (hit > 0) {
                        return phraseReason(st, i, hit, lead);
                    }
                    if (causalTable(st, i)) {
                        return "reads " + t.text() + ", a causal table or view by the policy";
                    }
                    if (call && !notCalls.contains(i)) {
                        String why = callViolation(st, i);
                        if (why != null) {
                            return why;
                        }
                    }
                }
                default -> { }
            }
        }
        return null;
    }

    private String callViolation(List<Token> st, int i) {
        String name = st.get(i).text();
        if (i >= 2 && st.get(i - 1).is(".")) {
            String qualified = st.get(i - 2).text().toUpperCase(Locale.ROOT) + "." + name;
            return policy.contains(ListName.PURE_FUNCTION, qualified) ? null
                    : "calls " + qualified.toLowerCase(Locale.ROOT) + "(), a stored function";
        }
        if (policy.contains(ListName.NOT_A_CALL, name) || syntaxBeforeParen(st, i)) {
            return null;
        }
        if (policy.contains(ListName.CAUSAL_FUNCTION, name)) {
            if (LOCK_FUNCTIONS.contains(name)) {
                return name + "() takes or inspects a user lock on this node";
            }
            if (SEQUENCE_FUNCTIONS.contains(name)) {
                return name + "() uses a sequence";
            }
            return name + "() is causal by the policy (per-node state or a wait)";
        }
        if (policy.contains(ListName.CAUSAL_IF_ARGUMENT, name) && i + 2 < st.size() && !st.get(i + 2).is(")")) {
            return name + "(expr) sets session state";
        }
        if (policy.contains(ListName.PURE_FUNCTION, name) || policy.contains(ListName.NONDETERMINISTIC_FUNCTION, name)
                || policy.contains(ListName.NONDETERMINISTIC_IF_NO_ARGUMENT, name)
                || policy.contains(ListName.CAUSAL_IF_ARGUMENT, name)) {
            return null;
        }
        return "calls " + name + "(), not in the allowlist (may be a stored function)";
    }

    /**
     * Non-reserved words that stand before '(' by the grammar, recognised by what precedes them:
     * a comparison's ANY/SOME (x = ANY (subquery)), MATCH (a) AGAINST ('x'), JSON_TABLE's
     * '$.path' COLUMNS (...), and a type name after AS (CAST(x AS DATETIME(6))). Elsewhere the
     * same word before '(' may call a stored function of that name.
     */
    private boolean syntaxBeforeParen(List<Token> st, int i) {
        if (i == 0) {
            return false;
        }
        String name = st.get(i).text();
        Token prev = st.get(i - 1);
        return switch (name) {
            case "ANY", "SOME" -> prev.type() == Type.PUNCT && COMPARISONS.contains(prev.text());
            case "AGAINST" -> prev.is(")");
            case "COLUMNS" -> prev.type() == Type.STRING || prev.type() == Type.DQ_STRING;
            default -> prev.is("AS") && policy.contains(ListName.TYPE_NAME, name);
        };
    }

    /** A name token (not a call, not a column after '.') that the policy lists as a causal table or view. */
    private boolean causalTable(List<Token> st, int i) {
        String name = st.get(i).text().toUpperCase(Locale.ROOT);
        if (policy.contains(ListName.CAUSAL_TABLE, name)) {
            return true;
        }
        return i + 2 < st.size() && st.get(i + 1).is(".")
                && policy.contains(ListName.CAUSAL_TABLE, name + "." + st.get(i + 2).text().toUpperCase(Locale.ROOT));
    }

    private static String phraseReason(List<Token> st, int i, int len, String lead) {
        StringBuilder phrase = new StringBuilder();
        for (int k = i; k < i + len; k++) {
            phrase.append(k > i ? " " : "").append(st.get(k).text());
        }
        String p = phrase.toString();
        return switch (p) {
            case "FOR UPDATE", "FOR SHARE", "LOCK IN SHARE MODE" -> lead + " ... " + p + " locks rows";
            case "INTO" -> lead + " ... INTO writes a variable or file";
            case "SET" -> "SET inside " + lead + " changes session state";
            case "SQL_CALC_FOUND_ROWS" -> "SQL_CALC_FOUND_ROWS keeps per-node state for FOUND_ROWS()";
            case "NEXT VALUE FOR", "PREVIOUS VALUE FOR", "NEXTVAL", "LASTVAL" -> p + " uses a sequence";
            default -> p.startsWith("SHOW ") ? p + " describes the previous statement on this node"
                    : lead + " with " + p + " changes data";
        };
    }

    /** The length of a phrase of the list that starts at i, or 0. */
    private int phraseAt(List<Token> st, int i, ListName list, boolean notBeforeParen) {
        for (List<String> ph : policy.phrases(list)) {
            if (i + ph.size() > st.size()) {
                continue;
            }
            boolean match = true;
            for (int k = 0; k < ph.size() && match; k++) {
                Token t = st.get(i + k);
                match = t.type() == Type.WORD && t.text().equals(ph.get(k));
            }
            if (match && notBeforeParen && ph.size() == 1 && i + 1 < st.size() && st.get(i + 1).is("(")) {
                match = false;
            }
            if (match) {
                return ph.size();
            }
        }
        return 0;
    }

    /** Indices of CTE names whose '(' opens a column list, not a call: WITH [RECURSIVE] name (a, b) AS (...), ... */
    private static Set<Integer> cteColumnLists(List<Token> st, int withAt) {
        Set<Integer> out = new HashSet<>();
        int i = withAt + 1;
        if (i < st.size() && st.get(i).is("RECURSIVE")) {
            i++;
        }
        while (i + 1 < st.size()) {
            if (st.get(i + 1).is("(")) {
                out.add(i);
                i = matching(st, i + 1) + 1;
            } else {
                i++;
            }
            if (i + 1 >= st.size() || !st.get(i).is("AS") || !st.get(i + 1).is("(")) {
                break;
            }
            i = matching(st, i + 1) + 1;
            if (i >= st.size() || !st.get(i).is(",")) {
                break;
            }
            i++;
        }
        return out;
    }

    private static int matching(List<Token> st, int open) {
        int depth = 0;
        for (int i = open; i < st.size(); i++) {
            if (st.get(i).is("(")) {
                depth++;
            } else if (st.get(i).is(")") && --depth == 0) {
                return i;
            }
        }
        return st.size();
    }

    private static String variableName(Token sysVar) {
        String n = sysVar.text();
        for (String scope : new String[] {"GLOBAL.", "SESSION.", "LOCAL."}) {
            if (n.startsWith(scope)) {
                return n.substring(scope.length());
            }
        }
        return n;
    }

    /** The first nondeterministic function or variable a causal statement uses, or null. */
    private String nondeterministicCall(List<Token> st) {
        String lead = st.getFirst().type() == Type.WORD ? st.getFirst().text() : "";
        if (lead.equals("CREATE") && definesRoutineOrView(st)) {
            return null; // a definition computes nothing now; the routine's callers are judged when they run
        }
        for (int i = 0; i < st.size(); i++) {
            Token t = st.get(i);
            boolean call = i + 1 < st.size() && st.get(i + 1).is("(");
            if (t.type() == Type.SYS_VAR) {
                boolean assigned = lead.equals("SET") && i + 1 < st.size() && (st.get(i + 1).is("=") || st.get(i + 1).is(":="));
                if (!assigned && policy.contains(ListName.NONDETERMINISTIC_VARIABLE, variableName(t))) {
                    return "@@" + variableName(t).toLowerCase(Locale.ROOT);
                }
                continue;
            }
            if (t.type() != Type.WORD || (i > 0 && st.get(i - 1).is("."))) {
                continue;
            }
            String w = t.text();
            boolean hit = (call && policy.contains(ListName.NONDETERMINISTIC_FUNCTION, w))
                    || (!call && policy.contains(ListName.NONDETERMINISTIC_KEYWORD, w))
                    || (call && policy.contains(ListName.NONDETERMINISTIC_IF_NO_ARGUMENT, w) && i + 2 < st.size()
                            && st.get(i + 2).is(")"));
            if (hit && !(lead.equals("CREATE") && isColumnDefault(st, i))) {
                return w;
            }
        }
        return null;
    }

    /** DEFAULT x, DEFAULT (x), ON UPDATE x in CREATE TABLE: a column default, computed when a row is written. */
    private static boolean isColumnDefault(List<Token> st, int i) {
        int j = i - 1;
        while (j >= 0 && st.get(j).is("(")) {
            j--;
        }
        return j >= 0 && (st.get(j).is("DEFAULT") || (st.get(j).is("UPDATE") && j >= 1 && st.get(j - 1).is("ON")));
    }

    private static boolean definesRoutineOrView(List<Token> st) {
        for (Token t : st) {
            if (t.is("(") || t.is("AS") || t.is("TABLE")) {
                return false;
            }
            if (t.is("PROCEDURE") || t.is("FUNCTION") || t.is("VIEW")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCompoundOrBody(List<Token> st) {
        Token first = st.getFirst();
        if (first.type() == Type.WORD && COMPOUND_LEADS.contains(first.text())) {
            return true;
        }
        if (st.size() > 1 && (first.type() == Type.WORD || first.type() == Type.QUOTED_ID) && st.get(1).is(":")) {
            return true; // a labelled compound statement
        }
        for (int i = 0; i < st.size(); i++) {
            if (st.get(i).is("BEGIN") && (i > 0 || (st.size() > 1 && st.get(1).is("NOT")))) {
                return true;
            }
        }
        return first.is("CREATE") && st.stream().anyMatch(t -> t.is("TRIGGER") || t.is("EVENT"));
    }

    /** The statement's effects on the session state (see {@link Effect}). */
    private List<Effect> effects(List<Token> st, int from) {
        if (from >= st.size() || st.get(from).type() != Type.WORD) {
            return List.of();
        }
        String lead = st.get(from).text();
        String second = from + 1 < st.size() ? st.get(from + 1).text() : "";
        switch (lead) {
            case "BEGIN":
                return second.equals("NOT") ? List.of() : List.of(Effect.of(Effect.Kind.BEGIN)); // BEGIN NOT ATOMIC: a block
            case "START":
                return second.equals("TRANSACTION") ? List.of(Effect.of(Effect.Kind.BEGIN)) : List.of();
            case "XA":
                return switch (second) {
                    case "START", "BEGIN" -> List.of(Effect.of(Effect.Kind.BEGIN));
                    case "COMMIT", "ROLLBACK" -> List.of(Effect.of(Effect.Kind.COMMIT_NO_CHAIN));
                    default -> List.of();
                };
            case "COMMIT", "ROLLBACK": {
                for (int i = from + 1; i < st.size(); i++) {
                    if (st.get(i).is("TO")) {
                        return List.of(); // ROLLBACK TO SAVEPOINT keeps the transaction
                    }
                    if (st.get(i).is("AND")) {
                        boolean no = i + 1 < st.size() && st.get(i + 1).is("NO");
                        return List.of(Effect.of(no ? Effect.Kind.COMMIT_NO_CHAIN : Effect.Kind.COMMIT_CHAIN));
                    }
                }
                return List.of(Effect.of(Effect.Kind.COMMIT));
            }
            case "SET":
                return setEffects(st, from + 1);
            case "LOCK":
                return second.equals("TABLE") || second.equals("TABLES") ? List.of(Effect.of(Effect.Kind.LOCK)) : List.of();
            case "UNLOCK":
                return second.equals("TABLE") || second.equals("TABLES") ? List.of(Effect.of(Effect.Kind.UNLOCK)) : List.of();
            case "FLUSH": {
                for (int i = from; i + 1 < st.size(); i++) {
                    if ((st.get(i).is("READ") && st.get(i + 1).is("LOCK")) || (st.get(i).is("FOR") && st.get(i + 1).is("EXPORT"))) {
                        return List.of(Effect.of(Effect.Kind.LOCK));
                    }
                }
                return List.of();
            }
            case "PREPARE": {
                if (from + 3 < st.size() && st.get(from + 2).is("FROM")) {
                    String name = st.get(from + 1).text().toUpperCase(Locale.ROOT);
                    Token src = st.get(from + 3);
                    List<Effect> inner = src.type() == Type.STRING && from + 4 == st.size() ? analyze(src.text()).effects() : null;
                    return List.of(new Effect(Effect.Kind.PREPARE, name, inner));
                }
                return List.of(Effect.of(Effect.Kind.UNKNOWN));
            }
            case "EXECUTE": {
                if (second.equals("IMMEDIATE")) {
                    Token src = from + 2 < st.size() ? st.get(from + 2) : null;
                    return src != null && src.type() == Type.STRING && from + 3 == st.size()
                            ? analyze(src.text()).effects() : List.of(Effect.of(Effect.Kind.UNKNOWN));
                }
                return from + 1 < st.size()
                        ? List.of(new Effect(Effect.Kind.EXECUTE, st.get(from + 1).text().toUpperCase(Locale.ROOT), null))
                        : List.of(Effect.of(Effect.Kind.UNKNOWN));
            }
            case "DEALLOCATE", "DROP": {
                if (second.equals("PREPARE") && from + 2 < st.size()) {
                    return List.of(new Effect(Effect.Kind.DEALLOCATE, st.get(from + 2).text().toUpperCase(Locale.ROOT), null));
                }
                return List.of();
            }
            default:
                return List.of();
        }
    }

    /** SET [STATEMENT ...] assignments to autocommit and completion_type. */
    private List<Effect> setEffects(List<Token> st, int from) {
        int end = st.size();
        boolean statement = from < st.size() && st.get(from).is("STATEMENT");
        List<Effect> after = List.of();
        if (statement) {
            from++;
            for (int i = from, depth = 0; i < st.size(); i++) {
                if (st.get(i).is("(")) {
                    depth++;
                } else if (st.get(i).is(")")) {
                    depth--;
                } else if (depth == 0 && st.get(i).is("FOR")) {
                    end = i;
                    after = effects(st, i + 1);
                    break;
                }
            }
        }
        List<Effect> out = new ArrayList<>();
        int i = from;
        while (i < end) {
            int stop = i;
            for (int depth = 0; stop < end; stop++) {
                if (st.get(stop).is("(")) {
                    depth++;
                } else if (st.get(stop).is(")")) {
                    depth--;
                } else if (depth == 0 && st.get(stop).is(",")) {
                    break;
                }
            }
            Effect e = assignment(st.subList(i, stop));
            // SET STATEMENT var=... FOR applies for one statement only: only a tightening effect counts.
            if (e != null && (!statement || e.kind().tightens())) {
                out.add(e);
            }
            i = stop + 1;
        }
        out.addAll(after);
        return out;
    }

    private static Effect assignment(List<Token> a) {
        int k = 0;
        boolean global = false;
        if (k < a.size() && (a.get(k).is("GLOBAL") || a.get(k).is("SESSION") || a.get(k).is("LOCAL"))) {
            global = a.get(k).is("GLOBAL");
            k++;
        }
        if (k + 2 > a.size()) {
            return null;
        }
        Token nameTok = a.get(k);
        String name;
        if (nameTok.type() == Type.SYS_VAR) {
            global |= nameTok.text().startsWith("GLOBAL.");
            name = variableName(nameTok);
        } else if (nameTok.type() == Type.WORD) {
            name = nameTok.text();
        } else {
            return null;
        }
        if (global || !(a.get(k + 1).is("=") || a.get(k + 1).is(":="))) {
            return null;
        }
        List<Token> value = a.subList(k + 2, a.size());
        String v = value.size() == 1 ? value.getFirst().text().toUpperCase(Locale.ROOT) : "?";
        if (name.equals("AUTOCOMMIT")) {
            return switch (v) {
                case "1", "ON", "TRUE" -> Effect.of(Effect.Kind.AUTOCOMMIT_ON);
                default -> Effect.of(Effect.Kind.AUTOCOMMIT_OFF);
            };
        }
        if (name.equals("COMPLETION_TYPE")) {
            return v.equals("0") || v.equals("NO_CHAIN") ? Effect.of(Effect.Kind.COMPLETION_NO_CHAIN)
                    : Effect.of(Effect.Kind.COMPLETION_CHAIN);
        }
        return null;
    }
}
