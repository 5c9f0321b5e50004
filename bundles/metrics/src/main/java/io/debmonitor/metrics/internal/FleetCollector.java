package io.debmonitor.metrics.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The fleet-wide gauges, from {@link DashboardService#entities} (one query on each entity table,
 * never the package counts) per scrape, never cached beyond it. Every node reports the same
 * values. When the database cannot be read, only {@code debmonitor_database_up 0} is reported,
 * so the node's other metrics still arrive.
 */
final class FleetCollector implements MultiCollector {

    private final Logger logger = LoggerFactory.getLogger(FleetCollector.class);
    private final DashboardService dashboard;

    FleetCollector(DashboardService dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public MetricSnapshots collect() {
        Map<EntityKind, Entities> counts = new EnumMap<>(EntityKind.class);
        try {
            for (EntityKind kind : EntityKind.values()) {
                counts.put(kind, dashboard.entities(kind));
            }
        } catch (StorageUnavailableException e) {
            logger.debug("Fleet gauges skipped: {}", e.getMessage());
            return MetricSnapshots.of(databaseUp(0));
        } catch (RuntimeException e) {
            // A full pool or a query timeout: the JVM and pool metrics matter most right then.
            logger.warn("Fleet gauges skipped: {}", e.toString());
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

    private static GaugeSnapshot perKind(String name, String help, Map<EntityKind, Entities> counts, ToLongFunction<Entities> figure) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        counts.forEach((kind, entities) -> gauge.dataPoint(point(kind, figure.applyAsLong(entities))));
        return gauge.build();
    }

    private static GaugeDataPointSnapshot point(EntityKind kind, long value) {
        return GaugeDataPointSnapshot.builder().labels(Labels.of("kind", kind.word())).value(value).build();
    }
}
