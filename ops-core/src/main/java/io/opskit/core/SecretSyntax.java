package io.opskit.core;

/**
 * The syntax rules behind {@link Redactor}: which names name a secret, where a value ends in
 * each of the forms a secret is written in, where a URL's userinfo ends, and the pre-scan that
 * lets text without any trigger through untouched. Plain scanning code rather than regular
 * expressions, so that every rule runs in linear time whatever the input.
 */
final class SecretSyntax {

    /** Where a {@code name=value} pair stands, which decides where its value ends. */
    enum Context {
        /** After {@code ?} or {@code &}: the value runs to {@code &}, {@code #} or whitespace. */
        QUERY,
        /** After {@code ;} (JDBC properties): the value runs to {@code ;}, or is {@code {braced}}. */
        JDBC,
        /** First on its line (properties, YAML, headers): the value runs to the end of the line. */
        LINE,
        /** Anywhere else: the value runs to whitespace. */
        MID
    }

    /**
     * Names whose last word is one of these are secret with {@code =} and {@code :}; compared with
     * case and the separators {@code _ - .} ignored ({@code DB_PASSWORD}, {@code aws_secret_access_key},
     * {@code X-API-Key}, {@code privateKey}).
     */
    private static final String[] STRONG_SUFFIXES = {
        "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential", "credentials",
        "privatekey", "secretkey", "accesskey", "accountkey", "masterkey", "signingkey", "encryptionkey",
        "sslkey", "bypass", "sessionid",
    };
    /**
     * Words that are also English or common abbreviations: secret only with {@code =} (or as a JSON
     * name) and only on their own or after a separator or a camel-case boundary ({@code db.pass},
     * {@code dbPass}, {@code X-Amz-Signature}; not {@code compass}, {@code oauth}).
     */
    private static final String[] WEAK_WORDS = {"pass", "pw", "auth", "jwt", "session", "sig", "signature"};
    /** Header names whose whole value is a credential. */
    private static final String[] HEADER_NAMES = {"authorization", "proxy-authorization", "cookie", "set-cookie"};
    /** Characters stripped off the end of a value written mid-sentence: they close the sentence, not the secret. */
    private static final String TRAILING_PUNCTUATION = ",.;:)]}>'\"!?";

    private SecretSyntax() {
    }

