package io.debmonitor.metrics.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The database connection pool, read at scrape time from the JMX bean that commons-pool2 registers
 * for the pool pax-jdbc-pool-dbcp2 builds: its name is {@code POOLS} with {@code name=} the
 * {@code dataSourceName} ({@code debmonitor}). No such bean, no pool metrics.
 */
final class PoolCollector implements MultiCollector {

    static final ObjectName POOLS = objectName("org.ops4j.pax.jdbc.pool.dbcp2:type=GenericObjectPool,*");
    private static final String[] ATTRIBUTES = {"NumActive", "NumIdle", "MaxTotal", "NumWaiters"};

    private final MBeanServer mbeans;

    PoolCollector(MBeanServer mbeans) {
        this.mbeans = mbeans;
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder connections = GaugeSnapshot.builder().name("debmonitor_db_pool_connections")
                .help("Database connections of this node's pool, by state (active: lent out; idle: waiting in the pool)");
        GaugeSnapshot.Builder max = GaugeSnapshot.builder().name("debmonitor_db_pool_max_connections")
                .help("The most connections this node's pool opens (pool.maxTotal)");
        GaugeSnapshot.Builder waiters = GaugeSnapshot.builder().name("debmonitor_db_pool_waiters")
                .help("Threads of this node waiting for a database connection");
        Set<ObjectName> pools = mbeans.queryNames(POOLS, null);
        for (ObjectName pool : pools) {
            Map<String, Number> values = read(pool);
            if (values.keySet().containsAll(Set.of(ATTRIBUTES))) {
                String name = pool.getKeyProperty("name");
                connections.dataPoint(point(name, "active", values.get("NumActive")));
                connections.dataPoint(point(name, "idle", values.get("NumIdle")));
                max.dataPoint(point(name, null, values.get("MaxTotal")));
                waiters.dataPoint(point(name, null, values.get("NumWaiters")));
            }
        }
        return pools.isEmpty() ? MetricSnapshots.of() : MetricSnapshots.of(connections.build(), max.build(), waiters.build());
    }

    /** @return the numeric attributes; none when the pool went away since the query */
    private Map<String, Number> read(ObjectName pool) {
        Map<String, Number> values = new TreeMap<>();
        try {
            for (Attribute attribute : mbeans.getAttributes(pool, ATTRIBUTES).asList()) {
                if (attribute.getValue() instanceof Number number) {
                    values.put(attribute.getName(), number);
                }
            }
        } catch (JMException e) {
            values.clear();
        }
        return values;
    }

    private static GaugeDataPointSnapshot point(String pool, String state, Number value) {
        Labels labels = state == null ? Labels.of("pool", pool) : Labels.of("pool", pool, "state", state);
        return GaugeDataPointSnapshot.builder().labels(labels).value(value.doubleValue()).build();
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
