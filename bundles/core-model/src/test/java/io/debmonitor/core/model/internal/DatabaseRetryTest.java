package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * SCALEOUT.md §2.5 on both databases: a transaction that found the database node unavailable (a
 * Galera node out of the primary component, a commit that failed with it, a lost connection) is run
 * again as a whole, then answered as unavailable (503); other errors are not retried.
 */
@RunWith(Parameterized.class)
public class DatabaseRetryTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;

    public DatabaseRetryTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    private static SQLException galera(int code, String state) {
        return new SQLException("WSREP has not yet prepared node for application use", state, code);
    }

    @Test
    public void aWriteThatFoundTheNodeUnavailableIsRunAgain() {
        for (SQLException failure : List.of(galera(1047, "08S01"), galera(1180, "HY000"), new SQLException("Connection reset", "08006", 0))) {
            AtomicInteger runs = new AtomicInteger();
            String result = db.database.write("retry test", c -> {
                if (runs.incrementAndGet() == 1) {
                    throw failure;
                }
                return "committed";
            });
            assertEquals(failure.getMessage(), "committed", result);
            assertEquals(2, runs.get());
        }
    }

    /** A lost connection fails the rollback too; the connection must still go back, or the pool runs dry. */
    @Test
    public void aFailedRollbackStillGivesTheConnectionBack() {
        int before = db.openConnections.get();
        db.rollbackFails = true;
        AtomicInteger runs = new AtomicInteger();
        assertEquals("committed", db.database.write("retry test", c -> {
            if (runs.incrementAndGet() == 1) {
                throw galera(1047, "08S01");
            }
            return "committed";
        }));
        assertThrows(StorageUnavailableException.class, () -> db.database.write("retry test", c -> {
            throw galera(1047, "08S01");
        }));
        assertEquals("connections not given back", before, db.openConnections.get());
    }

    @Test
    public void aNodeThatStaysUnavailableIsAnsweredAsUnavailable() {
        AtomicInteger runs = new AtomicInteger();
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> db.database.write("retry test", c -> {
            runs.incrementAndGet();
            throw galera(1047, "08S01");
        }));
        assertEquals(Database.ATTEMPTS, runs.get());
        assertEquals("The database is unavailable.", e.getMessage());
    }

    @Test
    public void readsAreRunAgainToo() {
        AtomicInteger runs = new AtomicInteger();
        assertEquals(Integer.valueOf(1), db.database.query(c -> {
            if (runs.incrementAndGet() == 1) {
                throw galera(1047, "08S01");
            }
            return 1;
        }));
        assertEquals(2, runs.get());
    }

    @Test
    public void otherErrorsAreNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        RuntimeException e = assertThrows(RuntimeException.class, () -> db.database.write("retry test", c -> {
            runs.incrementAndGet();
            throw new SQLException("You have an error in your SQL syntax", "42000", 1064);
        }));
        assertEquals(1, runs.get());
        assertEquals("42000", Database.sqlCause(e).getSQLState());
    }
}
