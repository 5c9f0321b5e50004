package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The gate migrates on its own thread and publishes {@link SchemaReady} only once the schema is up
 * to date, retrying while the database is unreachable or newer than this code.
 */
@RunWith(Parameterized.class)
public class SchemaGateTest {

    private static final int KNOWN = SchemaMigrator.MIGRATIONS.size();

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private EmptyDatabase db;
    private SchemaGate gate;
    /** Counted down when the gate first asks {@link #refusing} for a connection. */
    private final CountDownLatch tried = new CountDownLatch(1);

    public SchemaGateTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new EmptyDatabase(kind);
    }

    @After
    public void tearDown() throws Exception {
        if (gate != null) {
            gate.deactivate();
            gate.thread.join(60_000);
        }
        db.close();
    }

    private static SchemaMigrator migrator(SchemaMigrator.Pause pause) {
        return new SchemaMigrator("node-a", Clock.systemUTC(), pause);
    }

    /** {@code db}'s DataSource, refusing connections while {@code refusals} is positive (counting down). */
    private DataSource refusing(AtomicInteger refusals) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && refusals.getAndDecrement() > 0) {
                tried.countDown();
                throw new SQLException("Connection refused", "08001");
            }
            try {
                return method.invoke(db.dataSource, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    public void schemaReadyComesOnlyOnceTheSchemaIsMigrated() throws Exception {
        new SchemaMigrator("setup", Clock.systemUTC(), d -> fail("waited")).migrate(db.dataSource, 0);
        db.update("update schema_lock set holder = 'node-x', expires = ? where name = 'migrate'",
                LocalDateTime.now(ZoneOffset.UTC).plusMinutes(10));
        CompletableFuture<SchemaReady> ready = new CompletableFuture<>();
        AtomicLong versionsWhenReady = new AtomicLong(-1);
        List<Boolean> readyWhileWaiting = Collections.synchronizedList(new ArrayList<>());
        gate = new SchemaGate(db.dataSource, migrator(d -> {
            readyWhileWaiting.add(ready.isDone());
            SchemaMigratorTest.unchecked(() -> db.update("update schema_lock set holder = null, expires = null where name = 'migrate'"));
        }), d -> fail("retried"), schema -> {
            SchemaMigratorTest.unchecked(() -> versionsWhenReady.set(db.count("select count(*) from schema_version")));
            ready.complete(schema);
        });
        SchemaReady schema = ready.get(120, TimeUnit.SECONDS);
        assertEquals(kind.equals("mariadb"), schema.mariadb());
        assertEquals(List.of(false), readyWhileWaiting);
        assertEquals(KNOWN, versionsWhenReady.get());
        gate.thread.join(60_000);
        assertFalse("the thread ends once the schema is ready", gate.thread.isAlive());
    }

    @Test
    public void anUnreachableDatabaseIsTriedAgain() throws Exception {
        List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<SchemaReady> ready = new CompletableFuture<>();
        gate = new SchemaGate(refusing(new AtomicInteger(3)), migrator(d -> fail("waited")), pauses::add, ready::complete);
        assertNotNull(ready.get(120, TimeUnit.SECONDS));
        assertEquals(Collections.nCopies(3, SchemaGate.RETRY), pauses);
        assertEquals(KNOWN, db.count("select count(*) from schema_version"));
    }

    @Test
    public void aNewerIncompatibleSchemaIsLookedAtAgainEveryMinute() throws Exception {
        new SchemaMigrator().migrate(db.dataSource);
        db.update("insert into schema_version (version, script, applied) values (?, ?, ?)", KNOWN + 1, "V" + (KNOWN + 1) + "__future.sql",
                LocalDateTime.now(ZoneOffset.UTC));
        List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<SchemaReady> ready = new CompletableFuture<>();
        gate = new SchemaGate(db.dataSource, migrator(d -> fail("waited")), d -> {
            pauses.add(d);
            // an operator rolls the database forward to a release that works with this node
            SchemaMigratorTest.unchecked(() -> db.update("update schema_version set oldest_code = 0 where version = ?", KNOWN + 1));
        }, ready::complete);
        assertNotNull(ready.get(120, TimeUnit.SECONDS));
        assertEquals(List.of(SchemaGate.INCOMPATIBLE_RETRY), pauses);
    }

    /** A BundleContext that only registers services, counting registrations and unregistrations. */
    private static BundleContext bundleContext(List<Object> registered, AtomicInteger unregistered) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(SchemaGateTest.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("unregister")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    unregistered.incrementAndGet();
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(SchemaGateTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || args[0] != SchemaReady.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    registered.add(args[1]);
                    return registration;
                });
    }

    @Test
    public void theComponentRegistersSchemaReadyAndUnregistersItWhenDeactivated() throws Exception {
        List<Object> registered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unregistered = new AtomicInteger();
        gate = new SchemaGate(db.dataSource, bundleContext(registered, unregistered));
        gate.thread.join(120_000);
        assertEquals(List.of(new SchemaReady(kind.equals("mariadb"))), registered);
        assertEquals(KNOWN, db.count("select count(*) from schema_version"));
        gate.deactivate();
        assertEquals(1, unregistered.get());
    }

    @Test
    public void theComponentStopsTryingWhenDeactivated() throws Exception {
        List<Object> registered = Collections.synchronizedList(new ArrayList<>());
        gate = new SchemaGate(refusing(new AtomicInteger(Integer.MAX_VALUE)), bundleContext(registered, new AtomicInteger()));
        assertTrue("the gate tried the database", tried.await(60, TimeUnit.SECONDS));
        gate.deactivate();
        gate.thread.join(60_000);
        assertFalse(gate.thread.isAlive());
        assertEquals(List.of(), registered);
    }
}
