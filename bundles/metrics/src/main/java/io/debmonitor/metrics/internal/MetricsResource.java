package io.debmonitor.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** {@code GET /metrics}: the Prometheus text format (0.0.4) for the allow-list, else 403 (SPEC §3.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class MetricsResource {

    static final String REFUSAL = "This address or identity is not in the metrics allow-list (allowedAddresses, allowedIdentities).";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final ActivityMetrics metrics;
    private final MetricsAccess access;
    private final AccessService security;

    @Activate
    public MetricsResource(@Reference ActivityMetrics metrics, @Reference MetricsAccess access, @Reference AccessService security) {
        this.metrics = metrics;
        this.access = access;
        this.security = security;
    }

    @GET
    @Path("metrics")
    public Response metrics(@Context HttpServletRequest request) {
        Object caller = request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE);
        Set<String> identities = caller instanceof CallerDTO dto ? dto.identities() : Set.of();
        String peer = request.getRemoteAddr();
        if (!access.allows(peer, security.trustedProxy(peer), identities)) {
            return Response.status(403).type("application/json; charset=utf-8").entity(json(Map.of("error", REFUSAL)))
                    .header("Cache-Control", "no-store").build();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            WRITER.write(body, metrics.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("A byte array stream does not fail", e);
        }
        return Response.ok(body.toByteArray()).type(WRITER.getContentType()).header("Cache-Control", "no-store").build();
    }

    private static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings always serialises", e);
        }
    }
}
