package io.opskit.core;

import io.opskit.core.SecretSyntax.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redactor of opskit: every module passes check outputs, details it builds from
 * configuration, and every log line it writes through it, so that no password, token or
 * credential reaches a response or a log.
 *
 * <p>It masks, each by its own syntax so that a value is masked to its real end: credentials in
 * URLs ({@code scheme://user:pass@host}, {@code redis://:pa/ss@host}: the userinfo runs to the last
 * {@code @} before the host); {@code name=value} pairs whose name is secret in query strings
 * (to {@code &}, {@code #} or whitespace), JDBC properties ({@code ;password={a;b}}), libpq
 * strings ({@code password='it\'s'}), properties, YAML and header lines (to the end of the line)
 * and free text (to whitespace); JSON members ({@code "password":"…"}, honouring escapes, also
 * inside an escaped JSON string); {@code Authorization} values after their scheme (Bearer, Basic,
 * Negotiate, …), {@code Cookie} and {@code Set-Cookie} values; bare {@code Bearer}/{@code Basic}/
 * {@code Negotiate} credentials; PEM private key blocks; JWTs, AWS access key ids and tokens with
 * a well-known prefix ({@code ghp_}, {@code xoxb-}, {@code sk-}, {@code AIza}…) anywhere.
 *
 * <p>A name is secret when it ends in a secret word ({@code DB_PASSWORD}, {@code client_secret},
 * {@code aws_secret_access_key}, {@code X-API-Key}); words that are also English or short
 * ({@code pass}, {@code pw}, {@code auth}, {@code jwt}, {@code session}, {@code sig},
 * {@code signature}) only on their own or after a separator, and only with {@code =}; {@code key}
 * only in a query string. So "all checks pass: 5", "basic authentication", a UUID or a check name
 * stay readable.
 *
 * <p>Text without any trigger (no {@code =}, {@code @} nor a secret word) is returned as it is,
 * after one scan. Every rule runs in linear time.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final String SENSITIVE_KEY =
            "(?:password|passwd|pwd|pass|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|auth[_-]?token"
            + "|api[_-]?key|apikey|x-api-key|credentials?|private[_-]?key|sslpassword|sslkey|bypass)";
    private static final Pattern SENSITIVE_NAME = Pattern.compile("(?i).*" + SENSITIVE_KEY + ".*");

    private static final Pattern PEM_BEGIN =
            Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----");
    /** The scheme starts where a word starts: otherwise a long run of letters is scanned again from each letter. */
    private static final Pattern URL_SCHEME = Pattern.compile("(?<![A-Za-z0-9+.\\-])[A-Za-z][A-Za-z0-9+.\\-]*+://");
    /** A quoted member name and its colon: JSON, a Python dict, or JSON escaped inside a JSON string. */
    private static final Pattern QUOTED_NAME = Pattern.compile("(\\\\?[\"'])([A-Za-z0-9_.\\-]++)\\1[ \\t]*+:[ \\t]*+");
    private static final Pattern AUTH_HEADER =
            Pattern.compile("(?i)(?<![A-Za-z0-9_])(?:proxy-)?authorization[ \\t]*+([:=])[ \\t]*+");
    private static final Pattern COOKIE_HEADER = Pattern.compile("(?i)(?<![A-Za-z0-9_])(?:set-)?cookie2?[ \\t]*+[:=][ \\t]*+");
    /** name=value or name: value; the name starts at a word start, so a long name is scanned once. */
    private static final Pattern KEY_VALUE =
            Pattern.compile("(?<![A-Za-z0-9_.\\-])([A-Za-z0-9_.\\-]++)[ \\t]*+([=:])[ \\t]*+");
    private static final Pattern BARE_SCHEME =
            Pattern.compile("(?i)\\b(bearer|basic|negotiate|ntlm)\\s++([A-Za-z0-9\\-._~+/]{8,}+=*+)");
    /** Credentials recognisable by their shape alone; group 1 marks the prefixes that need a random-looking body. */
    private static final Pattern TOKEN = Pattern.compile("(?<![A-Za-z0-9_\\-])(?:"
            + "eyJ[A-Za-z0-9_\\-]{2,}+\\.eyJ[A-Za-z0-9_\\-]{2,}+\\.[A-Za-z0-9_\\-]*+"
            + "|(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"
            + "|gh[pousr]_[A-Za-z0-9]{30,}+|github_pat_[A-Za-z0-9_]{30,}+|glpat-[A-Za-z0-9_\\-]{20,}+"
            + "|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}+"
            + "|AIza[0-9A-Za-z_\\-]{35}(?![A-Za-z0-9_\\-])|npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])|ya29\\.[0-9A-Za-z_\\-]{20,}+"
            + "|((?:sk-|xox[abposre]-)[A-Za-z0-9_\\-]{20,}+))");

    private Redactor() {
    }

    /**
     * Returns {@code text} with every secret form it knows masked; {@code null} becomes the
     * empty string. Text without a secret is returned as the same instance.
     *
     * @param text any text: a check output, an exception message, a URL, a log argument
     * @return the text with its secrets replaced by {@link #MASK}
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        int triggers = SecretSyntax.triggers(text);
        if (triggers == 0) {
            return text;
        }
        String out = text;
        if (has(triggers, SecretSyntax.PEM)) {
            out = maskPrivateKeys(out);
        }
        if (has(triggers, SecretSyntax.AT)) {
            out = maskUserInfo(out);
        }
        if (has(triggers, SecretSyntax.WORD | SecretSyntax.AUTHORIZATION | SecretSyntax.COOKIE)) {
            out = maskQuotedMembers(out);
        }
        if (has(triggers, SecretSyntax.AUTHORIZATION)) {
            out = maskAuthorization(out);
        }
        if (has(triggers, SecretSyntax.COOKIE)) {
            out = maskCookies(out);
        }
        if (has(triggers, SecretSyntax.EQUALS | SecretSyntax.WORD)) {
            out = maskKeyValues(out);
        }
        if (has(triggers, SecretSyntax.SCHEME)) {
            out = maskBareCredentials(out);
        }
        if (has(triggers, SecretSyntax.SHAPE)) {
            out = maskTokens(out);
        }
        return out;
    }

    private static boolean has(int triggers, int any) {
        return (triggers & any) != 0;
    }

    /**
     * Returns {@code text} redacted and safe to write into one log line: CR, LF, tab, the other C0
     * and C1 controls (ESC, NEL U+0085…), the line and paragraph separators U+2028 and U+2029, and
     * the bidirectional overrides are written as visible escapes ({@code \n}, {@code \r},
     * {@code \t}, {@code \u001b}), so that a user-controlled string can neither forge a log line
     * nor send terminal escape sequences. {@code null} becomes the empty string.
     *
     * @param text a string to log, often user-controlled (a reason, a header, a message)
     * @return the text redacted, on one line, without control characters
     */
    public static String forLog(String text) {
        return SecretSyntax.escapeControls(redact(text));
    }

    /**
     * Returns a copy of {@code properties} in which the value of every key that names a secret
     * (password, token, secret, api key, credentials…) is masked, and every other value is
     * passed through {@link #redact(String)}.
     *
     * @param properties names and values, e.g. a connection's configuration
     * @return an unmodifiable copy, in the same order, with secrets masked
     */
    public static Map<String, String> redact(Map<String, ?> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSensitiveKey(k) ? MASK : redact(v == null ? "" : String.valueOf(v))));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Whether a property or header name names a secret.
     *
     * @param key a property, header or detail name; {@code null} is not sensitive
     * @return true when the value of {@code key} must be masked whole
     */
    public static boolean isSensitiveKey(String key) {
        if (key == null) {
            return false;
        }
        return SecretSyntax.isSecretName(key) || SENSITIVE_NAME.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    private static String maskPrivateKeys(String text) {
        if (!text.contains("-----BEGIN")) {
            return text;
        }
        Matcher m = PEM_BEGIN.matcher(text);
        Edit edit = new Edit(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int endMarker = text.indexOf("-----END", m.end());
            int close = endMarker < 0 ? -1 : text.indexOf("-----", endMarker + 8);
            int stop = close < 0 ? text.length() : close + 5;
            // an unterminated block (a truncated log line) is masked to the end
            edit.replace(m.end(), endMarker < 0 ? stop : endMarker, MASK);
            from = stop;
        }
        return edit.result();
    }

    private static String maskUserInfo(String text) {
        if (!text.contains("://")) {
            return text;
        }
        Matcher m = URL_SCHEME.matcher(text);
        Edit edit = new Edit(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int s = m.end();
            int at = SecretSyntax.userInfoEnd(text, s);
            if (at < 0) {
                from = s;
                continue;
            }
            int colon = SecretSyntax.indexOf(text, ':', s, at);
            // a lone user part is often a token (https://TOKEN@host): mask it all
            edit.replace(colon >= 0 ? colon + 1 : s, at, MASK);
            from = at + 1;
        }
        return edit.result();
    }

    private static String maskQuotedMembers(String text) {
        Matcher m = QUOTED_NAME.matcher(text);
        Edit edit = new Edit(text);
        int n = text.length();
        int from = 0;
        while (from < n && m.find(from)) {
            from = m.end();
            int v = m.end();
            if (v >= n || !SecretSyntax.isSecretJsonName(text, m.start(2), m.end(2))) {
                continue;
            }
            boolean escaped = m.group(1).length() == 2;
            char c = text.charAt(v);
            int end;
            String mask;
            if (escaped && text.startsWith("\\\"", v)) {
                end = SecretSyntax.escapedQuotedEnd(text, v);
                mask = "\\\"" + MASK + "\\\"";
            } else if (c == '"' || c == '\'') {
                end = SecretSyntax.quotedEnd(text, v);
                mask = c + MASK + c;
            } else if (c == '{' || c == '[') {
                continue; // an object or array: its own members are looked at one by one
            } else {
                end = v;
                while (end < n && ",}] \t\r\n\\".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                mask = MASK;
                String literal = text.substring(v, end);
                if (literal.equals("null") || literal.equals("true") || literal.equals("false")) {
                    continue;
                }
            }
            if (end > v && !text.startsWith(mask, v)) {
                edit.replace(v, end, mask);
            }
            from = Math.max(from, end);
        }
        return edit.result();
    }

    private static String maskAuthorization(String text) {
        Matcher m = AUTH_HEADER.matcher(text);
        Edit edit = new Edit(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int v = m.end();
            from = v;
            int lineEnd = SecretSyntax.lineEnd(text, v);
            int credential = v;
            int i = v;
            while (i < lineEnd && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '-')) {
                i++;
            }
            if (i > v && i - v <= 24 && Character.isLetter(text.charAt(v)) && i < lineEnd && text.charAt(i) == ' ') {
                // "Negotiate TOKEN": the scheme stays readable, everything after it is the credential
                int j = i;
                while (j < lineEnd && text.charAt(j) == ' ') {
                    j++;
                }
                credential = j < lineEnd ? j : v;
            }
            int end = m.group(1).equals(":") ? lineEnd : SecretSyntax.valueEnd(text, credential, Context.MID, '=');
            if (end > credential && !text.regionMatches(credential, MASK, 0, MASK.length())) {
                edit.replace(credential, end, MASK);
            }
            from = Math.max(from, end);
        }
        return edit.result();
    }

    /** Cookie and Set-Cookie values: every cookie's value is masked, Set-Cookie attributes stay. */
    private static String maskCookies(String text) {
        Matcher m = COOKIE_HEADER.matcher(text);
        Edit edit = new Edit(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int lineEnd = SecretSyntax.lineEnd(text, m.end());
            for (int i = m.end(); i < lineEnd; ) {
                int semi = SecretSyntax.indexOf(text, ';', i, lineEnd);
                int pieceEnd = semi < 0 ? lineEnd : semi;
                int start = i;
                while (start < pieceEnd && text.charAt(start) == ' ') {
                    start++;
                }
                int eq = SecretSyntax.indexOf(text, '=', start, pieceEnd);
                if (eq >= 0) {
                    if (!isCookieAttribute(text.substring(start, eq).strip()) && eq + 1 < pieceEnd
                            && !text.startsWith(MASK, eq + 1)) {
                        edit.replace(eq + 1, pieceEnd, MASK);
                    }
                } else {
                    String flag = text.substring(start, pieceEnd).strip();
                    if (!flag.isEmpty() && !isCookieAttribute(flag) && !flag.equals(MASK)) {
                        edit.replace(start, pieceEnd, MASK);
                    }
                }
                i = pieceEnd + 1;
            }
            from = Math.max(m.end(), lineEnd);
        }
        return edit.result();
    }

    private static boolean isCookieAttribute(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "path": case "domain": case "expires": case "max-age": case "samesite": case "priority":
            case "version": case "comment": case "secure": case "httponly": case "partitioned":
                return true;
            default:
                return false;
        }
    }

    private static String maskKeyValues(String text) {
        Matcher m = KEY_VALUE.matcher(text);
        Edit edit = new Edit(text);
        int n = text.length();
        int from = 0;
        while (from < n && m.find(from)) {
            from = m.end();
            int sepAt = m.start(2);
            char sep = text.charAt(sepAt);
            int v = m.end();
            if (sep == ':' ? text.startsWith("//", sepAt + 1) : sepAt + 1 < n && text.charAt(sepAt + 1) == '=') {
                continue; // a URL's scheme, or a comparison
            }
            Context context = SecretSyntax.contextOf(text, m.start(1));
            if (sep == ':' && context != Context.LINE && v == sepAt + 1 && (v >= n || "\"'".indexOf(text.charAt(v)) < 0)) {
                continue; // "name:value" mid-line is a check name or host:port; "name: value" is a secret
            }
            if (!SecretSyntax.isSecretName(text, m.start(1), m.end(1), sep, context)) {
                continue;
            }
            int end = SecretSyntax.valueEnd(text, v, context, sep);
            if (end > v && !isMasked(text, v, end)) {
                edit.replace(v, end, MASK);
            }
            from = Math.max(from, end);
        }
        return edit.result();
    }

    private static boolean isMasked(String text, int v, int end) {
        int len = end - v;
        return (len == MASK.length() && text.startsWith(MASK, v))
                || (len == MASK.length() + 2 && text.startsWith(MASK, v + 1));
    }

    private static String maskBareCredentials(String text) {
        Matcher m = BARE_SCHEME.matcher(text);
        Edit edit = new Edit(text);
        while (m.find()) {
            if (looksLikeCredential(m.group(2))) {
                edit.replace(m.start(2), m.end(2), MASK);
            }
        }
        return edit.result();
    }

    private static String maskTokens(String text) {
        Matcher m = TOKEN.matcher(text);
        Edit edit = new Edit(text);
        while (m.find()) {
            if (m.group(1) == null || looksRandom(m.group(1))) {
                edit.replace(m.start(), m.end(), MASK);
            }
        }
        return edit.result();
    }

    /**
     * Whether the word after a bare {@code Bearer}/{@code Basic} is a credential rather than
     * English ("basic authentication"): tokens and base64 carry digits, symbols or inner capitals.
     */
    private static boolean looksLikeCredential(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isDigit(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '~'
                    || (i > 0 && Character.isUpperCase(c))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code sk-…} or {@code xoxb-…} word is random (digits and both cases), not a name like {@code sk-payments-primary}. */
    private static boolean looksRandom(String word) {
        boolean digit = false;
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            digit |= Character.isDigit(c);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
        }
        return digit && upper && lower;
    }

    /** The output of one pass: copies the text only once the pass changes something. */
    private static final class Edit {
        private final String text;
        private StringBuilder out;
        private int copied;

        Edit(String text) {
            this.text = text;
        }

        /** Replaces {@code text[start, end)}; calls come in increasing, non-overlapping order. */
        void replace(int start, int end, String with) {
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, start).append(with);
            copied = end;
        }

        String result() {
            return out == null ? text : out.append(text, copied, text.length()).toString();
        }
    }
}
