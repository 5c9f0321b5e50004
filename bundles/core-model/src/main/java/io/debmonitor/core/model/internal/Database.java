package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.sql.DataSource;

import org.hibernate.Session;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * The one place that opens transactions: on the JDBC connection ({@link #write}, {@link #query})
 * for ingest and paged reads, through JPA ({@link #writeEntities}, {@link #read}) for the
 * low-volume paths. It activates only once {@link SchemaGate} brought the schema up to date
 * ({@link SchemaReady}), so the services that reference it never see an old schema. It is
 * registered under its own class only to order activation inside this bundle; the package is not
 * exported.
 */
@Component(service = Database.class)
public class Database {

    /** Attempts per transaction when concurrent writers collide on shared rows (SPEC §2.1). */
    static final int ATTEMPTS = 3;
    /**
     * Attempts for background work (GC, CVE refresh): nobody waits on it, and giving up would
     * fail a whole run over a moment's contention with reports.
     */
    static final int BACKGROUND_ATTEMPTS = 10;

    private final Logger logger = LoggerFactory.getLogger(Database.class);
    private final EntityManagerFactory emf;
    private final boolean mariadb;
    private final SharedRowIds sharedRowIds = new SharedRowIds();
    /**
     * H2 checks a foreign key without locking the referenced row, so a transaction deleting a
     * shared row (a package version, a kernel) and one that starts referencing it can both
     * commit. On H2, embedded in this one JVM, such deletes therefore exclude every other write;
     * InnoDB locks the referenced row itself and needs none of this.
     */
    private final ReentrantReadWriteLock h2Writes = new ReentrantReadWriteLock();

    /** Work done on the transaction's JDBC connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Activate
    public Database(@Reference(target = "(osgi.unit.name=debmonitor)") EntityManagerFactory emf, @Reference SchemaReady schema) {
        this.emf = emf;
        this.mariadb = schema.mariadb();
    }

    /**
     * Outside OSGi (tests, the query bench): migrates the schema first, waiting for another node's
     * migration if need be. A factory, not a constructor: SCR logs an error for every other
     * constructor with as many parameters as the activation one.
     */
    public static Database migrated(EntityManagerFactory emf, DataSource dataSource) throws SQLException {
        return new Database(emf, SchemaReady.migrate(new SchemaMigrator(), dataSource));
    }

    /**
     * The feed rows of the active snapshot, shared by CVE readers, with the rules in force; replaced
     * when another snapshot or distributions.json import is active, or the settings changed.
     */
    private final java.util.concurrent.atomic.AtomicReference<CveServiceImpl.FeedCache> cveFeed = new java.util.concurrent.atomic.AtomicReference<>();
    /** This node's CVE settings (PID io.debmonitor.cve), set by the refresher's activation. */
    private final java.util.concurrent.atomic.AtomicReference<CveRules.Settings> cveSettings =
            new java.util.concurrent.atomic.AtomicReference<>(CveRules.Settings.DEFAULT);

    /**
     * @return the shared cache of the active snapshot's feed rows (empty for no snapshot) and the
     *         rules in force, as {@code c}'s transaction sees them: a reader in a transaction older
     *         than the shared cache gets a cache of its own and leaves the shared one alone
     */
    CveServiceImpl.FeedCache cveFeed(Connection c) throws SQLException {
        CveServiceImpl.Snapshot snapshot = CveServiceImpl.activeSnapshot(c);
        long distributions = CveRules.activeDistributions(c);
        CveRules.Settings settings = cveSettings.get();
        CveServiceImpl.FeedCache fresh = null;
        while (true) {
            CveServiceImpl.FeedCache current = cveFeed.get();
            if (current != null && snapshotId(current.snapshot()) == snapshotId(snapshot) && current.rules().distributions() == distributions
                    && current.rules().settings() == settings) {
                return current;
            }
            if (fresh == null) {
                fresh = new CveServiceImpl.FeedCache(snapshot, CveRules.load(c, settings, distributions));
            }
            if (current != null && !newer(fresh, current)) {
                return fresh;
            }
            if (cveFeed.compareAndSet(current, fresh)) {
                return fresh;
            }
        }
    }

    /**
     * Snapshots and distributions.json imports only become active in the order of their ids, so a
     * lower id was read by an older transaction; settings other than this node's current ones are
     * older too.
     */
    private boolean newer(CveServiceImpl.FeedCache fresh, CveServiceImpl.FeedCache current) {
        return fresh.rules().settings() == cveSettings.get() && snapshotId(fresh.snapshot()) >= snapshotId(current.snapshot())
                && fresh.rules().distributions() >= current.rules().distributions();
    }

    private static long snapshotId(CveServiceImpl.Snapshot snapshot) {
        return snapshot == null ? 0 : snapshot.id();
    }

    /** Sets this node's CVE settings: the next read judges with them. */
    void cveSettings(CveRules.Settings settings) {
        cveSettings.set(settings);
    }

    CveRules.Settings cveSettings() {
        return cveSettings.get();
    }

    /** The ids of shared rows that reports remember; whoever deletes shared rows forgets them. */
    SharedRowIds sharedRowIds() {
        return sharedRowIds;
    }

    /** @return true on MariaDB/MySQL, false on H2 */
    public boolean isMariaDb() {
        return mariadb;
    }

    /**
     * Runs {@code work} in one transaction on the JDBC connection, retrying the whole transaction
     * when it collides with a concurrent one (duplicate key on a shared row, deadlock, lock wait)
     * or the database node became unavailable (a Galera node leaving the primary component, a lost
     * connection: SCALEOUT.md §2.5); a report assigns state, so applying it again is safe.
     *
     * @throws StorageUnavailableException when the database is unreachable or collisions persist
     */
    public <T> T write(String what, SqlWork<T> work) {
        return write(what, onConnection(work), false, ATTEMPTS);
    }

    /** As {@link #write}, for background work: more attempts before giving up. */
    <T> T writeInBackground(String what, SqlWork<T> work) {
        return write(what, onConnection(work), false, BACKGROUND_ATTEMPTS);
    }

    /** As {@link #writeInBackground}, for a transaction that deletes shared rows other writes may reference. */
    <T> T writeDeletingSharedRows(String what, SqlWork<T> work) {
        return write(what, onConnection(work), true, BACKGROUND_ATTEMPTS);
    }

    /** As {@link #write}, for work done through JPA. */
    public <T> T writeEntities(String what, Function<EntityManager, T> work) {
        return write(what, work, false, ATTEMPTS);
    }

    private static <T> Function<EntityManager, T> onConnection(SqlWork<T> work) {
        return em -> em.unwrap(Session.class).doReturningWork(work::run);
    }

    private <T> T write(String what, Function<EntityManager, T> work, boolean deletesSharedRows, int attempts) {
        Lock lock = mariadb ? null : deletesSharedRows ? h2Writes.writeLock() : h2Writes.readLock();
        if (lock == null) {
            return attempt(what, work, attempts);
        }
        lock.lock();
        try {
            return attempt(what, work, attempts);
        } finally {
            lock.unlock();
        }
    }

    private <T> T attempt(String what, Function<EntityManager, T> work, int attempts) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return inTransaction(em -> {
                    // Shared rows are created with INSERT IGNORE and read back at once: the read
                    // must see rows a concurrent writer committed after this transaction began,
                    // which MariaDB's default REPEATABLE READ snapshot would hide.
                    em.unwrap(Session.class).doWork(c -> c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED));
                    return work.apply(em);
                });
            } catch (RuntimeException e) {
                SQLException sql = sqlCause(e);
                if (sql == null) {
                    throw e;
                }
                boolean unavailable = isUnavailable(sql);
                if (!unavailable && !isCollision(sql)) {
                    throw e;
                }
                logger.debug("{}: attempt {} {} ({})", what, attempt, unavailable ? "found the database unavailable"
                        : "collided with a concurrent writer", sql.getMessage());
                last = e;
                if (attempt < attempts) {
                    // A failover takes seconds (HAProxy's check, Galera's view change): wait longer for it than for a collision.
                    backOff(unavailable ? attempt * 10 : attempt);
                }
            }
        }
        if (isUnavailable(sqlCause(last))) {
            logger.warn("{}: the database stayed unavailable over {} attempts", what, attempts);
            throw new StorageUnavailableException("The database is unavailable.", last);
        }
        logger.warn("{}: gave up after {} attempts colliding with concurrent writers", what, attempts);
        throw new StorageUnavailableException("Concurrent updates kept conflicting; retry later.", last);
    }

    /** A short random pause, so colliding writers do not collide again in lockstep. */
    private static void backOff(int attempt) {
        java.util.concurrent.locks.LockSupport.parkNanos(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(5_000_000L, 50_000_000L) * attempt);
    }

    /** Runs a read-only query on a JDBC connection, in a transaction, without retries. */
    public <T> T query(SqlWork<T> work) {
        return read(onConnection(work));
    }

    /** Runs a read in a transaction through JPA, again when the database node was unavailable. */
    public <T> T read(Function<EntityManager, T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return inTransaction(work);
            } catch (RuntimeException e) {
                SQLException sql = sqlCause(e);
                if (sql == null || !isUnavailable(sql)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw new StorageUnavailableException("The database is unavailable.", e);
                }
                backOff(attempt * 10);
            }
        }
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            try {
                if (tx.isActive()) {
                    tx.rollback();
                }
            } catch (RuntimeException e) {
                // The connection is gone (a Galera node lost, HAProxy closed it): the rollback cannot
                // reach the database, which rolls back itself. The caller sees the original failure.
                logger.debug("Rollback failed: {}", e.getMessage());
            } finally {
                // Gives the connection back to the pool whatever happened: a pool that leaks one per
                // failover runs dry and every later request waits forever.
                em.close();
            }
        }
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** Duplicate key (23xxx), serialization failure or deadlock (40xxx), lock wait timeout (H2 HYT00, MariaDB 1205). */
    static boolean isCollision(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return (state != null && (state.startsWith("23") || state.startsWith("40"))) || "HYT00".equals(state) || code == 1213 || code == 1205;
    }

    /** Connection failures (08xxx) and the Galera node errors 1047 (not in the primary component) and 1180 (commit failed). */
    static boolean isUnavailable(SQLException e) {
        if (e == null) {
            return false;
        }
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return (state != null && state.startsWith("08")) || code == 1047 || code == 1180;
    }
}
