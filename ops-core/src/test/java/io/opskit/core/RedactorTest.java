package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # what                        | input                                                                  | expected
            URL user and password         | jdbc:postgresql://admin:s3cret@db:5432/app                             | jdbc:postgresql://admin:****@db:5432/app
            Redis password only           | redis://:pw123@localhost:6379/0                                         | redis://:****@localhost:6379/0
            Redis TLS user and password   | rediss://default:pw123@cache:6380                                       | rediss://default:****@cache:6380
            token as the URL user         | cloning https://ghp_abc123XYZ@github.com/o/r.git failed                 | cloning https://****@github.com/o/r.git failed
            password holding an at sign   | postgres://app:p@ss@db/app                                              | postgres://app:****@db/app
            JDBC semicolon password       | jdbc:sqlserver://db;user=sa;password=Secr3t;databaseName=app            | jdbc:sqlserver://db;user=sa;password=****;databaseName=app
            query password                | jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true             | jdbc:postgresql://db/app?user=app&password=****&ssl=true
            query token                   | GET /callback?code=1&token=abc.def-ghi&state=x                          | GET /callback?code=1&token=****&state=x
            query access_token            | https://api.example.com/v1?access_token=ya29.a0AfH6&x=1                 | https://api.example.com/v1?access_token=****&x=1
            api_key                       | calling https://maps.example.com/geo?api_key=AIzaSyD-9tSrke72&q=x       | calling https://maps.example.com/geo?api_key=****&q=x
            apikey and secret             | apikey=k-123 secret=s-456                                               | apikey=**** secret=****
            client secret                 | client_secret=abcdef&client_id=app                                      | client_secret=****&client_id=app
            libpq key values              | host=db port=5432 user=app password=hunter2 dbname=app                  | host=db port=5432 user=app password=**** dbname=app
            libpq quoted password         | host=db password='two words' dbname=app                                 | host=db password=**** dbname=app
            env style name                | DB_PASSWORD=hunter2 DB_USER=app                                         | DB_PASSWORD=**** DB_USER=app
            dotted property               | spring.datasource.password=hunter2                                      | spring.datasource.password=****
            property with colon           | redis.auth.token: abc123                                                | redis.auth.token: ****
            JSON password                 | `{"user":"bob","password":"hunter2"}`                                   | `{"user":"bob","password":"****"}`
            JSON escaped quote            | `{"password":"a\\"b","ok":1}`                                           | `{"password":"****","ok":1}`
            JSON spaced token             | `{"token" : "abc", "n": 2}`                                             | `{"token" : "****", "n": 2}`
            JSON camel case api key       | `{"apiKey":"k-123"}`                                                    | `{"apiKey":"****"}`
            JSON prefixed password        | `{"db_password":"hunter2","dbPassword":"x2"}`                           | `{"db_password":"****","dbPassword":"****"}`
            Authorization Bearer          | Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig         | Authorization: Bearer ****
            Authorization Basic           | authorization: Basic dXNlcjpwYXNzd29yZA==                               | authorization: Basic ****
            Proxy-Authorization           | Proxy-Authorization: Basic dXNlcjpwYXNz                                 | Proxy-Authorization: Basic ****
            Authorization raw value       | Authorization=abc123def                                                 | Authorization=****
            bare Bearer token             | rejected Bearer abcDEF123456789.xyz by upstream                         | rejected Bearer **** by upstream
            bare Basic credentials        | sent Basic dXNlcjpwYXNz to proxy                                        | sent Basic **** to proxy
            X-API-Key header              | X-API-Key: 0f3c9a7e                                                     | X-API-Key: ****
            pass in a query               | login?user=bob&pass=hunter2                                             | login?user=bob&pass=****
            pass after a separator        | db.pass=hunter2                                                         | db.pass=****
            JSON pass                     | `{"pass":"hunter2"}`                                                    | `{"pass":"****"}`
            several in one line           | url=redis://:pw@h:1 then password=x and token=y                          | url=redis://:****@h:1 then password=**** and token=****
            """)
    void everySecretFormIsMasked(String what, String input, String expected) {
        assertThat(Redactor.redact(input)).as(what).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pool at 85% (17 of 20 active), 3 waiting",
        "connection to db:5432 refused after 2s",
        "GET /orders?page=2&size=20 took 12 ms",
        "host=db port=5432 user=app dbname=app sslmode=require",
        "http://example.com:8080/path/@me?x=1",
        "mail ops@example.com when the disk is full",
        "max_tokens=100 token_count=5 password_hint=ask-the-team",
        "all checks pass: 5 of 5",
        "the service uses basic authentication and Bearer tokens",
        "basic connectivity check ok",
        "keyboard layout: us",
        "compass=north bypassed=false",
        "Tomcat 11.0.27 on Java 17; 200 OK",
        "{\"status\":\"pass\",\"observedValue\":12,\"user\":\"bob\"}",
        "request 7c9e6679-7425-40de-944b-e07fc1bf7a6d failed with 503",
        "postgres:connections redis:ping auth-service:latency session-store:hitRatio token-service:responseTime",
        "secret-rotation:age is WARN; jwt:signing-key PASS",
        "The session expired after 30 minutes; please sign in again.",
        "signature verification passed for 12 messages",
        "sk-payments-service-primary-db is up",
        "key=user:42 evicted from cache; cache key: orders:2024",
        "author=Jane oauth=enabled session_count=3 pass_rate=0.99 signal: 9",
        "https://example.com/a?page=2&sort=asc#top",
        "AKIA is how AWS key ids start, eyJ is how a JWT header starts",
        "set 3 cookies; cookies: 3",
        "checks: 5 pass, 0 warn, 0 fail",
    })
    void harmlessTextIsUntouched(String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void nullAndEmptyBecomeEmpty() {
        assertThat(Redactor.redact((String) null)).isEmpty();
        assertThat(Redactor.redact("")).isEmpty();
    }

    @Test
    void propertyMapsMaskSensitiveKeysAndRedactEveryOtherValue() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.password", "hunter2");
        props.put("DB_PASSWORD", "hunter2");
        props.put("redis.token", "abc");
        props.put("client-secret", "s");
        props.put("api_key", "k");
        props.put("Authorization", "Bearer abcdef123456");
        props.put("Cookie", "SESSION=abc");
        props.put("url", "jdbc:postgresql://app:hunter2@db/app");
        props.put("user", "app");
        props.put("maximumPoolSize", 10);
        props.put("empty", null);

        Map<String, String> out = Redactor.redact(props);

        assertThat(out).containsExactly(
                Map.entry("spring.datasource.password", Redactor.MASK),
                Map.entry("DB_PASSWORD", Redactor.MASK),
                Map.entry("redis.token", Redactor.MASK),
                Map.entry("client-secret", Redactor.MASK),
                Map.entry("api_key", Redactor.MASK),
                Map.entry("Authorization", Redactor.MASK),
                Map.entry("Cookie", Redactor.MASK),
                Map.entry("url", "jdbc:postgresql://app:****@db/app"),
                Map.entry("user", "app"),
                Map.entry("maximumPoolSize", "10"),
                Map.entry("empty", ""));
        assertThat(out.toString()).doesNotContain("hunter2").doesNotContain("abcdef123456");
    }

    @Test
    void sensitiveKeyNamesAreRecognisedWhateverTheirCaseAndPrefix() {
        assertThat(Redactor.isSensitiveKey("password")).isTrue();
        assertThat(Redactor.isSensitiveKey("Proxy-Authorization")).isTrue();
        assertThat(Redactor.isSensitiveKey("set-cookie")).isTrue();
        assertThat(Redactor.isSensitiveKey("ops.maintenance.bypass")).isTrue();
        assertThat(Redactor.isSensitiveKey("sslpassword")).isTrue();
        assertThat(Redactor.isSensitiveKey("privateKey")).isTrue();
        assertThat(Redactor.isSensitiveKey("user")).isFalse();
        assertThat(Redactor.isSensitiveKey("url")).isFalse();
        assertThat(Redactor.isSensitiveKey("maximumPoolSize")).isFalse();
        assertThat(Redactor.isSensitiveKey(null)).isFalse();
    }

    @Test
    void theOutputOfAThrownExceptionIsRedacted() {
        Result r = Result.fail(new SQLException("FATAL: password authentication failed for jdbc:postgresql://app:hunter2@db/app"));

        assertThat(r.output()).hasValue(
                "java.sql.SQLException: FATAL: password authentication failed for jdbc:postgresql://app:****@db/app");
        assertThat(Result.warn("retrying with token=abc123").output()).hasValue("retrying with token=****");
    }

    @Test
    void aLongRunOfNameCharactersIsScannedInLinearTime() {
        String longName = "password_".repeat(20_000) + "hint";
        String longToken = "Bearer " + "a".repeat(200_000);

        // linear scanning takes well under a second; the quadratic scan this guards against took minutes
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(Redactor.redact(longName)).isEqualTo(longName);
            assertThat(Redactor.redact(longToken)).isEqualTo(longToken);
        });
    }

    static Stream<Arguments> hostileInputs() {
        int mb = 1 << 20;
        StringBuilder mixed = new StringBuilder();
        List<String> forms = RedactorCorpusTest.corpus().map(a -> (String) a.get()[1]).toList();
        for (int i = 0; mixed.length() < mb; i++) {
            mixed.append(forms.get(i % forms.size())).append(i % 7 == 0 ? "\n" : " ");
        }
        return Stream.of(
                arguments("letters", "a".repeat(mb)),
                arguments("at signs", "@".repeat(mb)),
                arguments("equals signs", "=".repeat(mb)),
                arguments("name=value pairs", "x=".repeat(mb / 2)),
                arguments("secret pairs", "password=".repeat(mb / 9)),
                arguments("secret pairs on one line with blanks", "password=a b ".repeat(mb / 13)),
                arguments("ampersands", "password=a&b".repeat(mb / 12)),
                arguments("URL without @", "https://" + "a".repeat(mb)),
                arguments("schemes", "a://".repeat(mb / 4)),
                arguments("schemes with at signs", "a://x@".repeat(mb / 6)),
                arguments("userinfo without colon", "x://" + "@".repeat(mb)),
                arguments("unclosed JSON string", "{\"password\":\"" + "x".repeat(mb)),
                arguments("unclosed escaped JSON string", "{\\\"password\\\":\\\"" + "\\\\".repeat(mb / 2)),
                arguments("quotes", "\"'".repeat(mb / 2)),
                arguments("headers", "Authorization: ".repeat(mb / 15)),
                arguments("cookies", "Cookie: a\n".repeat(mb / 10)),
                arguments("cookie pieces", "Cookie: " + "a=b;".repeat(mb / 4)),
                arguments("PEM headers", "-----BEGIN PRIVATE KEY-----".repeat(mb / 27)),
                arguments("PEM ends", "-----BEGIN RSA PRIVATE KEY-----x-----END RSA PRIVATE KEY-----".repeat(mb / 60)),
                arguments("bearer words", "Bearer ".repeat(mb / 7)),
                arguments("JWT-like", "eyJ" + "a".repeat(mb) + ".eyJ"),
                arguments("token prefixes", "sk-".repeat(mb / 3)),
                arguments("colons", "token:".repeat(mb / 6)),
                arguments("control characters", "\n\u001b\u2028".repeat(mb / 3)),
                arguments("every form, mixed", mixed.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void aMegabyteOfHostileInputIsRedactedInLinearTime(String what, String input) {
        // linear scanning takes milliseconds; a quadratic or backtracking scan of 1 MB takes minutes
        // forLog runs every redaction rule and then the control-character escaping
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(Redactor.forLog(input)).doesNotContain("\n"), what);
    }

    @Test
    void forLogWritesControlCharactersAsVisibleEscapes() {
        assertThat(Redactor.forLog("reason: deploy\r\nINFO forged line")).isEqualTo("reason: deploy\\r\\nINFO forged line");
        assertThat(Redactor.forLog("tab\there")).isEqualTo("tab\\there");
        assertThat(Redactor.forLog("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
        assertThat(Redactor.forLog("a\u0085b\u2028c\u2029d\u0000e\u007ff")).isEqualTo("a\\u0085b\\u2028c\\u2029d\\u0000e\\u007ff");
        assertThat(Redactor.forLog("admin\u202egnp.exe")).isEqualTo("admin\\u202egnp.exe");
    }

    @Test
    void forLogAlsoRedacts() {
        assertThat(Redactor.forLog("switching because password=hunter2\nand more"))
                .isEqualTo("switching because password=****\\nand more");
        assertThat(Redactor.forLog("Authorization: Bearer abcDEF123456\nnext")).isEqualTo("Authorization: Bearer ****\\nnext");
    }

    @Test
    void forLogLeavesPlainTextAsItIs() {
        String plain = "maintenance: database upgrade, back at 14:00 (ticket OPS-42) — ünïcode ok";

        assertThat(Redactor.forLog(plain)).isSameAs(plain);
        assertThat(Redactor.forLog(null)).isEmpty();
    }

    @Test
    void textWithoutATriggerIsReturnedAsTheSameInstance() {
        String output = "pool at 85% (17 of 20 active), 3 waiting";

        assertThat(Redactor.redact(output)).isSameAs(output);
    }

    @Test
    void newSecretNamesAreSensitiveKeys() {
        assertThat(Redactor.isSensitiveKey("aws_secret_access_key")).isTrue();
        assertThat(Redactor.isSensitiveKey("passphrase")).isTrue();
        assertThat(Redactor.isSensitiveKey("session")).isTrue();
        assertThat(Redactor.isSensitiveKey("X-Amz-Signature")).isTrue();
        assertThat(Redactor.isSensitiveKey("jwt")).isTrue();
        assertThat(Redactor.isSensitiveKey("author")).isFalse();
        assertThat(Redactor.isSensitiveKey("sessionTimeout")).isFalse();
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        String once = Redactor.redact("redis://:pw@h:1 password=x Authorization: Bearer abcdefgh12345678 {\"token\":\"t\"}");

        assertThat(Redactor.redact(once)).isEqualTo(once);
    }
}
