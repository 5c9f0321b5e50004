package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final String MARIADB_TABLE_OPTIONS = " engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin";

    private final Logger logger = LoggerFactory.getLogger(SchemaMigrator.class);

    /**
     * Brings the database up to the newest version.
     *
     * @return the number of migrations applied now
     */
    int migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, MIGRATIONS.size());
    }

    /** Brings the database up to version {@code target} (tests start from an older schema with it). */
    int migrate(DataSource dataSource, int target) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean mariadb = isMariaDb(connection);
            String tableOptions = mariadb ? MARIADB_TABLE_OPTIONS : "";
            try (Statement statement = connection.createStatement()) {
                statement.execute("create table if not exists schema_version (version int primary key, "
                        + "script varchar(255) not null, applied datetime(3) not null)" + tableOptions);
            }
            int current = currentVersion(connection);
            int applied = 0;
            for (int i = current; i < target; i++) {
                String script = MIGRATIONS.get(i);
                logger.info("Applying schema migration {} on {}", script, mariadb ? "MariaDB" : "H2");
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
                    try (PreparedStatement insert = connection.prepareStatement(
                            "insert into schema_version (version, script, applied) values (?, ?, ?)")) {
                        insert.setInt(1, i + 1);
                        insert.setString(2, script);
                        insert.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
                        insert.executeUpdate();
                    }
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

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select coalesce(max(version), 0) from schema_version")) {
            rs.next();
            int version = rs.getInt(1);
            if (version > MIGRATIONS.size()) {
                throw new SQLException("The database schema is at version " + version
                        + ", newer than this DebMonitor knows (" + MIGRATIONS.size() + "); refusing to start.");
            }
            return version;
        }
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
