package io.opskit.benchmarks.jmh;

import io.opskit.core.correlation.CorrelationIdConfig;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceGate;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.servlet.CorrelationIdFilter;
import io.opskit.servlet.MaintenanceFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What ops-servlet's correlation-ID filter plus the maintenance filter (maintenance off) add to a
 * request over a bare filter chain (issue 3: well under a microsecond). The request and response
 * are small in-memory stand-ins, so the figures are the filters' own cost, without a container.
 * {@code inboundId}: whether the request carries a valid {@code X-Correlation-ID} (echoed) or not
 * (a new ID is generated).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ServletFilterBenchmark {

    /** Whether the request carries a valid correlation ID. */
    @Param({"true", "false"})
    public boolean inboundId;

    private StubRequest request;
    private StubResponse response;
    private FilterChain terminal;
    private FilterChain filtered;
    private MaintenanceMode mode;
    private long served;

    /** Builds the filters (maintenance off) and the stand-in request and response. */
    @Setup(Level.Trial)
    public void setUp() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", "application/json");
        if (inboundId) {
            headers.put("X-Correlation-ID", "4bf92f3577b34da6a3ce929d0e0e4736");
        }
        request = new StubRequest(headers);
        response = new StubResponse();
        terminal = (req, res) -> served++;
        CorrelationIdFilter correlation = new CorrelationIdFilter(CorrelationIdConfig.DEFAULT);
        mode = MaintenanceMode.builder().ignoreEnvironment().build();
        MaintenanceFilter maintenance = new MaintenanceFilter(MaintenanceGate.create(mode, MaintenanceConfig.DEFAULT));
        FilterChain afterCorrelation = (req, res) -> maintenance.doFilter(req, res, terminal);
        filtered = (req, res) -> correlation.doFilter(req, res, afterCorrelation);
        try {
            filtered.doFilter(request, response);
        } catch (Exception e) {
            throw new IllegalStateException("the filter chain does not run on the stand-ins: " + e, e);
        }
        if (served != 1 || response.getHeader("X-Correlation-ID") == null) {
            throw new IllegalStateException("the filters did not pass the request on or set no correlation ID");
        }
    }

    /** Closes the maintenance mode. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mode.close();
    }

    /**
     * The bare chain: only the application's servlet (a counter here).
     *
     * @return requests served
     * @throws Exception never
     */
    @Benchmark
    public long bareChain() throws Exception {
        request.reset();
        terminal.doFilter(request, response);
        return served;
    }

    /**
     * The correlation-ID filter, then the maintenance filter, then the application's servlet.
     *
     * @return requests served
     * @throws Exception never
     */
    @Benchmark
    public long correlationAndMaintenance() throws Exception {
        request.reset();
        filtered.doFilter(request, response);
        return served;
    }

    /** Fails loudly on any servlet method the stand-ins do not implement. */
    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
                    + " is not implemented by the benchmark's stand-in: add it");
        }));
    }

    /** A GET of {@code /api/items} from 127.0.0.1 with fixed headers; attributes are cleared per request. */
    static final class StubRequest extends HttpServletRequestWrapper {
        private final Map<String, String> headers;
        private final Map<String, Object> attributes = new HashMap<>();

        StubRequest(Map<String, String> headers) {
            super(unsupported(HttpServletRequest.class));
            this.headers = headers;
        }

        void reset() {
            attributes.clear();
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = headers.get(name);
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(value));
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getRequestURI() {
            return "/api/items";
        }

        @Override
        public String getContextPath() {
            return "";
        }

        @Override
        public String getServletPath() {
            return "/api/items";
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getRemoteAddr() {
            return "127.0.0.1";
        }

        @Override
        public DispatcherType getDispatcherType() {
            return DispatcherType.REQUEST;
        }

        @Override
        public boolean isAsyncStarted() {
            return false;
        }

        @Override
        public ServletRequest getRequest() {
            return this;
        }
    }

    /** A response that keeps its headers in a map. */
    static final class StubResponse extends HttpServletResponseWrapper {
        private final Map<String, String> headers = new HashMap<>();
        private int status = 200;

        StubResponse() {
            super(unsupported(HttpServletResponse.class));
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public ServletResponse getResponse() {
            return this;
        }
    }
}
