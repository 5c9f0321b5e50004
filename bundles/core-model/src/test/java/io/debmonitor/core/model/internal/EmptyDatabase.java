package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/** A database without any table, unlike {@link TestDatabase}: H2 in memory, or a new database on MariaDB (dropped on close). */
final class EmptyDatabase implements AutoCloseable {

    final String kind;
    final DataSource dataSource;
    private final String schema = "debmonitor_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    EmptyDatabase(String kind) throws SQLException {
        this.kind = kind;
        if (kind.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + schema + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            dataSource = h2;
        } else {
            try (Connection root = DriverManager.getConnection(TestDatabase.MARIADB_ROOT_URL, "root", "");
                 Statement st = root.createStatement()) {
                st.execute("create database " + schema + " character set utf8mb4 collate utf8mb4_bin");
            }
            MariaDbDataSource mariadb = new MariaDbDataSource(TestDatabase.MARIADB_ROOT_URL + schema);
            mariadb.setUser("root");
            mariadb.setPassword("");
            dataSource = mariadb;
        }
    }

    /** Runs {@code sql} with {@code parameters} in autocommit; @return the rows it changed */
    int update(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Rows.update(c, sql, parameters);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return the holder of the migration lock, null when free */
    String lockHolder() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select holder from schema_lock where name = 'migrate'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (kind.equals("h2")) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("shutdown");
            }
        } else {
            try (Connection root = DriverManager.getConnection(TestDatabase.MARIADB_ROOT_URL, "root", "");
                 Statement st = root.createStatement()) {
                st.execute("drop database " + schema);
            }
        }
    }
}
