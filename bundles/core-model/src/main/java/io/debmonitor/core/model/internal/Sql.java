package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Set-based JDBC helpers: chunked IN lookups and multi-row inserts. */
final class Sql {

    /** Parameters per IN list and rows per multi-row insert; well inside both databases' limits. */
    static final int CHUNK = 1000;

    private Sql() {
    }

    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sql} once per chunk of {@code values}; the query must contain one {@code (?)}
     * placeholder list marker {@code IN_LIST} and may take {@code leading} parameters before it.
     */
    static void selectIn(Connection c, String sql, List<?> leading, Collection<?> values, RowReader reader)
            throws SQLException {
        List<?> all = new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<?> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement(sql.replace("IN_LIST", placeholders(chunk.size())))) {
                int i = 1;
                for (Object value : leading) {
                    ps.setObject(i++, value);
                }
                for (Object value : chunk) {
                    ps.setObject(i++, value);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        }
    }

    /** Same chunking for statements that change rows; returns the total update count. */
    static int updateIn(Connection c, String sql, List<?> leading, Collection<?> values) throws SQLException {
        List<?> all = new ArrayList<>(values);
        int count = 0;
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<?> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement(sql.replace("IN_LIST", placeholders(chunk.size())))) {
                int i = 1;
                for (Object value : leading) {
                    ps.setObject(i++, value);
                }
                for (Object value : chunk) {
                    ps.setObject(i++, value);
                }
                count += ps.executeUpdate();
            }
        }
        return count;
    }

    /** Inserts {@code rows} (each an array of column values) with as few multi-row statements as possible. */
    static void insertRows(Connection c, String table, String columns, int width, List<Object[]> rows)
            throws SQLException {
        insertRows(c, "insert into ", table, columns, width, rows);
    }

    /**
     * Inserts shared rows that a concurrent report may be inserting too: a row whose unique key
     * exists (or appears when the other transaction commits) is skipped instead of failing, so
     * concurrent first reports wait for each other rather than abort. Callers re-read the rows
     * and use {@link #missing(String)} when one is still absent.
     */
    static void insertSharedRows(Connection c, String table, String columns, int width, List<Object[]> rows)
            throws SQLException {
        insertRows(c, "insert ignore into ", table, columns, width, rows);
    }

    /** A retryable failure: a shared row vanished between insert and read (a concurrent delete). */
    static SQLException missing(String what) {
        return new SQLException("Concurrently deleted or not created: " + what, "40001");
    }

    private static void insertRows(Connection c, String insert, String table, String columns, int width, List<Object[]> rows)
            throws SQLException {
        String row = "(" + placeholders(width) + ")";
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            StringBuilder sql = new StringBuilder(insert).append(table).append(" (").append(columns).append(") values ");
            for (int r = 0; r < chunk.size(); r++) {
                sql.append(r == 0 ? "" : ",").append(row);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Object[] values : chunk) {
                    for (Object value : values) {
                        ps.setObject(i++, value);
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    private static String placeholders(int n) {
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ",?");
        }
        return sb.toString();
    }
}
