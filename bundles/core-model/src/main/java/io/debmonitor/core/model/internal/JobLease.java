package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code job_lease} row that one node at a time holds while it runs a job (a CVE import, the CVE
 * refresher): taken when free or expired, renewed inside each batch's transaction, released at
 * the end; a node that dies leaves it to expire. Expiry uses each node's clock (NTP).
 */
final class JobLease {

    private final Logger logger = LoggerFactory.getLogger(JobLease.class);
    private final Database database;
    private final String name;
    private final Duration length;
    private final Clock clock;

    JobLease(Database database, String name, Duration length, Clock clock) {
        this.database = database;
        this.name = name;
        this.length = length;
        this.clock = clock;
    }

    /** @return true when {@code holder} now holds the lease */
    boolean acquire(String holder) {
        LocalDateTime now = now();
        return database.writeInBackground(name + " lease", c -> Rows.update(c, "update job_lease set holder = ?, expires = ? where name = ?"
                + " and (expires is null or expires < ?)", holder, now.plus(length), name, now) == 1);
    }

    /**
     * For a scheduled run: every node fires for the same slot, and the slot runs once.
     *
     * @return true when {@code holder} now holds the lease and no run for this slot (or a later one) started
     */
    boolean acquire(String holder, java.time.Instant slot) {
        LocalDateTime now = now();
        LocalDateTime at = LocalDateTime.ofInstant(slot, java.time.ZoneOffset.UTC);
        return database.writeInBackground(name + " lease", c -> Rows.update(c, "update job_lease set holder = ?, expires = ?, last_slot = ?"
                + " where name = ? and (expires is null or expires < ?) and (last_slot is null or last_slot < ?)", holder, now.plus(length),
                at, name, now, at) == 1);
    }

    /** Renews the lease outside a batch (a job between batches, or waiting on the network). */
    void renew(String holder) {
        database.writeInBackground(name + " lease", c -> {
            renew(c, holder);
            return null;
        });
    }

    /** Renews the lease in a batch's transaction; a job that lost it stops before writing more. */
    void renew(Connection c, String holder) throws SQLException {
        if (Rows.update(c, "update job_lease set expires = ? where name = ? and holder = ?", now().plus(length), name, holder) != 1) {
            throw new IllegalStateException("The " + name + " job lost its lease (it ran longer than " + length.toMinutes()
                    + " minutes between two batches); stopping it.");
        }
    }

    void release(String holder) {
        try {
            database.writeInBackground(name + " lease", c -> Rows.update(c, "update job_lease set holder = null, expires = null"
                    + " where name = ? and holder = ?", name, holder));
        } catch (RuntimeException e) {
            logger.warn("Could not release the {} lease, which expires by itself within {} minutes: {}", name, length.toMinutes(), e.getMessage());
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }
}
