package io.debmonitor.metrics.internal;

import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardDTO.Entities;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StorageUnavailableException;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The fleet-wide gauges, from one {@link DashboardService#counts()} per scrape, never cached
 * beyond it. Every node reports the same values. When the database is unavailable, only
 * {@code debmonitor_database_up 0} is reported, so the node's other metrics still arrive.
 */
final class FleetCollector implements MultiCollector {

    private final Logger logger = LoggerFactory.getLogger(FleetCollector.class);
    private final DashboardService dashboard;

    FleetCollector(DashboardService dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public MetricSnapshots collect() {
        DashboardDTO counts;
        try {
            counts = dashboard.counts();
        } catch (StorageUnavailableException e) {
            logger.debug("Fleet gauges skipped: {}", e.getMessage());
            return MetricSnapshots.of(databaseUp(0));
        }
        return MetricSnapshots.of(databaseUp(1),
                perKind("debmonitor_entities", "Stored hosts and images", counts, Entities::total),
                perKind("debmonitor_entities_stale", "Hosts and images not reported within the staleness threshold (PID io.debmonitor.staleness)",
                        counts, Entities::stale),
                perKind("debmonitor_entities_with_security_upgrades", "Hosts and images with at least one pending security upgrade",
                        counts, Entities::withSecurity));
    }

    private static GaugeSnapshot databaseUp(double value) {
        return GaugeSnapshot.builder().name("debmonitor_database_up")
                .help("1 when this scrape read the fleet counts from the database, 0 when it was unavailable")
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot perKind(String name, String help, DashboardDTO counts, ToLongFunction<Entities> figure) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(point(EntityKind.HOST, figure.applyAsLong(counts.hosts())))
                .dataPoint(point(EntityKind.IMAGE, figure.applyAsLong(counts.images()))).build();
    }

    private static GaugeDataPointSnapshot point(EntityKind kind, long value) {
        return GaugeDataPointSnapshot.builder().labels(Labels.of("kind", kind.word())).value(value).build();
    }
}
