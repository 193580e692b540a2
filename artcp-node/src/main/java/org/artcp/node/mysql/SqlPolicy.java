package org.artcp.node.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL classification policy as data: the built-in resource {@code sql-policy.txt} (its header
 * documents the format) plus an optional user file in the same format that extends or overrides
 * it. Reading these two files is the package's only I/O, done once when a node starts.
 */
public final class SqlPolicy {

    /** The lists a policy line can name; phrase lists take the whole line as one phrase. */
    enum ListName {
        READ_ONLY_START("read-only-start", false, false),
        CAUSAL_PHRASE("causal-phrase", true, false),
        HARMLESS_PHRASE("harmless-phrase", true, false),
        NOT_A_CALL("not-a-call", false, false),
        TYPE_NAME("type-name", false, false),
        CAUSAL_TABLE("causal-table", false, false),
        PURE_FUNCTION("pure-function", false, true),
        CAUSAL_FUNCTION("causal-function", false, true),
        CAUSAL_IF_ARGUMENT("causal-if-argument", false, true),
        CAUSAL_VARIABLE("causal-variable", false, false),
        NONDETERMINISTIC_FUNCTION("nondeterministic-function", false, true),
        NONDETERMINISTIC_IF_NO_ARGUMENT("nondeterministic-if-no-argument", false, true),
        NONDETERMINISTIC_KEYWORD("nondeterministic-keyword", false, false),
        NONDETERMINISTIC_VARIABLE("nondeterministic-variable", false, false),
        FORGET("forget", false, false);

        final String key;
        final boolean phrase;
        final boolean function;

        ListName(String key, boolean phrase, boolean function) {
            this.key = key;
            this.phrase = phrase;
            this.function = function;
        }

        static ListName of(String key) {
            for (ListName n : values()) {
                if (n.key.equals(key)) {
                    return n;
                }
            }
            return null;
        }
    }

    private static final String RESOURCE = "sql-policy.txt";
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_$.]+");

    private final Map<ListName, Set<String>> words;
    private final Map<ListName, List<List<String>>> phrases;

    private SqlPolicy(Map<ListName, Set<String>> words, Map<ListName, List<List<String>>> phrases) {
        this.words = words;
        this.phrases = phrases;
    }

    /** The built-in policy alone. */
    public static SqlPolicy builtIn() {
        return new Builder().add(RESOURCE, builtInText()).build();
    }

    /** The built-in policy extended and overridden by the user's file (null: the built-in one alone). */
    public static SqlPolicy load(Path userFile) throws IOException {
        if (userFile == null) {
            return builtIn();
        }
        return new Builder().add(RESOURCE, builtInText()).overrideWith(userFile.toString(), Files.readString(userFile)).build();
    }

    private static String builtInText() {
        try (InputStream in = SqlPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource org/artcp/node/mysql/" + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + RESOURCE, e);
        }
    }

    boolean contains(ListName list, String upperWord) {
        return words.get(list).contains(upperWord);
    }

    List<List<String>> phrases(ListName list) {
        return phrases.get(list);
    }

    private static final class Builder {
        private final Map<ListName, Set<String>> words = new EnumMap<>(ListName.class);
        private final Map<ListName, List<List<String>>> phrases = new EnumMap<>(ListName.class);

        Builder() {
            for (ListName n : ListName.values()) {
                words.put(n, new HashSet<>());
                phrases.put(n, new ArrayList<>());
            }
        }

        Builder add(String file, String text) {
            for (Line l : parse(file, text)) {
                if (l.list.phrase) {
                    phrases.get(l.list).add(l.words);
                } else {
                    words.get(l.list).addAll(l.words);
                }
            }
            return this;
        }

        Builder overrideWith(String file, String text) {
            List<Line> lines = parse(file, text);
            for (Line l : lines) {
                if (l.list == ListName.FORGET || l.list.function) {
                    for (String w : l.words) {
                        for (ListName n : ListName.values()) {
                            if (l.list == ListName.FORGET || n.function) {
                                words.get(n).remove(w);
                            }
                        }
                        phrases.values().forEach(ps -> ps.removeIf(p -> l.list == ListName.FORGET && p.equals(List.of(w))));
                    }
                }
            }
            for (Line l : lines) {
                if (l.list == ListName.FORGET) {
                    continue;
                }
                if (l.list.phrase) {
                    phrases.get(l.list).add(l.words);
                } else {
                    words.get(l.list).addAll(l.words);
                }
            }
            return this;
        }

        SqlPolicy build() {
            Map<ListName, Set<String>> w = new EnumMap<>(ListName.class);
            Map<ListName, List<List<String>>> p = new EnumMap<>(ListName.class);
            for (ListName n : ListName.values()) {
                w.put(n, Set.copyOf(words.get(n)));
                p.put(n, List.copyOf(phrases.get(n)));
            }
            return new SqlPolicy(w, p);
        }
    }

    private record Line(ListName list, List<String> words) {}

    private static List<Line> parse(String file, String text) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            ListName list = ListName.of(parts[0].toLowerCase(Locale.ROOT));
            if (list == null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": unknown list '" + parts[0] + "'");
            }
            if (parts.length < 2) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + parts[0] + "' needs at least one word");
            }
            List<String> ws = new ArrayList<>();
            for (int k = 1; k < parts.length; k++) {
                if (!WORD.matcher(parts[k]).matches()) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a word: '" + parts[k] + "'");
                }
                ws.add(parts[k].toUpperCase(Locale.ROOT));
            }
            out.add(new Line(list, List.copyOf(ws)));
        }
        return out;
    }
}
