package io.debmonitor.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.DashboardDTO.Entities;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;

public class MetricsResourceTest {

    private final ActivityMetrics metrics;
    private final MetricsResource resource;

    public MetricsResourceTest() {
        DashboardService dashboard = mock(DashboardService.class);
        CveFleetService cves = mock(CveFleetService.class);
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        when(dashboard.entities(EntityKind.HOST)).thenReturn(new Entities(9, 2, 1, now, now, 2));
        when(dashboard.entities(EntityKind.IMAGE)).thenReturn(new Entities(0, 0, 0, null, null, 0));
        when(cves.dashboard()).thenReturn(new io.debmonitor.core.model.api.CveDashboardDTO(java.util.Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        metrics = new ActivityMetrics(dashboard, cves, ManagementFactory.getPlatformMBeanServer());
        // 10.10.9.9 is a trusted proxy: what it forwards counts only by identity.
        AccessService security = mock(AccessService.class);
        when(security.trustedProxy("10.10.9.9")).thenReturn(true);
        resource = new MetricsResource(metrics, new MetricsAccess(MetricsAccessTest.config(
                "allowedAddresses", new String[] {"127.0.0.1, 10.10.0.0/16"}, "allowedIdentities", new String[] {"prometheus.example.org"})),
                security);
    }

    @Test
    public void aTrustedProxyInAnAllowedBlockPassesOnlyAnAllowedIdentity() {
        assertEquals(403, resource.metrics(request("10.10.9.9", new CallerDTO(Set.of(), null, false, null))).getStatus());
        assertEquals(200, resource.metrics(request("10.10.9.9", new CallerDTO(Set.of("prometheus.example.org"), null, true, null))).getStatus());
    }

    @Test
    public void anAllowedAddressGetsTheTextFormat() {
        metrics.requestServed("hosts", "dpkg_hook", 201, 5_000_000L);

        Response response = resource.metrics(request("10.10.4.2", new CallerDTO(Set.of(), null, false, null)));

        assertEquals(200, response.getStatus());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeaderString("Content-Type"));
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        Scrape scrape = new Scrape(new String((byte[]) response.getEntity(), StandardCharsets.UTF_8));
        assertEquals(1.0, scrape.get("debmonitor_requests_total{source=\"hosts\",status=\"2xx\",update_type=\"dpkg_hook\"}"), 0);
        assertEquals(2.0, scrape.get("debmonitor_entities_stale{kind=\"host\"}"), 0);
        assertTrue(scrape.text.contains("# HELP debmonitor_entities_stale "));
    }

    @Test
    public void anAllowedIdentityGetsTheMetricsFromAnywhere() {
        Response response = resource.metrics(request("198.51.100.3", new CallerDTO(Set.of("prometheus.example.org"), null, true, null)));
        assertEquals(200, response.getStatus());
    }

    @Test
    public void anyoneElseGetsAJsonForbidden() throws Exception {
        for (HttpServletRequest refused : new HttpServletRequest[] {
                request("198.51.100.3", new CallerDTO(Set.of("host1.example.org"), null, true, null)),
                request("10.11.0.1", new CallerDTO(Set.of(), "no client certificate was presented", true, null)),
                request("198.51.100.3", null)}) {
            Response response = resource.metrics(refused);
            assertEquals(403, response.getStatus());
            assertEquals("application/json; charset=utf-8", response.getHeaderString("Content-Type"));
            assertEquals(MetricsResource.REFUSAL, new ObjectMapper().readTree((String) response.getEntity()).get("error").asText());
        }
    }

    private static HttpServletRequest request(String peer, CallerDTO caller) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn(peer);
        when(request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE)).thenReturn(caller);
        return request;
    }
}
