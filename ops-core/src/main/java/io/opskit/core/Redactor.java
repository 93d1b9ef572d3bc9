package io.opskit.core;

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
 * <p>It masks: credentials in URLs ({@code scheme://user:pass@host}, {@code redis://:pass@host},
 * {@code https://token@host}); {@code password=}, {@code secret=}, {@code token=},
 * {@code api_key=} and similar in query strings, JDBC URLs ({@code ;password=…}), libpq
 * key/value strings and JSON ({@code "password":"…"}); {@code Authorization} header values
 * and bare {@code Bearer}/{@code Basic} credentials; the values of sensitive keys in property
 * maps. A name counts as secret when it ends in a secret word ({@code DB_PASSWORD},
 * {@code spring.datasource.password}, {@code dbPassword}); {@code pass} only on its own or after
 * a separator and, outside JSON, only with {@code =}, so that "checks pass: 5" stays readable,
 * as does English after a bare "basic" ("basic authentication").
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final String SENSITIVE_KEY =
            "(?:password|passwd|pwd|pass|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|auth[_-]?token"
            + "|api[_-]?key|apikey|x-api-key|credentials?|private[_-]?key|sslpassword|sslkey|bypass)";
    /** The same words but {@code pass}, which is also an English word ("checks pass: 5"). */
    private static final String SECRET_WORD =
            "(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|credentials?|private[_-]?key|sslkey|bypass)";
    private static final String NAME_CHAR = "[A-Za-z0-9_.\\-]";
    /**
     * A name that ends in a secret word, whatever comes before it ({@code DB_PASSWORD},
     * {@code spring.datasource.password}, {@code dbPassword}, {@code x-api-key}), or is {@code pass}
     * on its own or after a separator ({@code db.pass}, not {@code compass}).
     */
    private static final String SECRET_NAME =
            "(?:" + NAME_CHAR + "*?" + SECRET_WORD + "|(?:" + NAME_CHAR + "*[_.\\-])?pass%s)";

    /**
     * scheme://userinfo@ : group 1 scheme, group 2 user, group 3 ":password" (optional). The
     * password runs to the last {@code @} before the path, as unencoded {@code @}s in passwords occur.
     * The scheme starts where a word starts: otherwise a long run of letters is scanned again from
     * each of its letters (quadratic time).
     */
    private static final Pattern URL_USERINFO =
            Pattern.compile("(?<![A-Za-z0-9+.\\-])([A-Za-z][A-Za-z0-9+.\\-]*://)([^/@\\s:?#]*)(:[^/\\s]*)?@");
    /** name=value and name: value, the name starting at a word boundary; {@code pass} only with {@code =}. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?<!" + NAME_CHAR + ")" + String.format(SECRET_NAME, "(?=\\s*=)")
            + "\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^&;,\\s\"'}]+)");
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(?i)(\"" + String.format(SECRET_NAME, "") + "\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\s]+)");
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)(\\b(?:proxy-)?authorization\\s*[:=]\\s*)(?:(bearer|basic|digest|token)\\s+)?[^\\s,;\"']+");
    private static final Pattern BARE_SCHEME = Pattern.compile("(?i)\\b(bearer|basic)\\s+([A-Za-z0-9\\-._~+/]{8,}=*)");
    private static final Pattern SENSITIVE_NAME = Pattern.compile("(?i).*" + SENSITIVE_KEY + ".*");

    private Redactor() {
    }

    /**
     * Returns {@code text} with every secret form it knows masked; {@code null} becomes the
     * empty string.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        if (!mayContainSecret(text)) {
            return text;
        }
        String out = maskUserInfo(text);
        out = JSON_FIELD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"" + MASK + "\""));
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MASK));
        out = KEY_VALUE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(2).startsWith("\"" + MASK) ? m.group() : m.group(1) + MASK));
        out = BARE_SCHEME.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                looksLikeCredential(m.group(2)) ? m.group(1) + " " + MASK : m.group()));
        return out;
    }

    /**
     * Returns a copy of {@code properties} in which the value of every key that names a secret
     * (password, token, secret, api key, credentials…) is masked, and every other value is
     * passed through {@link #redact(String)}.
     */
    public static Map<String, String> redact(Map<String, ?> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSensitiveKey(k) ? MASK : redact(v == null ? "" : String.valueOf(v))));
        return Collections.unmodifiableMap(out);
    }

    /** Whether a property or header name names a secret. */
    public static boolean isSensitiveKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("authorization") || k.equals("proxy-authorization") || k.equals("cookie")
                || k.equals("set-cookie") || SENSITIVE_NAME.matcher(k).matches();
    }

    /** A fast pre-check so the common case (no secret at all) costs one scan. */
    private static boolean mayContainSecret(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("@") || lower.contains("pass") || lower.contains("pwd") || lower.contains("secret")
                || lower.contains("token") || lower.contains("key") || lower.contains("auth")
                || lower.contains("bearer") || lower.contains("basic") || lower.contains("credential")
                || lower.contains("bypass");
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

    private static String maskUserInfo(String text) {
        Matcher m = URL_USERINFO.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start());
            String user = m.group(2);
            String password = m.group(3);
            sb.append(m.group(1));
            if (password != null) {
                sb.append(user).append(':').append(MASK);
            } else {
                // a lone user part is often a token (https://TOKEN@host): mask it all
                sb.append(MASK);
            }
            sb.append('@');
            last = m.end();
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }
}
