package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;

/** Case-insensitive substring search; lower() on both sides, so MariaDB's binary collation does not matter. */
@Component(service = SearchService.class)
public class SearchServiceImpl implements SearchService {

    /** Per scope: FROM/WHERE over the matched column, the label, the link target and the order. */
    private record Scope(String from, String label, String target, String order) {
    }

    private static final Map<String, Scope> SCOPE_SQL = new LinkedHashMap<>();

    static {
        SCOPE_SQL.put("hosts", new Scope("from host x where lower(x.name) like ?", "x.name", "x.name", "x.name"));
        SCOPE_SQL.put("images", new Scope("from image x where lower(x.name) like ?", "x.name", "x.name", "x.name"));
        SCOPE_SQL.put("packages", new Scope("from package x where lower(x.name) like ?", "x.name", "x.name", "x.name"));
        SCOPE_SQL.put("source-packages", new Scope("from source_package x where lower(x.name) like ?", "x.name", "x.name", "x.name"));
        SCOPE_SQL.put("kernels", new Scope("from kernel x where lower(x.name) like ?", "x.name",
                "concat(cast(x.os_id as char), '_', x.slug)", "x.name, x.os_id"));
        SCOPE_SQL.put("package-versions", new Scope("from package_version x join package p on p.id = x.package_id"
                + " join os o on o.id = x.os_id where lower(x.version) like ?",
                "concat(p.name, ' (', x.version, ' - ', o.name, ')')", "p.name", "p.name, x.version, o.name"));
        SCOPE_SQL.put("source-package-versions", new Scope("from source_package_version x join source_package p on p.id = x.source_package_id"
                + " join os o on o.id = x.os_id where lower(x.version) like ?",
                "concat(p.name, ' (', x.version, ' - ', o.name, ')')", "p.name", "p.name, x.version, o.name"));
    }

    private final Database database;

    @Activate
    public SearchServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public SearchResultDTO search(String query, String scope, int maxResults) {
        if (scope != null && !SCOPE_SQL.containsKey(scope)) {
            throw new IllegalArgumentException("Unknown search scope '" + scope + "'");
        }
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1");
        }
        String pattern = Rows.contains(query);
        return database.query(c -> {
            Map<String, SearchResultDTO.Scope> scopes = new LinkedHashMap<>();
            for (Map.Entry<String, Scope> entry : SCOPE_SQL.entrySet()) {
                if (scope == null || scope.equals(entry.getKey())) {
                    scopes.put(entry.getKey(), search(c, entry.getValue(), pattern, maxResults));
                }
            }
            return new SearchResultDTO(query, scopes);
        });
    }

    private static SearchResultDTO.Scope search(Connection c, Scope scope, String pattern, int max) throws SQLException {
        long total;
        try (PreparedStatement ps = c.prepareStatement("select count(*) " + scope.from())) {
            ps.setString(1, pattern);
            total = Rows.count(ps);
        }
        List<SearchResultDTO.Item> items = List.of();
        if (total > 0) {
            try (PreparedStatement ps = c.prepareStatement("select " + scope.label() + ", " + scope.target() + " " + scope.from()
                    + " order by " + scope.order() + " limit ?")) {
                ps.setString(1, pattern);
                ps.setInt(2, max);
                items = Rows.list(ps, rs -> new SearchResultDTO.Item(rs.getString(1), rs.getString(2)));
            }
        }
        return new SearchResultDTO.Scope(total, items);
    }
}
