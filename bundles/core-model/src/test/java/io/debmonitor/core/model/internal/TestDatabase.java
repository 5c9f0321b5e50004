package io.debmonitor.core.model.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A fresh, migrated database for one test: H2 in memory, or a new database and user on the
 * MariaDB server at 127.0.0.1:3306 (created as root, dropped on close). Counts the statements
 * the code under test prepares, so tests can assert that ingest is set-based.
 */
final class TestDatabase implements AutoCloseable {

    /** The databases every repository test runs on. */
    static final List<Object[]> KINDS = List.of(new Object[] {"h2"}, new Object[] {"mariadb"});

    static final String MARIADB_ROOT_URL = System.getProperty("test.mariadb.rootUrl", "jdbc:mariadb://127.0.0.1:3306/");

    final String kind;
    final DataSource dataSource;
    final EntityManagerFactory emf;
    final Database database;
    final AtomicInteger statements = new AtomicInteger();
    /** Connections taken from the data source and not closed yet. */
    final AtomicInteger openConnections = new AtomicInteger();
    /** When set, every rollback fails as on a connection the database node dropped. */
    volatile boolean rollbackFails;
    private final String schema;

    TestDatabase(String kind) throws SQLException {
        this.kind = kind;
        this.schema = "debmonitor_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DataSource raw;
        if (kind.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + schema + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1");
            h2.setUser("sa");
            raw = h2;
        } else {
            try (Connection root = DriverManager.getConnection(MARIADB_ROOT_URL, "root", "");
                 Statement st = root.createStatement()) {
                st.execute("create database " + schema + " character set utf8mb4 collate utf8mb4_bin");
                st.execute("create user if not exists 'debmonitor_test'@'127.0.0.1' identified by 'debmonitor_test'");
                st.execute("grant all on `debmonitor\\_t%`.* to 'debmonitor_test'@'127.0.0.1'");
            }
            MariaDbDataSource mariadb = new MariaDbDataSource(MARIADB_ROOT_URL + schema);
            mariadb.setUser("debmonitor_test");
            mariadb.setPassword("debmonitor_test");
            raw = mariadb;
        }
        this.dataSource = counting(raw);
        this.emf = new HibernatePersistenceProvider().createEntityManagerFactory("debmonitor",
                Map.of("javax.persistence.nonJtaDataSource", dataSource));
        this.database = Database.migrated(emf, dataSource);
    }

    /** Wraps connections so that every prepareStatement/createStatement call and every open connection is counted. */
    private DataSource counting(DataSource raw) {
        InvocationHandler onDataSource = (proxy, method, args) -> {
            Object result = method.invoke(raw, args);
            if (result instanceof Connection connection) {
                openConnections.incrementAndGet();
                boolean[] closed = {false};
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        (p, m, a) -> {
                            if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")) {
                                statements.incrementAndGet();
                            }
                            if (m.getName().equals("close") && !closed[0]) {
                                closed[0] = true;
                                openConnections.decrementAndGet();
                            }
                            if (m.getName().equals("rollback") && rollbackFails) {
                                throw new SQLException("Connection reset", "08006");
                            }
                            try {
                                return m.invoke(connection, a);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
            return result;
        };
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, onDataSource);
    }

    /** Every row of every table, in a stable order: compare two dumps to prove nothing changed. */
    List<String> dump() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("os", "source_package", "source_package_version", "package", "package_version",
                    "kernel", "host", "host_package", "image", "image_package", "kubernetes_image")) {
                try (ResultSet rs = st.executeQuery("select * from " + table + " order by 1, 2")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= columns; i++) {
                            row.append('|').append(rs.getString(i));
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        emf.close();
        if (kind.equals("mariadb")) {
            try (Connection root = DriverManager.getConnection(MARIADB_ROOT_URL, "root", "");
                 Statement st = root.createStatement()) {
                st.execute("drop database " + schema);
            }
        }
    }
}
