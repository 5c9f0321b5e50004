package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.DebianVersion;

/**
 * Creates and upgrades the schema with the versioned SQL scripts in {@code db/migration}. Each
 * script runs once, in version order, and is recorded in {@code schema_version} (which has a
 * primary key, as Galera requires). A script may use {@code ${table_options}}, which becomes the
 * InnoDB/utf8mb4_bin clause on MariaDB and nothing on H2. What SQL cannot compute is done by a
 * Java step that runs after its script, as part of the same version.
 *
 * <p>One node migrates at a time: it holds the {@code schema_lock} row {@code 'migrate'}, taken with
 * a conditional UPDATE (certified cluster-wide on Galera, where {@code GET_LOCK} is node-local) and
 * renewed between steps; the other nodes wait for it, then find the schema up to date.
 *
 * <p>Nodes of two versions share the database during a rolling upgrade, so a migration is an
 * <em>expand</em> one unless listed in {@link #CONTRACT}: it may add tables, nullable or defaulted
 * columns and indexes, which older code ignores. A <em>contract</em> migration (dropping or
 * renaming what older code uses) ships one release after the code stopped using it, with the
 * oldest code schema version that still works once it is applied; {@code schema_version.oldest_code}
 * records that per version, and a node finding a newer database starts only if every newer version
 * accepts its code.
 */
final class SchemaMigrator {

    /** Every migration, oldest first. A new one is a new file here and a new line in this list. */
    static final List<String> MIGRATIONS = List.of("V1__schema.sql", "V2__read_paths.sql", "V3__version_sort_key.sql", "V4__ui_session.sql",
            "V5__gc_lease.sql", "V6__audit.sql", "V7__image_digest.sql", "V8__history.sql", "V9__cve_feed.sql",
            "V10__cve_findings.sql",
            "V11__cve_lists.sql",
            "V12__cve_exceptions.sql",
            "V13__cve_fetch.sql",
            "V14__cve_coverage_detail.sql",
            "V15__gc_slots.sql");

    /** Adds {@code sort_key}; its Java step fills it for the versions stored before. */
    static final String SORT_KEY_SCRIPT = "V3__version_sort_key.sql";

    /** Rows per transaction of the backfill. */
    static final int BACKFILL_BATCH = 1000;

    /**
     * The contract migrations, by version, with the oldest code schema version that works once they
     * are applied. Every other migration is an expand one, recorded with 0: any code works with it.
     */
    static final Map<Integer, Integer> CONTRACT = Map.of();

    /** How long the migration lock holds without renewal: above the longest step. */
    static final Duration LOCK_TTL = Duration.ofMinutes(10);
    /** How often a waiting node looks at the lock again. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** How often a waiting node says so in the log. */
    static final Duration WAIT_LOG = Duration.ofSeconds(30);

    private static final String LOCK = "migrate";
    private static final String MARIADB_TABLE_OPTIONS = " engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin";

    /** Waits between two looks at the lock; interrupted, the migration gives up. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** The database schema is newer than this code and declares that it does not work with it. */
    static final class IncompatibleSchemaException extends SQLException {
        private static final long serialVersionUID = 1L;

        IncompatibleSchemaException(String message) {
            super(message);
        }
    }

    private final Logger logger = LoggerFactory.getLogger(SchemaMigrator.class);
    private final String holder;
    private final Clock clock;
    private final Pause pause;

    SchemaMigrator() {
        this(duration -> Thread.sleep(duration.toMillis()));
    }

    SchemaMigrator(Pause pause) {
        this(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID(), Clock.systemUTC(), pause);
    }

