package org.artcp.node.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into the tokens the classifier needs (MariaDB lexical rules,
 * https://mariadb.com/kb/en/comment-syntax/ and .../string-literals/). Comments are dropped, but
 * executable comments ({@code /*! ... *}{@code /}, {@code /*M! ... *}{@code /}) are code and their
 * content is lexed. Anything it cannot lex with confidence is a {@link LexException}: the caller
 * then says causal. Whether a backslash escapes inside quotes depends on the session's sql_mode
 * (NO_BACKSLASH_ESCAPES, ANSI_QUOTES), which the primary does not know, so the caller lexes text
 * that holds a backslash under each mode.
 */
final class SqlLexer {

    /** Token kinds. WORD and variable text is upper-case (SYS_VAR keeps its scope: GLOBAL.X); STRING text is the decoded content. */
    enum Type {
        WORD, QUOTED_ID, STRING,
        /** "...": a string, or an identifier under sql_mode ANSI_QUOTES. */
        DQ_STRING,
        NUMBER, USER_VAR, SYS_VAR, PUNCT, PLACEHOLDER
    }

    record Token(Type type, String text) {
        boolean is(String punctOrWord) {
            return (type == Type.PUNCT || type == Type.WORD) && text.equals(punctOrWord);
        }
    }

    static final class LexException extends Exception {
        LexException(String message) {
            super(message);
        }
    }

    /** The newest server whose versioned executable comments we can judge (MariaDB 10.11.x). */
    private static final int SERVER_VERSION = 101199;

    private final String s;
    private final boolean singleQuoteBackslash;
    private final boolean doubleQuoteBackslash;
    private int i;
    private boolean inExecutableComment;

    private SqlLexer(String s, boolean singleQuoteBackslash, boolean doubleQuoteBackslash) {
        this.s = s;
        this.singleQuoteBackslash = singleQuoteBackslash;
        this.doubleQuoteBackslash = doubleQuoteBackslash;
    }

    /** The sql_mode variants that lex backslashes differently: default, NO_BACKSLASH_ESCAPES, ANSI_QUOTES. */
    static final boolean[][] MODES = {{true, true}, {false, false}, {true, false}};

    static List<Token> lex(String sql, boolean singleQuoteBackslash, boolean doubleQuoteBackslash) throws LexException {
        return new SqlLexer(sql, singleQuoteBackslash, doubleQuoteBackslash).run();
    }

    private List<Token> run() throws LexException {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                skipLine();
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-' && (i + 2 == n || s.charAt(i + 2) <= ' ')) {
                skipLine();
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                comment();
            } else if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/' && inExecutableComment) {
                inExecutableComment = false;
                i += 2;
            } else if (c == '\'') {
                out.add(new Token(Type.STRING, quoted('\'', singleQuoteBackslash)));
            } else if (c == '"') {
                out.add(new Token(Type.DQ_STRING, quoted('"', doubleQuoteBackslash)));
            } else if (c == '`') {
                out.add(new Token(Type.QUOTED_ID, quoted('`', false)));
            } else if (c == '@') {
                out.add(variable());
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))
                    && (out.isEmpty() || !isNameToken(out.getLast())))) {
                out.add(number());
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(s.charAt(i))) {
                    i++;
                }
                out.add(new Token(Type.WORD, s.substring(start, i).toUpperCase(Locale.ROOT)));
            } else if (c == ':' && i + 1 < n && s.charAt(i + 1) == '=') {
                out.add(new Token(Type.PUNCT, ":="));
                i += 2;
            } else if (c == '?') {
                out.add(new Token(Type.PLACEHOLDER, "?"));
                i++;
            } else if ("(),;.=<>!+-*/%&|^~:{}".indexOf(c) >= 0) {
                out.add(new Token(Type.PUNCT, String.valueOf(c)));
                i++;
            } else {
                throw new LexException("unexpected character '" + c + "'");
            }
        }
        if (inExecutableComment) {
            throw new LexException("unterminated executable comment");
        }
        return out;
    }

    private static boolean isNameToken(Token t) {
        return t.type == Type.WORD || t.type == Type.QUOTED_ID;
    }

    private static boolean isWordChar(char c) {
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }

    private void skipLine() {
        while (i < s.length() && s.charAt(i) != '\n') {
            i++;
        }
    }

    private void comment() throws LexException {
        int n = s.length();
        boolean executable = false;
        int j = i + 2;
        if (j < n && s.charAt(j) == '!') {
            executable = true;
            j++;
        } else if (j + 1 < n && (s.charAt(j) == 'M' || s.charAt(j) == 'm') && s.charAt(j + 1) == '!') {
            executable = true;
            j += 2;
        }
        if (executable) {
            if (inExecutableComment) {
                throw new LexException("nested executable comment");
            }
            int digits = 0;
            while (j + digits < n && Character.isDigit(s.charAt(j + digits))) {
                digits++;
            }
            if (digits != 0 && digits != 5 && digits != 6) {
                throw new LexException("executable comment with an unclear version");
            }
            if (digits > 0 && Integer.parseInt(s.substring(j, j + digits)) > SERVER_VERSION) {
                throw new LexException("executable comment for a server newer than MariaDB 10.11");
            }
            i = j + digits;
            inExecutableComment = true;
            return;
        }
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
            throw new LexException("unterminated comment");
        }
        i = end + 2;
    }

    private String quoted(char q, boolean backslash) throws LexException {
        StringBuilder sb = new StringBuilder();
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && backslash) {
                if (i + 1 >= n) {
                    break;
                }
                sb.append(s.charAt(i + 1));
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    sb.append(q);
                    i += 2;
                } else {
                    i++;
                    return sb.toString();
                }
            } else {
                sb.append(c);
                i++;
            }
        }
        throw new LexException("unterminated " + (q == '`' ? "quoted identifier" : "string"));
    }

    private Token variable() throws LexException {
        int n = s.length();
        boolean system = i + 1 < n && s.charAt(i + 1) == '@';
        i += system ? 2 : 1;
        if (i < n && (s.charAt(i) == '\'' || s.charAt(i) == '"' || s.charAt(i) == '`')) {
            if (system) {
                throw new LexException("quoted system variable name");
            }
            char q = s.charAt(i);
            return new Token(Type.USER_VAR, quoted(q, q != '`' && (q == '\'' ? singleQuoteBackslash : doubleQuoteBackslash))
                    .toUpperCase(Locale.ROOT));
        }
        int start = i;
        while (i < n && (isWordChar(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String name = s.substring(start, i).toUpperCase(Locale.ROOT);
        if (!system) {
            return new Token(Type.USER_VAR, name);
        }
        if (name.isEmpty()) {
            throw new LexException("empty system variable name");
        }
        return new Token(Type.SYS_VAR, name);
    }

    private Token number() {
        int n = s.length();
        int start = i;
        while (i < n && (isWordChar(s.charAt(i)) || s.charAt(i) == '.')) {
            char c = s.charAt(i);
            i++;
            if ((c == 'e' || c == 'E') && i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')
                    && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                i++;
            }
        }
        return new Token(Type.NUMBER, s.substring(start, i).toUpperCase(Locale.ROOT));
    }
}
