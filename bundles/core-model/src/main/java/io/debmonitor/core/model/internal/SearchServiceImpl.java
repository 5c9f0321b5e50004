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

    /**
     * Per scope: the count statement, whose one parameter is the LIKE pattern, and the page
     * statement (label, link target), whose parameters are the pattern and the maximum, once or twice.
     */
    private record Scope(String count, String page) {
    }

    private static final Map<String, Scope> SCOPE_SQL = new LinkedHashMap<>();

    static {
        SCOPE_SQL.put("hosts", byName("host"));
        SCOPE_SQL.put("images", byName("image"));
        SCOPE_SQL.put("packages", byName("package"));
        SCOPE_SQL.put("source-packages", byName("source_package"));
        SCOPE_SQL.put("kernels", new Scope("select count(*) from kernel x where lower(x.name) like ?",
                "select x.name, concat(cast(x.os_id as char), '_', x.slug) from kernel x where lower(x.name) like ?"
                        + " order by x.name, x.os_id limit ?"));
        SCOPE_SQL.put("package-versions", byVersion("package_version", "package", "package_id"));
        SCOPE_SQL.put("source-package-versions", byVersion("source_package_version", "source_package", "source_package_id"));
    }

    /** Matched on the name; the page is read off the name index in order. */
    private static Scope byName(String table) {
        return new Scope("select count(*) from " + table + " x where lower(x.name) like ?",
                "select x.name, x.name from " + table + " x where lower(x.name) like ? order by x.name limit ?");
    }

    /**
     * Matched on the version, labelled {@code <name> (<version> - <os>)}, linked to the (source)
     * package, ordered by its name, the version and the OS. The count scans the version table
     * alone (joined, the optimizer drove it from os and package and read every version by key).
     * The first N rows belong to the first N owners, by name, that have a match: the page finds
     * those owners (a semi-join over one scan of the versions), then sorts only their versions.
     */
    private static Scope byVersion(String table, String owner, String ownerId) {
        return new Scope("select count(*) from " + table + " x where lower(x.version) like ?",
                "select concat(p.name, ' (', x.version, ' - ', o.name, ')'), p.name from (select p.id, p.name from " + owner
                        + " p where p.id in (select x." + ownerId + " from " + table + " x where lower(x.version) like ?)"
                        + " order by p.name limit ?) p join " + table + " x on x." + ownerId + " = p.id join os o on o.id = x.os_id"
                        + " where lower(x.version) like ? order by p.name, x.version, o.name limit ?");
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
        try (PreparedStatement ps = c.prepareStatement(scope.count())) {
            ps.setString(1, pattern);
            total = Rows.count(ps);
        }
        List<SearchResultDTO.Item> items = List.of();
        if (total > 0) {
            try (PreparedStatement ps = c.prepareStatement(scope.page())) {
                long parameters = scope.page().chars().filter(ch -> ch == '?').count();
                for (int i = 1; i < parameters; i += 2) {
                    ps.setString(i, pattern);
                    ps.setInt(i + 1, max);
                }
                items = Rows.list(ps, rs -> new SearchResultDTO.Item(rs.getString(1), rs.getString(2)));
            }
        }
        return new SearchResultDTO.Scope(total, items);
    }
}