    /**
     * Whether {@code text} holds anything any masking rule starts from. One pass, no allocation:
     * outputs without a secret (the common case) cost a scan.
     */
    static boolean mayContainSecret(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c | 0x20) {
                case '@' | 0x20:
                    if (c == '@') {
                        return true;
                    }
                    break;
                case '=' | 0x20:
                    if (c == '=') {
                        return true;
                    }
                    break;
                case '-':
                    if (text.startsWith("----BEGIN", i + 1)) {
                        return true;
                    }
                    break;
                case 'a':
                    if (at(text, i, "auth") || at(text, i, "akia") || at(text, i, "asia") || at(text, i, "aiza")) {
                        return true;
                    }
                    break;
                case 'b':
                    if (at(text, i, "bearer") || at(text, i, "basic") || at(text, i, "bypass")) {
                        return true;
                    }
                    break;
                case 'c':
                    if (at(text, i, "credential") || at(text, i, "cookie")) {
                        return true;
                    }
                    break;
                case 'e':
                    if (at(text, i, "eyj")) {
                        return true;
                    }
                    break;
                case 'g':
                    if ((at(text, i, "gh") && i + 3 < n && text.charAt(i + 3) == '_') || at(text, i, "github_pat_")
                            || at(text, i, "glpat-")) {
                        return true;
                    }
                    break;
                case 'j':
                    if (at(text, i, "jwt")) {
                        return true;
                    }
                    break;
                case 'k':
                    if (at(text, i, "key")) {
                        return true;
                    }
                    break;
                case 'n':
                    if (at(text, i, "negotiate") || at(text, i, "ntlm") || at(text, i, "npm_")) {
                        return true;
                    }
                    break;
                case 'p':
                    if (at(text, i, "pass") || at(text, i, "pw")) {
                        return true;
                    }
                    break;
                case 'r':
                    if (at(text, i, "rk_")) {
                        return true;
                    }
                    break;
                case 's':
                    if (at(text, i, "secret") || at(text, i, "session") || at(text, i, "sig") || at(text, i, "sk-")
                            || at(text, i, "sk_")) {
                        return true;
                    }
                    break;
                case 't':
                    if (at(text, i, "token")) {
                        return true;
                    }
                    break;
                case 'x':
                    if (at(text, i, "xox")) {
                        return true;
                    }
                    break;
                case 'y':
                    if (at(text, i, "ya29.")) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
        }
        return false;
    }

    private static boolean at(String text, int i, String word) {
        return text.regionMatches(true, i, word, 0, word.length());
    }

    /**
     * Whether the name {@code text[start, end)} names a secret when followed by {@code separator}
     * ({@code '='} or {@code ':'}) in {@code context}.
     */
    static boolean isSecretName(String text, int start, int end, char separator, Context context) {
        for (String suffix : STRONG_SUFFIXES) {
            if (endsWithIgnoringSeparators(text, start, end, suffix)) {
                return true;
            }
        }
        if (separator != '=') {
            return false;
        }
        for (String word : WEAK_WORDS) {
            if (endsWithWord(text, start, end, word)) {
                return true;
            }
        }
        // ?key= is how Google API keys travel; key= elsewhere is usually a cache or map key
        return context == Context.QUERY && end - start == 3 && text.regionMatches(true, start, "key", 0, 3);
    }

    /** Whether a JSON (or Python dict) member name names a secret. */
    static boolean isSecretJsonName(String text, int start, int end) {
        if (isSecretName(text, start, end, '=', Context.MID)) {
            return true;
        }
        for (String header : HEADER_NAMES) {
            if (end - start == header.length() && text.regionMatches(true, start, header, 0, header.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a whole property or header name names a secret. */
    static boolean isSecretName(String name) {
        return isSecretJsonName(name, 0, name.length());
    }

    private static boolean endsWithIgnoringSeparators(String text, int start, int end, String suffix) {
        int j = suffix.length() - 1;
        for (int i = end - 1; i >= start && j >= 0; i--) {
            char c = text.charAt(i);
            if (c == '_' || c == '-' || c == '.') {
                continue;
            }
            if (Character.toLowerCase(c) != suffix.charAt(j)) {
                return false;
            }
            j--;
        }
        return j < 0;
    }

    private static boolean endsWithWord(String text, int start, int end, String word) {
        int w = end - word.length();
        if (w < start || !text.regionMatches(true, w, word, 0, word.length())) {
            return false;
        }
        if (w == start) {
            return true;
        }
        char before = text.charAt(w - 1);
        return before == '_' || before == '-' || before == '.'
                || (Character.isUpperCase(text.charAt(w)) && (Character.isLowerCase(before) || Character.isDigit(before)));
    }

    /** The context of a name that starts at {@code nameStart}. */
    static Context contextOf(String text, int nameStart) {
        if (nameStart == 0) {
            return Context.LINE;
        }
        char before = text.charAt(nameStart - 1);
        if (before == '?' || before == '&') {
            return Context.QUERY;
        }
        if (before == ';') {
            return Context.JDBC;
        }
        for (int i = nameStart - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return Context.LINE;
            }
            if (c != ' ' && c != '\t') {
                return Context.MID;
            }
        }
        return Context.LINE;
    }

    /**
     * Where the value that starts at {@code v} ends (exclusive), by the syntax of its context:
     * quoted values run to their closing quote (honouring backslash escapes and doubled quotes),
     * braced JDBC values to their closing brace ({@code }}} escapes one), the others as
     * {@link Context} says.
     */
    static int valueEnd(String text, int v, Context context, char separator) {
        int n = text.length();
        if (v >= n) {
            return v;
        }
        char first = text.charAt(v);
        if (first == '"' || first == '\'') {
            return quotedEnd(text, v);
        }
        if (first == '{' && context == Context.JDBC) {
            return bracedEnd(text, v);
        }
        int i = v;
        switch (context) {
            case QUERY:
                while (i < n && !isQueryEnd(text.charAt(i))) {
                    i++;
                }
                return stripTrailingPunctuation(text, v, i);
            case JDBC:
                while (i < n && !isJdbcEnd(text.charAt(i))) {
                    i++;
                }
                return stripTrailingPunctuation(text, v, i);
            case LINE:
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '\n' || c == '\r' || ((Character.isWhitespace(c) || c == '&') && pairFollows(text, i + 1, separator))) {
                        break;
                    }
                    i++;
                }
                while (i > v && Character.isWhitespace(text.charAt(i - 1))) {
                    i--;
                }
                return i;
            default:
                while (i < n) {
                    char c = text.charAt(i);
                    if (Character.isWhitespace(c) || (c == '&' && pairFollows(text, i + 1, '='))
                            || (c == '"' && closesString(text, i + 1))) {
                        break;
                    }
                    i++;
                }
                return stripTrailingPunctuation(text, v, i);
        }
    }

    /** The end (exclusive) of a value to the end of its line, trailing whitespace left out. */
    static int lineEnd(String text, int v) {
        int i = v;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        while (i > v && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** The end (exclusive) of the quoted value opened at {@code q}; an unclosed one runs to the end of its line. */
    static int quotedEnd(String text, int q) {
        char quote = text.charAt(q);
        int n = text.length();
        int i = q + 1;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && text.charAt(i + 1) == quote && i > q + 1) {
                    i += 2; // a doubled quote, SQL style
                } else {
                    return i + 1;
                }
            } else if (c == '\n' || c == '\r') {
                return i;
            } else {
                i++;
            }
        }
        return n;
    }

    /**
     * The end (exclusive) of a string value inside JSON that is itself inside a JSON string
     * ({@code \"password\":\"…\"}), opened by the {@code \"} at {@code q}: the first {@code \"} that
     * is not an escaped quote of the inner string.
     */
    static int escapedQuotedEnd(String text, int q) {
        int n = text.length();
        boolean innerEscape = false;
        int i = q + 2;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char decoded = text.charAt(i + 1);
                i += 2;
                if (decoded == '"' && !innerEscape) {
                    return i;
                }
                innerEscape = decoded == '\\' && !innerEscape;
            } else {
                if (c == '"' || c == '\n' || c == '\r') {
                    return i;
                }
                innerEscape = false;
                i++;
            }
        }
        return n;
    }

    private static int bracedEnd(String text, int b) {
        int n = text.length();
        int i = b + 1;
        while (i < n) {
            if (text.charAt(i) == '}') {
                if (i + 1 < n && text.charAt(i + 1) == '}') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return n;
    }

    private static boolean isQueryEnd(char c) {
        return c == '&' || c == '#' || c == '"' || c == '<' || c == '>' || Character.isWhitespace(c);
    }

    private static boolean isJdbcEnd(char c) {
        return c == ';' || c == '"' || Character.isWhitespace(c);
    }

    /** Whether a {@code name=} (or {@code name:}) pair starts at {@code i}, after optional blanks. */
    private static boolean pairFollows(String text, int i, char separator) {
        int n = text.length();
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        int start = i;
        while (i < n && isNameChar(text.charAt(i))) {
            i++;
        }
        return i > start && i < n && text.charAt(i) == separator;
    }

    /** Whether a {@code "} followed by this position ends a JSON string: a comma, brace, bracket, colon or the end. */
    private static boolean closesString(String text, int i) {
        if (i >= text.length()) {
            return true;
        }
        char c = text.charAt(i);
        return c == ',' || c == '}' || c == ']' || c == ':' || c == '\n' || c == '\r';
    }

    private static int stripTrailingPunctuation(String text, int v, int end) {
        int i = end;
        while (i > v && TRAILING_PUNCTUATION.indexOf(text.charAt(i - 1)) >= 0) {
            i--;
        }
        return i;
    }

    static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }

    /**
     * The index of the {@code @} that ends the userinfo of the URL whose authority starts at
     * {@code s} (just after {@code scheme://}), or -1 when it has none. The userinfo runs to the
     * last {@code @} of the URL, as passwords hold unencoded {@code @}, {@code /}, {@code ?} and
     * {@code #}, unless what precedes that {@code @} reads as a host and a path
     * ({@code http://host:8080/path/@me}); then only an {@code @} before the path counts.
     */
    static int userInfoEnd(String text, int s) {
        int n = text.length();
        int end = s;
        while (end < n) {
            char c = text.charAt(end);
            if (Character.isWhitespace(c) || c == '"' || c == '<' || c == '>' || c == '`') {
                break;
            }
            if (c == ':' && end > s && text.startsWith("//", end + 1)) {
                // another URL begins: this one ends before its scheme
                while (end > s && isSchemeChar(text.charAt(end - 1))) {
                    end--;
                }
                break;
            }
            end++;
        }
        int at = lastIndexOf(text, '@', s, end);
        if (at < 0) {
            return -1;
        }
        if (isUserInfo(text, s, at)) {
            return at;
        }
        int authorityEnd = s;
        while (authorityEnd < end && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        at = lastIndexOf(text, '@', s, authorityEnd);
        return at >= 0 && isUserInfo(text, s, at) ? at : -1;
    }

    /** The first index of {@code c} in {@code text[from, to)}, or -1: bounded, unlike String.indexOf. */
    static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The last index of {@code c} in {@code text[from, to)}, or -1: bounded, unlike String.lastIndexOf. */
    private static int lastIndexOf(String text, char c, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUserInfo(String text, int s, int at) {
        int colon = s;
        while (colon < at && text.charAt(colon) != ':') {
            colon++;
        }
        if (colon == at) {
            // a lone user part (a token as the user): no path or query can precede it
            return at > s && !containsAny(text, s, at, "/?#");
        }
        if (containsAny(text, s, colon, "/?#")) {
            return false;
        }
        // host:8080/path/@x: the "password" starts with a port and then a path, query or fragment
        int i = colon + 1;
        while (i < at && Character.isDigit(text.charAt(i))) {
            i++;
        }
        return !(i > colon + 1 && i < at && "/?#".indexOf(text.charAt(i)) >= 0);
    }

    private static boolean containsAny(String text, int from, int to, String chars) {
        for (int i = from; i < to; i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSchemeChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
    }

    /**
     * Whether {@code c} must not reach a log line raw: C0 and C1 controls (CR, LF, ESC, NEL…), the
     * line and paragraph separators, and the bidirectional overrides that make a line read other
     * than it is.
     */
    static boolean isLogControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }

    /** {@code text} with every {@link #isLogControl log control} written as a visible escape ({@code \n}, {@code \u001b}). */
    static String escapeControls(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !isLogControl(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!isLogControl(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16)).append(Character.forDigit(c >> 8 & 0xf, 16))
                        .append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return sb.toString();
    }
}
