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

    /** An {@code @}: URL userinfo. */
    static final int AT = 1;
    /** An {@code =}: name=value pairs. */
    static final int EQUALS = 1 << 1;
    /** A secret word: name: value pairs and JSON members. */
    static final int WORD = 1 << 2;
    /** {@code authorization}. */
    static final int AUTHORIZATION = 1 << 3;
    /** {@code cookie}. */
    static final int COOKIE = 1 << 4;
    /** An authentication scheme written before a bare credential. */
    static final int SCHEME = 1 << 5;
    /** {@code -----BEGIN}. */
    static final int PEM = 1 << 6;
    /** The start of a credential recognisable by its shape (JWT, AWS key id, prefixed token). */
    static final int SHAPE = 1 << 7;

    /**
     * Which masking rules {@code text} may need, as a set of the bits above; 0 when it holds
     * nothing any rule starts from. One pass, no allocation: outputs without a secret (the common
     * case) cost a scan, and each rule runs only on text that holds its trigger.
     */
    static int triggers(String text) {
        int found = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c | 0x20) {
                case '`': // '@' | 0x20
                    found |= c == '@' ? AT : 0;
                    break;
                case '=':
                    found |= c == '=' ? EQUALS : 0;
                    break;
                case '-':
                    found |= c == '-' && at(text, i, "-----begin") ? PEM : 0;
                    break;
                case 'a':
                    found |= at(text, i, "authorization") ? AUTHORIZATION | WORD
                            : at(text, i, "auth") ? WORD
                            : at(text, i, "akia") || at(text, i, "asia") || at(text, i, "aiza") ? SHAPE : 0;
                    break;
                case 'b':
                    found |= at(text, i, "bearer") || at(text, i, "basic") ? SCHEME : at(text, i, "bypass") ? WORD : 0;
                    break;
                case 'c':
                    found |= at(text, i, "cookie") ? COOKIE : at(text, i, "credential") ? WORD : 0;
                    break;
                case 'e':
                    found |= at(text, i, "eyj") ? SHAPE : 0;
                    break;
                case 'g':
                    found |= (at(text, i, "gh") && i + 3 < n && text.charAt(i + 3) == '_') || at(text, i, "github_pat_")
                            || at(text, i, "glpat-") ? SHAPE : 0;
                    break;
                case 'j':
                    found |= at(text, i, "jwt") ? WORD : 0;
                    break;
                case 'k':
                    found |= at(text, i, "key") ? WORD : 0;
                    break;
                case 'n':
                    found |= at(text, i, "negotiate") || at(text, i, "ntlm") ? SCHEME : at(text, i, "npm_") ? SHAPE : 0;
                    break;
                case 'p':
                    found |= at(text, i, "pass") || at(text, i, "pw") ? WORD : 0;
                    break;
                case 'r':
                    found |= at(text, i, "rk_") ? SHAPE : 0;
                    break;
                case 's':
                    found |= at(text, i, "secret") || at(text, i, "session") || at(text, i, "sig") ? WORD
                            : at(text, i, "sk-") || at(text, i, "sk_") ? SHAPE : 0;
                    break;
                case 't':
                    found |= at(text, i, "token") ? WORD : 0;
                    break;
                case 'x':
                    found |= at(text, i, "xox") ? SHAPE : 0;
                    break;
                case 'y':
                    found |= at(text, i, "ya29.") ? SHAPE : 0;
                    break;
                default:
                    break;
            }
        }
        return found;
    }

    /**
     * Whether {@code word} (lower case ASCII) occurs at {@code i}, ignoring the case of letters:
     * cheaper than {@link String#regionMatches(boolean, int, String, int, int)}, and most calls
     * fail at the second character.
     */
    private static boolean at(String text, int i, String word) {
        if (i + word.length() > text.length()) {
            return false;
        }
        for (int k = 1; k < word.length(); k++) {
            char w = word.charAt(k);
            char c = text.charAt(i + k);
            if (c != w && !(w >= 'a' && w <= 'z' && (c | 0x20) == w)) {
                return false;
            }
        }
        return true;
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
