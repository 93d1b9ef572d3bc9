package io.opskit.core.maintenance.internal;

import java.util.Locale;

/** Decides between an HTML page and problem+json from an {@code Accept} header, by q-value. */
public final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * Whether HTML is preferred: the best q of {@code text/html} / {@code application/xhtml+xml}
     * beats the best q of JSON types (a bare wildcard counts for both, so API clients and
     * {@code curl} get JSON; browsers, which list HTML first, get the page).
     */
    public static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip();
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (type) {
                case "text/html", "application/xhtml+xml" -> html = Math.max(html, q);
                case "application/json", "application/problem+json" -> json = Math.max(json, q);
                case "text/*" -> html = Math.max(html, q);
                case "*/*", "application/*" -> {
                    json = Math.max(json, q);
                    if (type.equals("*/*")) {
                        html = Math.max(html, q);
                    }
                }
                default -> {
                    if (type.endsWith("+json")) {
                        json = Math.max(json, q);
                    }
                }
            }
        }
        return html > json;
    }
}
