package io.opskit.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opskit.core.Result;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET/POST /api/items}: items stored in PostgreSQL and cached in Redis (when there is one). */
final class ItemsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ItemsServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CACHE_KEY = "items:all";

    private final transient DataSource dataSource;
    private final transient Supplier<Optional<StatefulRedisConnection<String, String>>> cache;
    private volatile boolean schemaReady;

    ItemsServlet(DataSource dataSource, Supplier<Optional<StatefulRedisConnection<String, String>>> cache) {
        this.dataSource = dataSource;
        this.cache = cache;
    }

    /**
     * Creates the table if it is missing. Tried at start and again on the first request after a failure, so
     * the service starts (not ready) while its database is down or refuses its password, and serves once it is back.
     */
    boolean ensureSchema() {
        if (schemaReady) {
            return true;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, "
                    + "created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            schemaReady = true;
        } catch (SQLException e) {
            LOG.debug("creating the items table failed: {}", Result.describe(e));
        }
        return schemaReady;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String cached = cacheGet();
        if (cached == null && !ensureSchema()) {
            write(resp, 503, "{\"error\":\"database unavailable\"}", "MISS");
            return;
        }
        if (cached != null) {
            write(resp, 200, cached, "HIT");
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM items ORDER BY id LIMIT 1000");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", rs.getLong(1));
                item.put("name", rs.getString(2));
                item.put("createdAt", rs.getTimestamp(3).toInstant().toString());
                items.add(item);
            }
        } catch (SQLException e) {
            LOG.warn("listing items failed: {}", Result.describe(e));
            write(resp, 503, "{\"error\":\"database unavailable\"}", "MISS");
            return;
        }
        String body = JSON.writeValueAsString(Map.of("items", items));
        cachePut(body);
        write(resp, 200, body, "MISS");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        InputStream stream = req.getInputStream();
        byte[] body = stream.readNBytes(RequestGuardFilter.MAX_BODY + 1);   // never more into memory, whatever the client sends
        if (body.length > RequestGuardFilter.MAX_BODY) {
            if (!RequestGuardFilter.swallow(req, RequestGuardFilter.MAX_SWALLOW)) {
                resp.setHeader("Connection", "close");
            }
            write(resp, 413, "{\"error\":\"request body over " + RequestGuardFilter.MAX_BODY + " bytes\"}", null);
            return;
        }
        JsonNode in;
        try {
            in = JSON.readTree(body);
        } catch (IOException e) {
            write(resp, 400, "{\"error\":\"body must be JSON: {\\\"name\\\":\\\"...\\\"}\"}", null);
            return;
        }
        if (in == null || !in.hasNonNull("name") || !in.get("name").isTextual() || in.get("name").asText().isBlank()
                || in.get("name").asText().length() > 200) {
            write(resp, 400, "{\"error\":\"name must be a non-blank string of at most 200 characters\"}", null);
            return;
        }
        if (!ensureSchema()) {
            write(resp, 503, "{\"error\":\"database unavailable\"}", null);
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO items (name) VALUES (?) RETURNING id")) {
            ps.setString(1, in.get("name").asText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                cacheEvict();
                write(resp, 201, JSON.writeValueAsString(Map.of("id", id, "name", in.get("name").asText())), null);
            }
        } catch (SQLException e) {
            LOG.warn("creating an item failed: {}", Result.describe(e));
            write(resp, 503, "{\"error\":\"database unavailable\"}", null);
        }
    }

    private String cacheGet() {
        Optional<StatefulRedisConnection<String, String>> c = cache.get();
        if (c.isEmpty()) {
            return null;
        }
        try {
            return c.get().sync().get(CACHE_KEY);
        } catch (RuntimeException e) {
            LOG.warn("cache read failed, reading the database: {}", Result.describe(e));
            return null;
        }
    }

    private void cachePut(String body) {
        cache.get().ifPresent(c -> {
            try {
                c.sync().set(CACHE_KEY, body, io.lettuce.core.SetArgs.Builder.ex(30));
            } catch (RuntimeException e) {
                LOG.warn("cache write failed: {}", Result.describe(e));
            }
        });
    }

    private void cacheEvict() {
        cache.get().ifPresent(c -> {
            try {
                c.sync().del(CACHE_KEY);
            } catch (RuntimeException e) {
                LOG.warn("cache evict failed: {}", Result.describe(e));
            }
        });
    }

    private static void write(HttpServletResponse resp, int status, String body, String cacheHeader) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        if (cacheHeader != null) {
            resp.setHeader("X-Cache", cacheHeader);
        }
        resp.getWriter().write(body);
    }
}
