package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SourcePackageService;
import io.debmonitor.core.model.api.SourcePackageSummaryDTO;
import io.debmonitor.core.model.api.SourceVersionDTO;

/**
 * Reads source packages. The index lists source packages that have at least one version; with an
 * OS, only those with a version on it, and {@code versions} counts that OS's versions only.
 */
@Component(service = SourcePackageService.class)
public class SourcePackageServiceImpl implements SourcePackageService {

    private final Database database;

    @Activate
    public SourcePackageServiceImpl(@Reference Database database) {
        this.database = database;
    }

    private record Named(long id, String name) {
    }

    @Override
    public PageDTO<SourcePackageSummaryDTO> list(String q, String os, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        String versionsOnOs = "from source_package_version v where v.source_package_id = sp.id"
                + (os == null ? "" : " and v.os_id = (select o.id from os o where o.name = ?)");
        Rows.Where where = new Rows.Where();
        if (q != null) {
            where.and("lower(sp.name) like ?", Rows.contains(q));
        }
        if (os == null) {
            where.and("exists (select 1 " + versionsOnOs + ")");
        } else {
            where.and("exists (select 1 " + versionsOnOs + ")", os);
        }
        List<Object> parameters = new ArrayList<>(where.parameters());
        String order;
        if ("versions".equals(request.sort())) {
            order = Rows.orderBy(request.descending(), List.of("(select count(*) " + versionsOnOs + ")"), "sp.name");
            if (os != null) {
                parameters.add(os);
            }
        } else {
            // By name: the page is read off the unique name index.
            order = Rows.orderBy(request.sort() != null && request.descending(), List.of("sp.name"));
        }
        String from = " from source_package sp" + where.sql();
        return database.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + from)) {
                Rows.bind(ps, where.parameters());
                total = Rows.count(ps);
            }
            if (request.offset() >= total) {
                return Rows.empty(request, total);
            }
            parameters.add(request.size());
            parameters.add(request.offset());
            List<Named> page;
            try (PreparedStatement ps = c.prepareStatement("select sp.id, sp.name" + from + order + " limit ? offset ?")) {
                Rows.bind(ps, parameters);
                page = Rows.list(ps, rs -> new Named(rs.getLong(1), rs.getString(2)));
            }
            // The page's versions per OS, in one statement for the whole page.
            Map<Long, TreeMap<String, Long>> perOs = new HashMap<>();
            Sql.selectIn(c, "select v.source_package_id, o.name, count(*) from source_package_version v join os o on o.id = v.os_id"
                    + " where v.source_package_id in (IN_LIST) group by v.source_package_id, o.name", List.of(),
                    page.stream().map(Named::id).toList(),
                    rs -> perOs.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3)));
            List<SourcePackageSummaryDTO> items = new ArrayList<>();
            for (Named sp : page) {
                TreeMap<String, Long> counts = perOs.getOrDefault(sp.id(), new TreeMap<>());
                long versions = os == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.getOrDefault(os, 0L);
                items.add(new SourcePackageSummaryDTO(sp.name(), versions, List.copyOf(counts.keySet())));
            }
            return new PageDTO<>(request.page(), request.size(), total, items);
        });
    }

    @Override
    public PageDTO<SourceVersionDTO> versions(String name, String os, PageRequest request) {
        request.checkSort(VERSION_SORT_KEYS);
        record Row(long id, String os, String version) {
        }
        return database.query(c -> {
            // One source package has few versions: they are sorted in Java, in dpkg order.
            List<Row> rows;
            try (PreparedStatement ps = c.prepareStatement("select v.id, o.name, v.version from source_package_version v"
                    + " join os o on o.id = v.os_id where v.source_package_id = (select sp.id from source_package sp where sp.name = ?)"
                    + (os == null ? "" : " and o.name = ?"))) {
                ps.setString(1, name);
                if (os != null) {
                    ps.setString(2, os);
                }
                rows = Rows.list(ps, rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
            Comparator<Row> byOs = Comparator.comparing(Row::os);
            Comparator<Row> byVersion = Comparator.comparing(Row::version, DebianVersion.ORDER);
            boolean desc = request.descending();
            Comparator<Row> order = request.sort() == null ? byOs.thenComparing(byVersion)
                    : request.sort().equals("os") ? (desc ? byOs.reversed() : byOs).thenComparing(byVersion)
                    : (desc ? byVersion.reversed() : byVersion).thenComparing(byOs);
            List<Row> page = rows.stream().sorted(order).skip(request.offset()).limit(request.size()).toList();
            Map<Long, TreeSet<String>> binaries = new HashMap<>();
            Sql.selectIn(c, "select pv.source_package_version_id, p.name from package_version pv join package p on p.id = pv.package_id"
                    + " where pv.source_package_version_id in (IN_LIST)", List.of(), page.stream().map(Row::id).toList(),
                    rs -> binaries.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).add(rs.getString(2)));
            return new PageDTO<>(request.page(), request.size(), rows.size(), page.stream().map(r -> new SourceVersionDTO(r.os(),
                    r.version(), List.copyOf(binaries.getOrDefault(r.id(), new TreeSet<>())))).toList());
        });
    }
}
