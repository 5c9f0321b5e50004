package io.debmonitor.metrics.internal;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.ActivityListener;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.GcRunDTO;
import io.debmonitor.core.model.api.GcStepDTO;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * This node's metrics registry: the counters and histogram fed by the activity events of
 * core-model and rest, the fleet gauges and database pool read at scrape time, and the JVM.
 */
@Component(service = {ActivityListener.class, ActivityMetrics.class})
public class ActivityMetrics implements ActivityListener {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    // Every metric is built withoutExemplars(): exemplar sampling loads the optional tracer
    // initializer package, which the feature does not install, and would fail on the first inc().

    private final Counter requests = Counter.builder().name("debmonitor_requests_total")
            .help("v1 write requests answered, by source, update type and status class")
            .labelNames("source", "update_type", "status").withoutExemplars().register(registry);
    private final Histogram requestDuration = Histogram.builder().name("debmonitor_request_duration_seconds")
            .help("Time from a v1 write request's arrival to its answer").unit(Unit.SECONDS)
            .labelNames("source").classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .withoutExemplars().register(registry);
    private final Counter reportsApplied = Counter.builder().name("debmonitor_reports_applied_total")
            .help("Reports applied (committed), by entity kind").labelNames("kind").withoutExemplars().register(registry);
    private final Counter rowsWritten = Counter.builder().name("debmonitor_rows_written_total")
            .help("Package rows inserted, updated or deleted by applied reports, by entity kind")
            .labelNames("kind").withoutExemplars().register(registry);
    private final Counter historyEvents = Counter.builder().name("debmonitor_history_events_total")
            .help("Package history events recorded by applied reports (baselines included), by entity kind")
            .labelNames("kind").withoutExemplars().register(registry);
    private final Counter gcRuns = Counter.builder().name("debmonitor_gc_runs_total")
            .help("Garbage collection runs that ended on this node (dry runs excluded)").withoutExemplars().register(registry);
    private final Counter gcDeleted = Counter.builder().name("debmonitor_gc_deleted_total")
            .help("Entities and orphans deleted by garbage collection, by step type").labelNames("type").withoutExemplars()
            .register(registry);
    private final Counter gcDeletedRows = Counter.builder().name("debmonitor_gc_deleted_rows_total")
            .help("Package rows deleted with the hosts and images garbage collection removed, by step type")
            .labelNames("type").withoutExemplars().register(registry);

    @Activate
    public ActivityMetrics(@Reference DashboardService dashboard, @Reference CveFleetService cves) {
        this(dashboard, cves, ManagementFactory.getPlatformMBeanServer());
    }

    ActivityMetrics(DashboardService dashboard, CveFleetService cves, MBeanServer mbeans) {
        for (EntityKind kind : EntityKind.values()) {
            reportsApplied.initLabelValues(kind.word());
            rowsWritten.initLabelValues(kind.word());
            historyEvents.initLabelValues(kind.word());
            gcDeletedRows.initLabelValues(kind.word() + "s");
        }
        registry.register(new FleetCollector(dashboard));
        registry.register(new CveCollector(cves));
        registry.register(new PoolCollector(mbeans));
        // JvmMetrics.builder() would also add JvmMemoryPoolAllocationMetrics, whose GC listeners are
        // never removed, and keep this registry in a static set: both would leak on every restart.
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    @Override
    public void requestServed(String source, String updateType, int status, long nanos) {
        requests.labelValues(known(source), known(updateType), status / 100 + "xx").inc();
        requestDuration.labelValues(known(source)).observe(Math.max(0, nanos) / 1e9);
    }

    @Override
    public void reportApplied(EntityKind kind, long rows) {
        reportsApplied.labelValues(kind.word()).inc();
        rowsWritten.labelValues(kind.word()).inc(Math.max(0, rows));
    }

    @Override
    public void historyRecorded(EntityKind kind, long events) {
        historyEvents.labelValues(kind.word()).inc(Math.max(0, events));
    }

    @Override
    public void gcRun(GcRunDTO run) {
        gcRuns.inc();
        for (GcStepDTO step : run.steps()) {
            String type = step.type().replace(' ', '_');
            gcDeleted.labelValues(type).inc(Math.max(0, step.count()));
            if (step.rows() > 0) {
                gcDeletedRows.labelValues(type).inc(step.rows());
            }
        }
    }

    /** @return every metric, the scrape-time ones read now */
    MetricSnapshots scrape() {
        return registry.scrape();
    }

    private static String known(String label) {
        return label == null || label.isEmpty() ? "unknown" : label;
    }
}
