package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * The migration lock (SCALEOUT.md §2.4, §2.6) and the rolling-upgrade rule, on both databases: one
 * node migrates while the others wait for it; a lock whose holder died is taken over once expired;
 * a node finding a newer schema starts only if every newer migration declares that it works with it.
 */
@RunWith(Parameterized.class)
public class SchemaMigratorTest {

    static final int KNOWN = SchemaMigrator.MIGRATIONS.size();
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private EmptyDatabase db;

    public SchemaMigratorTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new EmptyDatabase(kind);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    /** A clock that moves only when told to, and can act on its {@code n}th reading. */
    static final class TestClock extends Clock {
        private volatile Instant now;
        private final AtomicInteger readings = new AtomicInteger();
        private volatile int actAt;
        private volatile SqlAction action;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        void onReading(int n, SqlAction action) {
            this.actAt = n;
            this.action = action;
        }

        @Override
        public Instant instant() {
            if (readings.incrementAndGet() == actAt) {
                unchecked(action);
            }
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    static void unchecked(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void holdLock(String holder, Instant expires) throws SQLException {
        new SchemaMigrator("setup", Clock.systemUTC(), d -> fail("waited")).migrate(db.dataSource, 0);
        assertEquals(1, db.update("update schema_lock set holder = ?, expires = ? where name = 'migrate'", holder,
                LocalDateTime.ofInstant(expires, ZoneOffset.UTC)));
    }

    private void releaseLock() throws SQLException {
        db.update("update schema_lock set holder = null, expires = null where name = 'migrate'");
    }

    /** Every script applied once, recorded as an expand migration, and the lock free. */
    private void assertMigratedOnce() throws SQLException {
        assertEquals(KNOWN, db.count("select count(*) from schema_version"));
        assertEquals(KNOWN, db.count("select count(distinct script) from schema_version"));
        assertEquals(KNOWN, db.count("select max(version) from schema_version"));
        assertEquals(KNOWN, db.count("select count(*) from schema_version where oldest_code = 0"));
        assertEquals(1, db.count("select count(*) from schema_lock"));
        assertNull(db.lockHolder());
    }

    private List<Integer> race(List<SchemaMigrator> migrators) throws Exception {
        CyclicBarrier start = new CyclicBarrier(migrators.size());
        ExecutorService pool = Executors.newFixedThreadPool(migrators.size());
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (SchemaMigrator migrator : migrators) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return migrator.migrate(db.dataSource);
                    } finally {
                        aNodeFinished.countDown();
                    }
                }));
            }
            List<Integer> applied = new ArrayList<>();
            for (Future<Integer> future : futures) {
                applied.add(future.get(120, TimeUnit.SECONDS));
            }
            Collections.sort(applied);
            return applied;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counted down when a node of {@link #race} returned from its migration (and so released the lock). */
    private final CountDownLatch aNodeFinished = new CountDownLatch(1);

    /** A racing node's wait for the lock: instead of a poll interval, until the other node is done. */
    private void untilTheOtherNodeIsDone(Duration poll) throws InterruptedException {
        assertTrue("the lock holder never finished", aNodeFinished.await(60, TimeUnit.SECONDS));
    }

    @Test
    public void twoNodesRacingOnAFreshDatabaseMigrateItOnce() throws Exception {
        List<SchemaMigrator> nodes = List.of(new SchemaMigrator("node-a", Clock.systemUTC(), this::untilTheOtherNodeIsDone),
                new SchemaMigrator("node-b", Clock.systemUTC(), this::untilTheOtherNodeIsDone));
        assertEquals(List.of(0, KNOWN), race(nodes));
        assertMigratedOnce();
    }

    @Test
    public void nodesWaitingForTheLockRaceForItOnceFreedAndTheLoserProceeds() throws Exception {
        holdLock("node-0", Instant.now().plus(Duration.ofMinutes(10)));
        CountDownLatch waiting = new CountDownLatch(2);
        CountDownLatch released = new CountDownLatch(1);
        List<SchemaMigrator> nodes = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            AtomicBoolean first = new AtomicBoolean(true);
            nodes.add(new SchemaMigrator(node, Clock.systemUTC(), d -> {
                assertEquals(SchemaMigrator.POLL, d);
                if (first.getAndSet(false)) {
                    waiting.countDown();
                    released.await();
                } else {
                    untilTheOtherNodeIsDone(d);
                }
            }));
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Integer>> applied = pool.submit(() -> race(nodes));
            assertTrue("both nodes wait for node-0", waiting.await(60, TimeUnit.SECONDS));
            assertEquals(0, db.count("select count(*) from schema_version"));
            assertEquals("node-0", db.lockHolder());
            releaseLock();
            released.countDown();
            assertEquals(List.of(0, KNOWN), applied.get(120, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertMigratedOnce();
    }

    @Test
    public void theExpiredLockOfADeadNodeIsTakenOver() throws SQLException {
        holdLock("dead-node", T.minusSeconds(1));
        SchemaMigrator migrator = new SchemaMigrator("node-a", new TestClock(T), d -> fail("waited for an expired lock"));
        assertEquals(KNOWN, migrator.migrate(db.dataSource));
        assertMigratedOnce();
    }

    @Test
    public void aHeldLockMakesTheMigratorWaitUntilReleased() throws SQLException {
        holdLock("node-x", T.plus(Duration.ofMinutes(10)));
        TestClock clock = new TestClock(T);
        List<Duration> pauses = new ArrayList<>();
        SchemaMigrator migrator = new SchemaMigrator("node-a", clock, d -> {
            pauses.add(d);
            clock.advance(d);
            unchecked(() -> {
                assertEquals(0, db.count("select count(*) from schema_version"));
                assertEquals("node-x", db.lockHolder());
                if (pauses.size() == 3) {
                    releaseLock();
                }
            });
        });
        assertEquals(KNOWN, migrator.migrate(db.dataSource));
        assertEquals(Collections.nCopies(3, SchemaMigrator.POLL), pauses);
        assertMigratedOnce();
    }

    @Test
    public void aHeldLockIsTakenOverOnceItExpires() throws SQLException {
        holdLock("node-x", T.plus(SchemaMigrator.LOCK_TTL));
        TestClock clock = new TestClock(T);
        AtomicInteger pauses = new AtomicInteger();
        SchemaMigrator migrator = new SchemaMigrator("node-a", clock, d -> {
            pauses.incrementAndGet();
            clock.advance(d);
        });
        assertEquals(KNOWN, migrator.migrate(db.dataSource));
        assertEquals("taken once the clock passed the expiry", SchemaMigrator.LOCK_TTL.dividedBy(SchemaMigrator.POLL) + 1, pauses.get());
        assertMigratedOnce();
    }

    @Test
    public void aMigrationThatLostTheLockStopsAtTheNextStep() throws SQLException {
        TestClock clock = new TestClock(T);
        // readings: 1 the acquire, 2 the renewal before V1, 3 V1's schema_version row
        clock.onReading(3, () -> db.update("update schema_lock set holder = 'thief' where name = 'migrate'"));
        SchemaMigrator migrator = new SchemaMigrator("node-a", clock, d -> fail("waited"));
        SQLException e = assertThrows(SQLException.class, () -> migrator.migrate(db.dataSource));
        assertTrue(e.getMessage(), e.getMessage().contains("Lost the migration lock"));
        assertEquals(1, db.count("select count(*) from schema_version"));
        assertEquals("thief", db.lockHolder());
    }

    @Test
    public void aNewerSchemaOfExpandMigrationsIsUsedDuringARollout() throws SQLException {
        assertEquals(KNOWN, new SchemaMigrator().migrate(db.dataSource));
        db.update("insert into schema_version (version, script, applied, oldest_code) values (?, ?, ?, 0)", KNOWN + 1,
                "V" + (KNOWN + 1) + "__future.sql", LocalDateTime.now(ZoneOffset.UTC));
        for (int oldest : new int[] {0, KNOWN}) {
            db.update("update schema_version set oldest_code = ? where version = ?", oldest, KNOWN + 1);
            assertEquals(0, new SchemaMigrator().migrate(db.dataSource));
        }
        assertEquals(KNOWN + 1, db.count("select max(version) from schema_version"));
        assertNull(db.lockHolder());
    }

    @Test
    public void aNewerSchemaWithAContractMigrationThisCodeDoesNotSurviveIsRefused() throws SQLException {
        assertEquals(KNOWN, new SchemaMigrator().migrate(db.dataSource));
        db.update("insert into schema_version (version, script, applied, oldest_code) values (?, ?, ?, 0)", KNOWN + 1,
                "V" + (KNOWN + 1) + "__future.sql", LocalDateTime.now(ZoneOffset.UTC));
        db.update("insert into schema_version (version, script, applied, oldest_code) values (?, ?, ?, ?)", KNOWN + 2,
                "V" + (KNOWN + 2) + "__contract.sql", LocalDateTime.now(ZoneOffset.UTC), KNOWN + 1);
        SQLException e = assertThrows(SchemaMigrator.IncompatibleSchemaException.class, () -> new SchemaMigrator().migrate(db.dataSource));
        assertEquals("The database schema is at version " + (KNOWN + 2) + ", newer than this node's " + KNOWN + ", and its migration "
                + (KNOWN + 2) + " works only with code of schema version " + (KNOWN + 1) + " or newer; refusing to start."
                + " Upgrade this node's DebMonitor.", e.getMessage());

        db.update("update schema_version set oldest_code = null where version = ?", KNOWN + 2);
        e = assertThrows(SchemaMigrator.IncompatibleSchemaException.class, () -> new SchemaMigrator().migrate(db.dataSource));
        assertTrue(e.getMessage(), e.getMessage().contains("its migration " + (KNOWN + 2) + " does not declare which older code works with it"));
        assertEquals(KNOWN + 2, db.count("select count(*) from schema_version"));
    }

    @Test
    public void aDatabaseFromBeforeTheLockAndOldestCodeGetsThem() throws SQLException {
        assertEquals(KNOWN, new SchemaMigrator().migrate(db.dataSource));
        db.update("drop table schema_lock");
        db.update("alter table schema_version drop column oldest_code");
        db.update("insert into schema_version (version, script, applied) values (?, ?, ?)", KNOWN + 1, "V" + (KNOWN + 1) + "__future.sql",
                LocalDateTime.now(ZoneOffset.UTC));
        SQLException e = assertThrows(SchemaMigrator.IncompatibleSchemaException.class, () -> new SchemaMigrator().migrate(db.dataSource));
        assertTrue(e.getMessage(), e.getMessage().contains("newer than this node's " + KNOWN));
        assertEquals("rows written before oldest_code count as incompatible", KNOWN + 1,
                db.count("select count(*) from schema_version where oldest_code is null"));
        assertEquals(1, db.count("select count(*) from schema_lock where holder is null"));
    }
}
