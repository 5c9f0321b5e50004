package io.debmonitor.metrics.internal;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.EntityKind;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The CVE gauges (CVE.md §11.7), from the fleet's stored findings: the same on every node, like
 * the fleet gauges, and at most a minute behind the findings (the CVE counts' own cache). Nothing
 * is reported when they cannot be read; {@code debmonitor_database_up} says why.
 */
final class CveCollector implements MultiCollector {

    private final Logger logger = LoggerFactory.getLogger(CveCollector.class);
    private final CveFleetService cves;

    CveCollector(CveFleetService cves) {
        this.cves = cves;
    }

    @Override
    public MetricSnapshots collect() {
        Map<EntityKind, Map<String, Map<String, Long>>> byKind;
        CveDashboardDTO dashboard;
        try {
            byKind = cves.findingsByKind();
            dashboard = cves.dashboard();
        } catch (RuntimeException e) {
            logger.debug("CVE gauges skipped: {}", e.toString());
            return MetricSnapshots.of();
        }
        GaugeSnapshot.Builder findings = GaugeSnapshot.builder().name("debmonitor_cve_findings")
                .help("CVE findings (distinct host or image and issue) by kind, Debian urgency and state column of the dashboard");
        byKind.forEach((kind, matrix) -> matrix.forEach((urgency, states) -> states.forEach((state, n) -> findings.dataPoint(
                GaugeDataPointSnapshot.builder().labels(Labels.of("kind", kind.word(), "state", state, "urgency", urgency)).value(n).build()))));
        GaugeSnapshot.Builder pending = GaugeSnapshot.builder().name("debmonitor_cve_refresh_pending")
                .help("Hosts and images whose CVE findings wait for the refresher")
                .dataPoint(GaugeDataPointSnapshot.builder().value(dashboard.pending()).build());
        if (dashboard.ageSeconds() == null) {
            return MetricSnapshots.of(findings.build(), pending.build());
        }
        GaugeSnapshot age = GaugeSnapshot.builder().name("debmonitor_cve_feed_age_seconds")
                .help("Seconds since the active CVE feed snapshot was imported (absent before the first import)")
                .dataPoint(GaugeDataPointSnapshot.builder().value(dashboard.ageSeconds()).build()).build();
        return MetricSnapshots.of(findings.build(), pending.build(), age);
    }
}
