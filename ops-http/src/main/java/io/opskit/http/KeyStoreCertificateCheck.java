package io.opskit.http;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Certificate expiry of the application's own certificates, read from a {@link KeyStore}
 * (PKCS12 or JKS): every key entry's chain and every trusted certificate entry, or only the
 * aliases named. The verdict is the one of the entry closest to expiry, with the same
 * thresholds as {@link TlsCertificateCheck} (WARN within 14 days, FAIL within 7, expired or not
 * yet valid); the observed value is the days it has left.
 *
 * <pre>{@code
 * HealthCheck own = KeyStoreCertificateCheck.builder(Path.of("server.p12"), password).build();
 * }</pre>
 *
 * <p>A key store given as a file is read again on every run, so a renewed file on disk is
 * seen without a restart.
 */
public final class KeyStoreCertificateCheck implements HealthCheck {

    private final KeyStore keyStore;
    private final Path file;
    private final char[] password;
    private final Set<String> aliases;
    private final Duration warnWithin;
    private final Duration failWithin;
    private final Clock clock;

    private KeyStoreCertificateCheck(Builder b) {
        this.keyStore = b.keyStore;
        this.file = b.file;
        this.password = b.password;
        this.aliases = b.aliases;
        this.warnWithin = b.warnWithin;
        this.failWithin = b.failWithin;
        this.clock = b.clock;
    }

    /** A check of a loaded key store. */
    public static Builder builder(KeyStore keyStore) {
        return new Builder(Objects.requireNonNull(keyStore, "keyStore must not be null: load one with KeyStore.getInstance(file, password)"),
                null, null);
    }

    /**
     * A check of a key store file (PKCS12 or JKS, detected by the JDK), read on every run.
     *
     * @param password the store's password, copied; may be empty for a store without one
     */
    public static Builder builder(Path file, char[] password) {
        Objects.requireNonNull(file, "file must not be null: use e.g. Path.of(\"server.p12\")");
        return new Builder(null, file, password == null ? new char[0] : password.clone());
    }

    @Override
    public Result check() throws IOException, GeneralSecurityException {
        String source = file == null ? "key store" : "key store " + file.getFileName();
        KeyStore store = keyStore;
        if (store == null) {
            if (!Files.isReadable(file)) {
                return Result.fail(source + ": file " + file + " is missing or unreadable");
            }
            store = KeyStore.getInstance(file.toFile(), password);
        }
        Instant now = clock.instant();
        Result worst = null;
        String worstAlias = null;
        Map<String, Object> perAlias = new LinkedHashMap<>();
        List<String> names = aliases.isEmpty() ? Collections.list(store.aliases()) : new ArrayList<>(aliases);
        for (String alias : names) {
            List<X509Certificate> chain = chain(store, alias);
            if (chain.isEmpty()) {
                if (!aliases.isEmpty()) {
                    return Result.fail(source + ": alias '" + alias + "' holds no X.509 certificate");
                }
                continue;
            }
            Result r = CertificateExpiry.judge(source + " alias '" + alias + "'", chain, now, warnWithin, failWithin);
            perAlias.put(alias, r.observedValue().orElse(0L));
            if (worst == null || r.status().isWorseThan(worst.status())
                    || r.status() == worst.status() && days(r) < days(worst)) {
                worst = r;
                worstAlias = alias;
            }
        }
        if (worst == null) {
            return Result.of(Status.WARN, source + ": holds no certificate to check");
        }
        return worst.withDetail("alias", worstAlias).withDetail("daysLeftByAlias", perAlias);
    }

    private static long days(Result r) {
        return r.observedValue().map(v -> ((Number) v).longValue()).orElse(Long.MAX_VALUE);
    }

    private static List<X509Certificate> chain(KeyStore store, String alias) throws GeneralSecurityException {
        Certificate[] certs = store.getCertificateChain(alias);
        if (certs == null) {
            Certificate one = store.getCertificate(alias);
            certs = one == null ? new Certificate[0] : new Certificate[] {one};
        }
        List<X509Certificate> out = new ArrayList<>();
        Arrays.stream(certs).filter(X509Certificate.class::isInstance).forEach(c -> out.add((X509Certificate) c));
        return out;
    }

    @Override
    public String toString() {
        return "KeyStoreCertificateCheck{" + (file == null ? "in-memory" : file) + (aliases.isEmpty() ? "" : ", aliases=" + aliases) + '}';
    }

    /** Options of a {@link KeyStoreCertificateCheck}; every setter validates. */
    public static final class Builder {
        private final KeyStore keyStore;
        private final Path file;
        private final char[] password;
        private Set<String> aliases = Set.of();
        private Duration warnWithin = CertificateExpiry.DEFAULT_WARN_WITHIN;
        private Duration failWithin = CertificateExpiry.DEFAULT_FAIL_WITHIN;
        private Clock clock = Clock.systemUTC();

        private Builder(KeyStore keyStore, Path file, char[] password) {
            this.keyStore = keyStore;
            this.file = file;
            this.password = password;
        }

        /** Check only these aliases (default: every entry with a certificate). */
        public Builder aliases(String first, String... more) {
            Set<String> set = new LinkedHashSet<>();
            set.add(Objects.requireNonNull(first, "alias must not be null"));
            for (String a : more) {
                set.add(Objects.requireNonNull(a, "alias must not be null"));
            }
            this.aliases = Collections.unmodifiableSet(set);
            return this;
        }

        /** WARN when a certificate expires within this (default 14 days). */
        public Builder warnWithin(Duration value) {
            this.warnWithin = CertificateExpiry.positive("warnWithin", value, "Duration.ofDays(14)");
            return this;
        }

        /** FAIL when a certificate expires within this (default 7 days). */
        public Builder failWithin(Duration value) {
            this.failWithin = CertificateExpiry.positive("failWithin", value, "Duration.ofDays(7)");
            return this;
        }

        /** The clock the days are counted with (default: the system's). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock must not be null: use Clock.systemUTC()");
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if failWithin exceeds warnWithin
         */
        public KeyStoreCertificateCheck build() {
            CertificateExpiry.validate(warnWithin, failWithin);
            return new KeyStoreCertificateCheck(this);
        }
    }
}
