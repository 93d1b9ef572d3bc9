package io.opskit.jdbc.internal;

/**
 * Turns SQL text into its shape: literals (strings, {@code E''}/{@code X''} strings, dollar-quoted
 * strings, numbers) become {@code ?}, comments are dropped, whitespace is collapsed and lists of
 * placeholders become one, so a slow-query list never holds data (no customer names, no tokens)
 * and the same statement with other values reads the same. Identifiers, quoted identifiers and
 * bind markers ({@code ?}, {@code $1}) are kept.
 */
public final class SqlNormalizer {

    /** The longest normalized text kept; longer text is cut and ends with an ellipsis. */
    public static final int MAX_LENGTH = 2048;

    private SqlNormalizer() {
    }

    /** The normalized shape of {@code sql}. */
    public static String normalize(String sql) {
        if (sql == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH + 16));
        int n = sql.length();
        int i = 0;
        while (i < n && out.length() <= MAX_LENGTH) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = skipLineComment(sql, i);
                space(out);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
                space(out);
            } else if (c == '\'') {
                dropLiteralPrefix(out);
                i = skipString(sql, i, backslashEscapes(sql, i));
                out.append('?');
            } else if (c == '"' || c == '`') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && i + 1 < n && !Character.isDigit(sql.charAt(i + 1)) && !identifierPart(out)) {
                int tagEnd = sql.indexOf('$', i + 1);
                if (tagEnd > 0 && isTag(sql, i + 1, tagEnd)) {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    i = close < 0 ? n : close + tag.length();
                    out.append('?');
                } else {
                    out.append(c);
                    i++;
                }
            } else if (Character.isDigit(c) && !identifierPart(out)) {
                i = skipNumber(sql, i);
                out.append('?');
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        String shaped = collapseLists(out.toString().trim());
        return shaped.length() > MAX_LENGTH ? shaped.substring(0, MAX_LENGTH) + "…" : shaped;
    }

    private static int skipLineComment(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    private static int skipBlockComment(String sql, int i) {
        int end = sql.indexOf("*/", i + 2);
        return end < 0 ? sql.length() : end + 2;
    }

    private static boolean backslashEscapes(String sql, int quote) {
        return quote > 0 && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e');
    }

    /** E'..', N'..', X'..', B'..', U&'..' : the prefix letter belongs to the literal. */
    private static void dropLiteralPrefix(StringBuilder out) {
        int len = out.length();
        if (len == 0) {
            return;
        }
        char last = out.charAt(len - 1);
        if ("EeNnXxBb".indexOf(last) >= 0 && (len == 1 || !isIdentifierChar(out.charAt(len - 2)))) {
            out.setLength(len - 1);
        } else if (last == '&' && len >= 2 && (out.charAt(len - 2) == 'U' || out.charAt(len - 2) == 'u')) {
            out.setLength(len - 2);
        }
    }

    private static int skipString(String sql, int i, boolean backslash) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    private static int skipNumber(String sql, int i) {
        int n = sql.length();
        int j = i;
        if (sql.charAt(j) == '0' && j + 1 < n && (sql.charAt(j + 1) == 'x' || sql.charAt(j + 1) == 'X')) {
            j += 2;
            while (j < n && Character.digit(sql.charAt(j), 16) >= 0) {
                j++;
            }
            return j;
        }
        while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.' || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && Character.isDigit(sql.charAt(k))) {
                j = k;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
            }
        }
        return j;
    }

    private static boolean isTag(String sql, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!isIdentifierChar(sql.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean identifierPart(StringBuilder out) {
        return out.length() > 0 && (isIdentifierChar(out.charAt(out.length() - 1)) || out.charAt(out.length() - 1) == '$');
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static void space(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    /** {@code IN (?, ?, ?)} and {@code VALUES (?, ?), (?, ?)} read the same whatever their length. */
    private static String collapseLists(String s) {
        if (s.indexOf(',') < 0) {
            return s;
        }
        return s.replaceAll("\\(\\s*\\?(?:\\s*,\\s*\\?)+\\s*\\)", "(?, …)")
                .replaceAll("\\(\\?, …\\)(?:\\s*,\\s*\\(\\?, …\\))+", "(?, …), …");
    }
}
