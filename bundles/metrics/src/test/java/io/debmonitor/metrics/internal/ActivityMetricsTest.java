package io.debmonitor.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import io.debmonitor.core.model.api.DashboardDTO.Entities;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.GcRunDTO;
import io.debmonitor.core.model.api.GcStepDTO;
import io.debmonitor.core.model.api.StorageUnavailableException;

public class ActivityMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final DashboardService dashboard = mock(DashboardService.class);
    private final CveFleetService cves = mock(CveFleetService.class);
    private ActivityMetrics metrics;

    @Before
    public void setUp() {
        counts(new Entities(120, 40, 7, NOW, NOW, 3), new Entities(30, 12, 5, NOW, NOW, 1));
        when(cves.dashboard()).thenReturn(new io.debmonitor.core.model.api.CveDashboardDTO(java.util.Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        metrics = new ActivityMetrics(dashboard, cves, ManagementFactory.getPlatformMBeanServer());
    }

    @Test
    public void cveGaugesComeFromTheStoredFindings() {
        when(cves.findingsByKind()).thenReturn(java.util.Map.of(EntityKind.HOST, java.util.Map.of("high", java.util.Map.of("fix_available", 4L)),
                EntityKind.IMAGE, java.util.Map.of()));
        when(cves.dashboard()).thenReturn(new io.debmonitor.core.model.api.CveDashboardDTO(java.util.Map.of(), 0, 0, 0, 0, 0, 2, null, 7200L,
                false));
        Scrape scrape = Scrape.of(metrics);
        assertEquals(4.0, scrape.get("debmonitor_cve_findings{kind=\"host\",state=\"fix_available\",urgency=\"high\"}"), 0);
        assertEquals(2.0, scrape.get("debmonitor_cve_refresh_pending"), 0);
        assertEquals(7200.0, scrape.get("debmonitor_cve_feed_age_seconds"), 0);
    }

    @Test
    public void requestsCountBySourceUpdateTypeAndStatusClass() {
        metrics.requestServed("hosts", "full", 201, 30_000_000L);
        metrics.requestServed("hosts", "full", 204, 40_000_000L);
        metrics.requestServed("hosts", "unknown", 403, 1_000_000L);
        metrics.requestServed("images", "delete", 503, 2_000_000_000L);

        Scrape scrape = Scrape.of(metrics);
        assertEquals(2.0, scrape.get("debmonitor_requests_total{source=\"hosts\",status=\"2xx\",update_type=\"full\"}"), 0);
        assertEquals(1.0, scrape.get("debmonitor_requests_total{source=\"hosts\",status=\"4xx\",update_type=\"unknown\"}"), 0);
        assertEquals(1.0, scrape.get("debmonitor_requests_total{source=\"images\",status=\"5xx\",update_type=\"delete\"}"), 0);
        assertNull(scrape.get("debmonitor_requests_total{source=\"hosts\",status=\"5xx\",update_type=\"full\"}"));
    }

    @Test
    public void requestDurationsFillTheHistogramBySource() {
        metrics.requestServed("hosts", "full", 201, 30_000_000L);
        metrics.requestServed("hosts", "upgradable", 201, 400_000_000L);
        metrics.requestServed("images", "full", 201, 3_000_000_000L);

        Scrape scrape = Scrape.of(metrics);
        assertEquals(2.0, scrape.get("debmonitor_request_duration_seconds_count{source=\"hosts\"}"), 0);
        assertEquals(0.43, scrape.get("debmonitor_request_duration_seconds_sum{source=\"hosts\"}"), 1e-9);
        assertEquals(0.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"hosts\",le=\"0.025\"}"), 0);
        assertEquals(1.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"hosts\",le=\"0.05\"}"), 0);
        assertEquals(2.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"hosts\",le=\"0.5\"}"), 0);
        assertEquals(0.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"images\",le=\"2.5\"}"), 0);
        assertEquals(1.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"images\",le=\"5.0\"}"), 0);
        assertEquals(1.0, scrape.get("debmonitor_request_duration_seconds_bucket{source=\"images\",le=\"+Inf\"}"), 0);
    }

    @Test
    public void appliedReportsCountTheirRowsByKind() {
        metrics.reportApplied(EntityKind.HOST, 12);
        metrics.reportApplied(EntityKind.HOST, 0);
        metrics.historyRecorded(EntityKind.HOST, 1);
        metrics.historyRecorded(EntityKind.HOST, 5);

        Scrape scrape = Scrape.of(metrics);
        assertEquals(6.0, scrape.get("debmonitor_history_events_total{kind=\"host\"}"), 0);
        assertEquals(0.0, scrape.get("debmonitor_history_events_total{kind=\"image\"}"), 0);
        assertEquals(2.0, scrape.get("debmonitor_reports_applied_total{kind=\"host\"}"), 0);
        assertEquals(12.0, scrape.get("debmonitor_rows_written_total{kind=\"host\"}"), 0);
        // Both kinds exist from the start, so rate() sees the first image report.
        assertEquals(0.0, scrape.get("debmonitor_reports_applied_total{kind=\"image\"}"), 0);
        assertEquals(0.0, scrape.get("debmonitor_rows_written_total{kind=\"image\"}"), 0);
    }

    @Test
    public void gcRunsCountDeletionsAndRowsPerStepType() {
        metrics.gcRun(new GcRunDTO(false, NOW, NOW, List.of(new GcStepDTO("images", 2, 300), new GcStepDTO("hosts", 1, 40),
                new GcStepDTO("package versions", 5, 0), new GcStepDTO("kernels", 0, 0))));
        metrics.gcRun(new GcRunDTO(false, NOW, NOW, List.of(new GcStepDTO("hosts", 3, 60))));

        Scrape scrape = Scrape.of(metrics);
        assertEquals(2.0, scrape.get("debmonitor_gc_runs_total"), 0);
        assertEquals(4.0, scrape.get("debmonitor_gc_deleted_total{type=\"hosts\"}"), 0);
        assertEquals(2.0, scrape.get("debmonitor_gc_deleted_total{type=\"images\"}"), 0);
        assertEquals(5.0, scrape.get("debmonitor_gc_deleted_total{type=\"package_versions\"}"), 0);
        assertEquals(0.0, scrape.get("debmonitor_gc_deleted_total{type=\"kernels\"}"), 0);
        assertEquals(100.0, scrape.get("debmonitor_gc_deleted_rows_total{type=\"hosts\"}"), 0);
        assertEquals(300.0, scrape.get("debmonitor_gc_deleted_rows_total{type=\"images\"}"), 0);
        assertNull(scrape.get("debmonitor_gc_deleted_rows_total{type=\"package_versions\"}"));
    }

    @Test
    public void fleetGaugesComeFromOneCountPerScrape() {
        Scrape first = Scrape.of(metrics);
        assertEquals(1.0, first.get("debmonitor_database_up"), 0);
        assertEquals(120.0, first.get("debmonitor_entities{kind=\"host\"}"), 0);
        assertEquals(30.0, first.get("debmonitor_entities{kind=\"image\"}"), 0);
        assertEquals(3.0, first.get("debmonitor_entities_stale{kind=\"host\"}"), 0);
        assertEquals(1.0, first.get("debmonitor_entities_stale{kind=\"image\"}"), 0);
        assertEquals(7.0, first.get("debmonitor_entities_with_security_upgrades{kind=\"host\"}"), 0);
        assertEquals(5.0, first.get("debmonitor_entities_with_security_upgrades{kind=\"image\"}"), 0);

        counts(new Entities(121, 40, 6, NOW, NOW, 0), new Entities(30, 12, 5, NOW, NOW, 1));
        Scrape second = Scrape.of(metrics);
        assertEquals(121.0, second.get("debmonitor_entities{kind=\"host\"}"), 0);
        assertEquals(0.0, second.get("debmonitor_entities_stale{kind=\"host\"}"), 0);
        verify(dashboard, times(2)).entities(EntityKind.HOST);
        verify(dashboard, never()).counts();
    }

    @Test
    public void anUnavailableDatabaseDropsOnlyTheFleetGauges() {
        metrics.reportApplied(EntityKind.IMAGE, 4);
        when(dashboard.entities(any())).thenThrow(new StorageUnavailableException("database down", null));

        Scrape scrape = Scrape.of(metrics);
        assertEquals(0.0, scrape.get("debmonitor_database_up"), 0);
        assertFalse(scrape.hasMetric("debmonitor_entities"));
        assertFalse(scrape.hasMetric("debmonitor_entities_stale"));
        assertEquals(4.0, scrape.get("debmonitor_rows_written_total{kind=\"image\"}"), 0);
        assertTrue(scrape.hasMetric("jvm_memory_used_bytes"));
    }

    @Test
    public void jvmMetricsAndTypesAreIncluded() {
        metrics.requestServed("hosts", "full", 201, 1_000_000L);
        Scrape scrape = Scrape.of(metrics);
        assertTrue(scrape.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(scrape.hasMetric("jvm_threads_current"));
        assertTrue(scrape.hasMetric("jvm_gc_collection_seconds_count"));
        assertTrue(scrape.text.contains("# TYPE debmonitor_requests_total counter\n"));
        assertTrue(scrape.text.contains("# TYPE debmonitor_request_duration_seconds histogram\n"));
        assertTrue(scrape.text.contains("# TYPE debmonitor_entities gauge\n"));
    }

    private void counts(Entities hosts, Entities images) {
        when(dashboard.entities(EntityKind.HOST)).thenReturn(hosts);
        when(dashboard.entities(EntityKind.IMAGE)).thenReturn(images);
    }
}