    /** @param holder who this node is in {@code schema_lock}, unique per migrator */
    SchemaMigrator(String holder, Clock clock, Pause pause) {
        this.holder = holder;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Brings the database up to the newest version.
     *
     * @return the number of migrations applied now
     */
    int migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, MIGRATIONS.size());
    }

    /**
     * Brings the database up to version {@code target} (tests start from an older schema with it),
     * holding the migration lock; waits while another node holds it.
     *
     * @throws IncompatibleSchemaException when the database is newer than this code and does not work with it
     */
    int migrate(DataSource dataSource, int target) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            boolean mariadb = isMariaDb(connection);
            String tableOptions = mariadb ? MARIADB_TABLE_OPTIONS : "";
            prepare(connection, tableOptions);
            Instant logged = null;
            while (true) {
                int current = currentVersion(connection);
                if (current >= target) {
                    logger.info("Database schema is at version {}", current);
                    return 0;
                }
                if (acquire(connection)) {
                    try {
                        return migrate(connection, currentVersion(connection), target, tableOptions);
                    } finally {
                        release(connection);
                    }
                }
                logged = await(connection, target, logged);
            }
        }
    }

    /** Creates the lock and history tables and the lock row, as far as they are missing; safe on several nodes at once. */
    private static void prepare(Connection connection, String tableOptions) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists schema_lock (name varchar(64) not null primary key, "
                    + "holder varchar(255), expires datetime(3))" + tableOptions);
            statement.execute("create table if not exists schema_version (version int primary key, "
                    + "script varchar(255) not null, applied datetime(3) not null, oldest_code int)" + tableOptions);
            // Only for a database from before oldest_code: DDL would wait for a migration in progress (on H2, deadlock with it).
            if (!hasOldestCode(connection)) {
                statement.execute("alter table schema_version add column if not exists oldest_code int");
            }
        }
        if (Rows.count(connection, "select count(*) from schema_lock where name = ?", LOCK) == 0) {
            try {
                Rows.update(connection, "insert into schema_lock (name) values (?)", LOCK);
            } catch (SQLException e) {
                // Another node inserted it at the same time: duplicate key (on Galera, 1213 at certification).
                if (!Database.isCollision(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean hasOldestCode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select * from schema_version where version = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if (rs.getMetaData().getColumnName(i).equalsIgnoreCase("oldest_code")) {
                    return true;
                }
            }
            return false;
        }
    }

    private int migrate(Connection connection, int current, int target, String tableOptions) throws SQLException {
        int applied = 0;
        for (int i = current; i < target; i++) {
            String script = MIGRATIONS.get(i);
            renew(connection);
            logger.info("Applying schema migration {} on {}", script, tableOptions.isEmpty() ? "H2" : "MariaDB");
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : statements(read(script).replace("${table_options}", tableOptions))) {
                        statement.execute(sql);
                    }
                }
                if (script.equals(SORT_KEY_SCRIPT)) {
                    backfillSortKeys(connection);
                }
                Rows.update(connection, "insert into schema_version (version, script, applied, oldest_code) values (?, ?, ?, ?)",
                        i + 1, script, now(), CONTRACT.getOrDefault(i + 1, 0));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw new SQLException("Schema migration " + script + " failed: " + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            applied++;
        }
        logger.info("Database schema is at version {} ({} migrations applied now)", Math.max(current, target), applied);
        return applied;
    }

    /** Takes the lock when it is free, expired, or this migrator's own (left behind by a release that failed). */
    private boolean acquire(Connection connection) throws SQLException {
        LocalDateTime now = now();
        try {
            return Rows.update(connection, "update schema_lock set holder = ?, expires = ? where name = ?"
                    + " and (holder is null or holder = ? or expires < ?)", holder, now.plus(LOCK_TTL), LOCK, holder, now) == 1;
        } catch (SQLException e) {
            // Another node took it at the same moment (Galera certification, a lock wait).
            if (Database.isCollision(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Renews the lock; a migration that lost it (a step ran longer than the TTL) stops. */
    private void renew(Connection connection) throws SQLException {
        if (Rows.update(connection, "update schema_lock set expires = ? where name = ? and holder = ?", now().plus(LOCK_TTL), LOCK, holder) != 1) {
            throw new SQLException("Lost the migration lock (a step ran longer than " + LOCK_TTL.toMinutes() + " minutes); stopping");
        }
    }

    private void release(Connection connection) {
        try {
            Rows.update(connection, "update schema_lock set holder = null, expires = null where name = ? and holder = ?", LOCK, holder);
        } catch (SQLException e) {
            logger.warn("Could not release the migration lock, which expires by itself within {} minutes: {}", LOCK_TTL.toMinutes(),
                    e.getMessage());
        }
    }

    /** Waits one poll for the node holding the lock, saying so every {@link #WAIT_LOG}; @return when it last said so */
    private Instant await(Connection connection, int target, Instant logged) throws SQLException {
        String other;
        try (PreparedStatement select = connection.prepareStatement("select holder from schema_lock where name = ?")) {
            select.setString(1, LOCK);
            try (ResultSet rs = select.executeQuery()) {
                other = rs.next() ? rs.getString(1) : null;
            }
        }
        Instant now = clock.instant();
        if (other != null && (logged == null || !now.isBefore(logged.plus(WAIT_LOG)))) {
            logger.info("Waiting for {} to migrate the schema to version {}", other, target);
            logged = now;
        }
        try {
            pause.pause(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for " + other + " to migrate the schema", e);
        }
        return logged;
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Sets {@code sort_key} where it is null, committing every {@value #BACKFILL_BATCH} rows: the
     * transactions stay small, and a restart after a failure (V3's statements are idempotent, as
     * MariaDB commits DDL at once) resumes with the rows still null.
     */
    private void backfillSortKeys(Connection connection) throws SQLException {
        for (String table : List.of("package_version", "source_package_version")) {
            long filled = 0;
            long lastId = 0;
            int batch;
            do {
                Map<Long, String> versions = new LinkedHashMap<>();
                try (PreparedStatement select = connection.prepareStatement("select id, version from " + table
                        + " where id > ? and sort_key is null order by id limit " + BACKFILL_BATCH)) {
                    select.setLong(1, lastId);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            versions.put(rs.getLong(1), rs.getString(2));
                            lastId = rs.getLong(1);
                        }
                    }
                }
                batch = versions.size();
                if (batch > 0) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "update " + table + " set sort_key = ? where id = ?")) {
                        for (Map.Entry<Long, String> version : versions.entrySet()) {
                            update.setString(1, DebianVersion.sortKey(version.getValue()));
                            update.setLong(2, version.getKey());
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                    renew(connection);
                    connection.commit();
                    filled += batch;
                }
            } while (batch == BACKFILL_BATCH);
            logger.info("Filled sort_key of {} rows of {}", filled, table);
        }
    }

    static boolean isMariaDb(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        return product.contains("mariadb") || product.contains("mysql");
    }

    /** @return the schema version of the database, after checking that this code works with it when it is newer */
    private int currentVersion(Connection connection) throws SQLException {
        int version;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select coalesce(max(version), 0) from schema_version")) {
            rs.next();
            version = rs.getInt(1);
        }
        int known = MIGRATIONS.size();
        if (version > known) {
            try (PreparedStatement select = connection.prepareStatement("select version, oldest_code from schema_version"
                    + " where version > ? and (oldest_code is null or oldest_code > ?) order by version")) {
                select.setInt(1, known);
                select.setInt(2, known);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        int incompatible = rs.getInt(1);
                        Integer oldest = rs.getObject(2, Integer.class);
                        throw new IncompatibleSchemaException("The database schema is at version " + version + ", newer than this node's "
                                + known + ", and its migration " + incompatible + (oldest == null ? " does not declare which older code works with it"
                                        : " works only with code of schema version " + oldest + " or newer")
                                + "; refusing to start. Upgrade this node's DebMonitor.");
                    }
                }
            }
            logger.warn("Database schema {} is newer than this node's {}; running in compatibility mode during a rollout", version, known);
        }
        return version;
    }

    private static String read(String script) throws SQLException {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new SQLException("Migration script " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("Cannot read migration script " + script, e);
        }
    }

    /** Splits a script into statements: comment lines dropped, statements end with ';' at a line end. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().trim();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }
}
