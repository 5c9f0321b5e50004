package io.debmonitor.rest.internal;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.ActivityListener;

/**
 * Tells the {@link ActivityListener}s about every v1 write request (POST {@code .../update},
 * DELETE {@code /<collection>/<name>}) once its answer is known, error answers included: its
 * source (the first path segment when a package source serves it, {@code kubernetes}, else
 * {@code other}, so that made-up paths cannot grow the metrics without bound), update type (set
 * by {@link ReportResource} once it has read the report), status and time.
 */
@PreMatching
final class WriteMetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** Request property holding the update type, once known. */
    static final String UPDATE_TYPE = "debmonitor.updateType";
    private static final String STARTED = "debmonitor.started";

    private final Logger logger = LoggerFactory.getLogger(WriteMetricsFilter.class);
    private final Supplier<List<ActivityListener>> listeners;
    private final Predicate<String> served;

    /** @param served whether a package source serves a collection */
    WriteMetricsFilter(Supplier<List<ActivityListener>> listeners, Predicate<String> served) {
        this.listeners = listeners;
        this.served = served;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        String source = source(request.getMethod(), request.getUriInfo().getPath(false));
        if (source == null || !(started instanceof Long)) {
            return;
        }
        if (!"kubernetes".equals(source) && !served.test(source)) {
            source = "other";
        }
        long nanos = System.nanoTime() - (Long) started;
        Object type = request.getProperty(UPDATE_TYPE);
        String updateType = type != null ? type.toString() : "DELETE".equals(request.getMethod()) ? "delete" : "unknown";
        for (ActivityListener listener : listeners.get()) {
            try {
                listener.requestServed(source, updateType, response.getStatus(), nanos);
            } catch (RuntimeException e) {
                logger.warn("Activity listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
    }

    /** @return the collection of a v1 write request, or null for any other request */
    static String source(String method, String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        if (slash <= 0 || slash == p.length() - 1) {
            return null;
        }
        boolean write = "POST".equals(method) && p.endsWith("/update") || "DELETE".equals(method);
        return write ? p.substring(0, slash) : null;
    }
}
