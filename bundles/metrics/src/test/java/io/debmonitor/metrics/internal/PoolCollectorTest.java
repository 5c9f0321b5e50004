package io.debmonitor.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.Test;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** Reads a commons-pool2 pool registered under the JMX name pax-jdbc-pool-dbcp2 gives it. */
public class PoolCollectorTest {

    private final PoolCollector collector = new PoolCollector(ManagementFactory.getPlatformMBeanServer());

    @Test
    public void readsThePoolOfTheDataSource() throws Exception {
        GenericObjectPoolConfig<Object> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(16);
        config.setJmxNameBase("org.ops4j.pax.jdbc.pool.dbcp2:type=GenericObjectPool,name=");
        config.setJmxNamePrefix("debmonitor");
        try (GenericObjectPool<Object> pool = new GenericObjectPool<>(new Connections(), config)) {
            Object first = pool.borrowObject();
            pool.borrowObject();
            pool.borrowObject();
            pool.returnObject(first);

            MetricSnapshots snapshots = collector.collect();
            assertEquals(2.0, value(snapshots, "debmonitor_db_pool_connections", "state", "active"), 0);
            assertEquals(1.0, value(snapshots, "debmonitor_db_pool_connections", "state", "idle"), 0);
            assertEquals(16.0, value(snapshots, "debmonitor_db_pool_max_connections", "pool", "debmonitor"), 0);
            assertEquals(0.0, value(snapshots, "debmonitor_db_pool_waiters", "pool", "debmonitor"), 0);
        }
        assertTrue("a closed pool leaves JMX and the scrape", collector.collect().size() == 0);
    }

    private static double value(MetricSnapshots snapshots, String name, String label, String labelValue) {
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getMetadata().getName().equals(name)) {
                for (GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
                    if (labelValue.equals(point.getLabels().get(label)) && "debmonitor".equals(point.getLabels().get("pool"))) {
                        return point.getValue();
                    }
                }
            }
        }
        throw new AssertionError("no " + name + " with " + label + "=" + labelValue + " in the scrape");
    }

    /** Stands in for dbcp2's connection factory. */
    private static final class Connections extends BasePooledObjectFactory<Object> {
        @Override
        public Object create() {
            return new Object();
        }

        @Override
        public PooledObject<Object> wrap(Object connection) {
            return new DefaultPooledObject<>(connection);
        }
    }
}
