package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every form a secret is written in, as it reaches opskit in outputs, events and logs: the secret
 * must be gone, the text around it must stay readable, and redacting again must change nothing.
 */
class RedactorCorpusTest {

    static Stream<Arguments> corpus() {
        return Stream.of(
                // URLs with credentials
                form("JDBC URL user and password", "jdbc:postgresql://admin:s3cretPw@db:5432/app", "s3cretPw", "@db:5432/app"),
                form("Redis password only", "redis://:pw123xyz@localhost:6379/0", "pw123xyz", "@localhost:6379/0"),
                form("Redis password holding a slash", "redis://:pa/ss9word@cache:6379", "ss9word", "@cache:6379"),
                form("Redis password holding at signs", "redis://:p@ss@w0rd@cache:6379/1", "w0rd", "@cache:6379/1"),
                form("userinfo with odd characters", "amqp://app:p?a#s!s%w$@mq:5672/vh", "s!s%w$", "@mq:5672/vh"),
                form("userinfo with a colon in the password", "postgres://app:a:b:cLEAK@db/app", "cLEAK", "@db/app"),
                form("token as the URL user", "cloning https://ghp_abc123XYZ@github.com/o/r.git failed", "ghp_abc123XYZ", "@github.com/o/r.git failed"),
                form("two URLs in one line", "primary redis://h1:1 replica redis://:rEpl1ca@h2:2 ok", "rEpl1ca", "primary redis://h1:1 replica"),
                // query strings
                form("query password", "jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true", "hunter2", "&ssl=true"),
                form("query token", "GET /callback?code=1&token=abc.def-ghi&state=x", "abc.def-ghi", "&state=x"),
                form("query access_token", "https://api.example.com/v1?access_token=ya29.a0AfH6&x=1", "ya29.a0AfH6", "&x=1"),
                form("Google API key as key=", "GET https://maps.googleapis.com/maps/api/geo?key=Zq81xLmKk&q=x", "Zq81xLmKk", "&q=x"),
                form("Azure SAS sig=", "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=AbC%2Bd9EfG%3D&se=2030", "AbC%2Bd9EfG%3D", "&se=2030"),
                form("S3 presigned X-Amz-Signature", "https://b.s3.amazonaws.com/k?X-Amz-Date=20240101T000000Z&X-Amz-Signature=9f8e7d6c5b4a#frag", "9f8e7d6c5b4a", "#frag"),
                form("query value to whitespace", "fetching /a?pw=q1w2e3 took 5 ms", "q1w2e3", "took 5 ms"),
                form("query auth=", "GET /feed?auth=Zx9yW8v&page=2", "Zx9yW8v", "&page=2"),
                form("query jwt=", "ws://h/socket?jwt=abc.def.ghi123&v=2", "abc.def.ghi123", "&v=2"),
                form("query session=", "/app?session=8c1fe2d0a7&lang=en", "8c1fe2d0a7", "&lang=en"),
                // key=value in text, properties, env
                form("aws_secret_access_key", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "wJalrXUtnFEMI", "aws_secret_access_key="),
                form("client_secret", "client_secret=abcdef123&client_id=app", "abcdef123", "client_id=app"),
                form("passphrase", "loading key with passphrase=correct-horse done", "correct-horse", "done"),
                form("pw= in text", "login as bob pw=S3cr3t! failed", "S3cr3t", "failed"),
                form("password holding a comma", "retry password=abc,xyzLEAK now", "xyzLEAK", "now"),
                form("password holding a semicolon", "retry password=abc;xyzLEAK now", "xyzLEAK", "now"),
                form("password holding a quote", "retry password=ab\"xyzLEAK now", "xyzLEAK", "now"),
                form("password holding a brace", "retry password=ab}xyzLEAK now", "xyzLEAK", "now"),
                form("password holding a single quote", "retry password=ab'xyzLEAK now", "xyzLEAK", "now"),
                form("double quoted password with space", "connect password=\"two wordsLEAK\" user=app", "wordsLEAK", "user=app"),
                form("properties line with spaces", "spring.datasource.password=correct horseLEAK battery\nnext=1", "horseLEAK", "next=1"),
                form("env style names", "DB_PASSWORD=hunter2 DB_USER=app", "hunter2", "DB_USER=app"),
                form("YAML line", "redis:\n  password: two wordsLEAK\n  port: 6379", "wordsLEAK", "port: 6379"),
                form("Java map toString", "{user=bob, password=p4ss, url=x}", "p4ss", "url=x"),
                form("session= in text", "created session=0f9e8d7c6b for bob", "0f9e8d7c6b", "for bob"),
                // libpq and JDBC properties
                form("libpq key values", "host=db port=5432 user=app password=hunter2 dbname=app", "hunter2", "dbname=app"),
                form("libpq quoted password", "host=db password='two wordsLEAK' dbname=app", "wordsLEAK", "dbname=app"),
                form("libpq quoted password with escaped quote", "host=db password='it\\'s mineLEAK' dbname=app", "mineLEAK", "dbname=app"),
                form("JDBC semicolon properties", "jdbc:sqlserver://db;user=sa;password=Secr3t;databaseName=app", "Secr3t", "databaseName=app"),
                form("JDBC braced password", "jdbc:sqlserver://db;password={a;b}}cLEAK};databaseName=app", "cLEAK", "databaseName=app"),
                form("Azure storage connection string", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyLEAK==;EndpointSuffix=core", "Zm9vYmFyLEAK", "EndpointSuffix=core"),
                // JSON
                form("JSON password", "{\"user\":\"bob\",\"password\":\"hunter2\"}", "hunter2", "\"user\":\"bob\""),
                form("JSON password with escapes", "{\"password\":\"a\\\"b,c}LEAK\",\"ok\":1}", "LEAK", "\"ok\":1"),
                form("JSON client_secret", "{\"client_secret\": \"cs-9a8b7c\", \"scope\": \"read\"}", "cs-9a8b7c", "\"scope\": \"read\""),
                form("JSON numeric pin", "{\"pw\": 998877, \"n\": 2}", "998877", "\"n\": 2"),
                form("JSON Authorization header", "{\"headers\":{\"Authorization\":\"Bearer abcDEF123\",\"Accept\":\"json\"}}", "abcDEF123", "\"Accept\":\"json\""),
                form("escaped JSON inside JSON", "{\"body\":\"{\\\"password\\\":\\\"x\\\\\\\"yLEAK\\\"}\",\"n\":1}", "yLEAK", "\"n\":1"),
                form("Python dict", "{'password': 'hunter2LEAK', 'user': 'bob'}", "hunter2LEAK", "'user': 'bob'"),
                // headers
                form("Authorization Bearer", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJzdWIiOiIxIn0", "Authorization: Bearer"),
                form("Authorization Negotiate", "Authorization: Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagLEAK", "YIIGhgYGKwYBBQUCoIIGejCCBnagLEAK", "Negotiate"),
                form("Authorization Digest to end of line", "Authorization: Digest username=\"bob\", response=\"6629fae4LEAK\"\nHost: x", "6629fae4LEAK", "Host: x"),
                form("Proxy-Authorization Basic", "Proxy-Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "Proxy-Authorization: Basic"),
                form("Authorization raw value", "Authorization=abc123def", "abc123def", "Authorization="),
                form("Cookie header", "Cookie: SESSION=8c1fLEAK; theme=darkLEAK\nAccept: */*", "LEAK", "Accept: */*"),
                form("Set-Cookie header", "Set-Cookie: JSESSIONID=AbC123LEAK; Path=/app; HttpOnly; Secure", "AbC123LEAK", "Path=/app; HttpOnly; Secure"),
                form("X-API-Key header", "X-API-Key: 0f3c9a7e", "0f3c9a7e", "X-API-Key"),
                form("bare Bearer token", "rejected Bearer abcDEF123456789.xyz by upstream", "abcDEF123456789", "by upstream"),
                form("bare Negotiate token", "server sent Negotiate oYH1MIHyoAMKAQ for SPNEGO", "oYH1MIHyoAMKAQ", "for SPNEGO"),
                // PEM private keys
                form("PKCS#8 private key", pem("PRIVATE KEY"), "MIIEvQIBADANLEAK", "after"),
                form("RSA private key", pem("RSA PRIVATE KEY"), "MIIEvQIBADANLEAK", "after"),
                form("EC private key", pem("EC PRIVATE KEY"), "MIIEvQIBADANLEAK", "after"),
                form("encrypted private key", pem("ENCRYPTED PRIVATE KEY"), "MIIEvQIBADANLEAK", "after"),
                form("OpenSSH private key", pem("OPENSSH PRIVATE KEY"), "MIIEvQIBADANLEAK", "after"),
                form("truncated private key", "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANLEAK", "MIIEvQIBADANLEAK", "key:"),
                // shapes recognised anywhere
                form("JWT in text", "token rejected: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLEAK (expired)", "c2lnbmF0dXJlLEAK", "(expired)"),
                form("AWS access key id", "using AKIAIOSFODNN7EXAMPLE for s3", "AKIAIOSFODNN7EXAMPLE", "for s3"),
                form("GitHub token", "push with ghp_16C7e42F292c6912E7710c838347Ae178B4a failed", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "failed"),
                form("Slack bot token", "slack says invalid_auth for xoxb-123456789012-1234567890123-AbCdEfGhIjKlMn", "AbCdEfGhIjKlMn", "invalid_auth for"),
                form("OpenAI style key", "openai: 401 for sk-proj-Ab12Cd34Ef56Gh78Ij90Kl", "Ab12Cd34Ef56Gh78Ij90Kl", "401 for"),
                form("Stripe secret key", "charge failed with sk_live_4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc", "charge failed"),
                form("Google API key bare", "maps quota for AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY exceeded", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "exceeded"),
                // several forms in one message
                form("exception message", "java.sql.SQLException: FATAL: password authentication failed for jdbc:postgresql://app:hunter2@db/app",
                        "hunter2", "password authentication failed"),
                form("several in one line", "url=redis://:pw9@h:1 then password=x9y and token=y8z end", "x9y", "then"));
    }

    private static Arguments form(String name, String input, String secret, String context) {
        return arguments(name, input, secret, context);
    }

    private static String pem(String kind) {
        return "before -----BEGIN " + kind + "-----\nMIIEvQIBADANLEAK\nQ29udGludWVkLEAK==\n-----END " + kind + "-----\nafter";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theSecretIsGoneAndItsContextStays(String name, String input, String secret, String context) {
        String out = Redactor.redact(input);

        assertThat(out).as("%s: %s", name, out).doesNotContain(secret).contains(context).contains(Redactor.MASK);
        assertThat(Redactor.redact(out)).as("%s redacted twice", name).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void forLogMasksTheSameSecretsAndKeepsOneLine(String name, String input, String secret, String context) {
        String out = Redactor.forLog(input);

        assertThat(out).as(name).doesNotContain(secret).doesNotContain("\n").doesNotContain("\r");
    }
}
