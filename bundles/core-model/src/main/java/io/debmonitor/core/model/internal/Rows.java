package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** Small JDBC helpers for the read services. */
final class Rows {

    private Rows() {
    }

    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
        }
        return out;
    }

    static long count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return the count {@code sql} selects */
    static long count(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(parameters));
            return count(ps);
        }
    }

    /** @return the rows {@code sql} changed */
    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(parameters));
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
    }

    static Instant utc(ResultSet rs, int column) throws SQLException {
        LocalDateTime time = rs.getObject(column, LocalDateTime.class);
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    /** A LIKE pattern matching {@code text} anywhere, with LIKE's wildcards escaped (escape character '\'). */
    static String contains(String text) {
        return "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%";
    }

    /** A LIKE pattern matching names that start with {@code prefix} (case as given). */
    static String startsWith(String prefix) {
        return escapeLike(prefix) + "%";
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** @return the id the query finds, or null; {@code sql} selects one id column */
    static Long id(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(parameters));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /**
     * One page: {@code count} gives the total and {@code select} (without limit) the ordered
     * items, both taking {@code parameters}; the items are not read when the page lies past the end.
     * A keyset read ({@link PageRequest#isKeyset()}) is not counted: its total is its size, and the
     * caller's {@code select} holds the keyset condition and order.
     */
    static <T> PageDTO<T> page(Connection c, String count, String select, List<?> parameters, PageRequest request,
            Mapper<T> mapper) throws SQLException {
        if (request.isKeyset()) {
            // A chunk of a walk over the whole table: nobody reads its total, so the table is not counted.
            List<Object> limited = new ArrayList<>(parameters);
            limited.add(request.size());
            try (PreparedStatement ps = c.prepareStatement(select + " limit ?")) {
                bind(ps, limited);
                List<T> items = list(ps, mapper);
                return new PageDTO<>(1, request.size(), items.size(), items);
            }
        }
        long total;
        try (PreparedStatement ps = c.prepareStatement(count)) {
            bind(ps, parameters);
            total = count(ps);
        }
        if (request.offset() >= total) {
            return empty(request, total);
        }
        List<Object> paged = new ArrayList<>(parameters);
        paged.add(request.size());
        paged.add(request.offset());
        try (PreparedStatement ps = c.prepareStatement(select + " limit ? offset ?")) {
            bind(ps, paged);
            return new PageDTO<>(request.page(), request.size(), total, list(ps, mapper));
        }
    }

    static <T> PageDTO<T> empty(PageRequest request, long total) {
        return new PageDTO<>(request.page(), request.size(), total, List.of());
    }

    /**
     * {@code " order by "} the sort key's expressions, each in the request's direction, then the
     * tie-breakers ascending.
     */
    static String orderBy(boolean descending, List<String> key, String... tieBreakers) {
        List<String> parts = new ArrayList<>();
        for (String expression : key) {
            parts.add(descending ? expression + " desc" : expression);
        }
        parts.addAll(Arrays.asList(tieBreakers));
        return " order by " + String.join(", ", parts);
    }

    /**
     * Sort expressions for a nullable value: nulls first ascending and last descending, the same
     * on H2 and MariaDB.
     */
    static List<String> nullsLow(String test, String... values) {
        List<String> key = new ArrayList<>();
        key.add("case when " + test + " is null then 0 else 1 end");
        key.addAll(Arrays.asList(values));
        return key;
    }

    /** A WHERE clause made of optional conditions, with their parameters in order. */
    static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> parameters = new ArrayList<>();

        Where and(String condition, Object... values) {
            conditions.add(condition);
            parameters.addAll(Arrays.asList(values));
            return this;
        }

        List<Object> parameters() {
            return parameters;
        }

        /** @return {@code " where a and b"}, or the empty string without conditions */
        String sql() {
            return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        }
    }
}
