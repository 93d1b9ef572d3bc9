package io.opskit.http;

import io.opskit.core.Result;
import io.opskit.core.Status;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges the validity window of a certificate chain against the warn and fail thresholds:
 * shared by the TLS and the key-store checks so both say the same thing the same way.
 */
final class CertificateExpiry {

    /** Default: WARN when the earliest certificate expires within 14 days. */
    static final Duration DEFAULT_WARN_WITHIN = Duration.ofDays(14);
    /** Default: FAIL when the earliest certificate expires within 7 days. */
    static final Duration DEFAULT_FAIL_WITHIN = Duration.ofDays(7);

    private CertificateExpiry() {
    }

    /**
     * The verdict on {@code chain} (not empty) at {@code now}: FAIL when a certificate has
     * expired, is not yet valid, or expires within {@code failWithin}; WARN within
     * {@code warnWithin}; else PASS. The observed value is the whole days left until the
     * earliest {@code notAfter}.
     */
    static Result judge(String what, List<X509Certificate> chain, Instant now, Duration warnWithin, Duration failWithin) {
        X509Certificate earliest = chain.get(0);
        for (X509Certificate c : chain) {
            if (c.getNotAfter().before(earliest.getNotAfter())) {
                earliest = c;
            }
        }
        Instant notAfter = earliest.getNotAfter().toInstant();
        Duration left = Duration.between(now, notAfter);
        long days = left.toDays();
        Map<String, Object> details = details(chain, earliest);
        String subject = subject(earliest);

        for (X509Certificate c : chain) {
            Instant notBefore = c.getNotBefore().toInstant();
            if (notBefore.isAfter(now)) {
                return Result.fail(what + ": certificate " + subject(c) + " is not valid yet (notBefore " + notBefore
                        + ", " + Duration.between(now, notBefore).toDays() + " days from now): check the clocks and the deployment")
                        .withDetails(details).withObservedValue(days, "days");
            }
        }
        Result result;
        if (!notAfter.isAfter(now)) {
            result = Result.fail(what + ": certificate " + subject + " expired on " + notAfter + " ("
                    + (-days) + " days ago): renew it now");
        } else {
            String text = what + ": certificate " + subject + " expires in " + days + " days (notAfter " + notAfter + ")";
            if (left.compareTo(failWithin) < 0) {
                result = Result.fail(text + ", within " + failWithin.toDays() + " days: renew it now");
            } else if (left.compareTo(warnWithin) < 0) {
                result = Result.warn(text + ", within " + warnWithin.toDays() + " days: plan its renewal");
            } else {
                result = Result.of(Status.PASS, text);
            }
        }
        return result.withDetails(details).withObservedValue(days, "days");
    }

    static Map<String, Object> details(List<X509Certificate> chain, X509Certificate earliest) {
        X509Certificate leaf = chain.get(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subject", subject(leaf));
        details.put("issuer", leaf.getIssuerX500Principal().getName());
        details.put("notBefore", leaf.getNotBefore().toInstant().toString());
        details.put("notAfter", leaf.getNotAfter().toInstant().toString());
        List<String> names = subjectAlternativeNames(leaf);
        if (!names.isEmpty()) {
            details.put("subjectAlternativeNames", names);
        }
        details.put("chainLength", chain.size());
        if (earliest != leaf) {
            details.put("earliestExpiring", subject(earliest));
            details.put("earliestNotAfter", earliest.getNotAfter().toInstant().toString());
        }
        return details;
    }

    static String subject(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }

    static List<String> subjectAlternativeNames(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object type = san.get(0);
                    if (Integer.valueOf(2).equals(type)) {
                        names.add("DNS:" + san.get(1));
                    } else if (Integer.valueOf(7).equals(type)) {
                        names.add("IP:" + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable: " + e.getMessage());
        }
        return names;
    }

    /** Validates a pair of thresholds: both positive, fail below warn. */
    static void validate(Duration warnWithin, Duration failWithin) {
        if (failWithin.compareTo(warnWithin) > 0) {
            throw new IllegalArgumentException("failWithin must not exceed warnWithin, but was " + failWithin + " > "
                    + warnWithin + ": use e.g. warnWithin(Duration.ofDays(14)) and failWithin(Duration.ofDays(7))");
        }
    }

    static Duration positive(String field, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, but was " + value + ": use e.g. " + example);
        }
        return value;
    }
}
