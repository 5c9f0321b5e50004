package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Reads source packages. The index comes from the in-memory {@link PackageCounts} snapshot, so it
 * may lag the database by up to the snapshot's maximum age (60 s by default) plus one computation;
 * it lists the source packages with at least one version (on the OS, when one is given, and then
 * {@code versions} counts that OS's versions only). A source package's versions are read live.
 */
@Component(service = SourcePackageService.class)
public class SourcePackageServiceImpl implements SourcePackageService {

    private final Database database;
    private final PackageCounts counts;

    @Activate
    public SourcePackageServiceImpl(@Reference Database database, @Reference PackageCounts counts) {
        this.database = database;
        this.counts = counts;
    }

    @Override
    public PageDTO<SourcePackageSummaryDTO> list(String q, String os, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        boolean desc = request.sort() != null && request.descending();
        return counts.get().page(PackageCounts.Listing.SOURCES, q, os, request, osIndex -> listOrder(request.sort(), desc, osIndex),
                (source, oses, osIndex) -> new SourcePackageSummaryDTO(source.name(), source.versions(osIndex), oses));
    }

    private static Comparator<PackageCounts.Counted> listOrder(String sort, boolean descending, int os) {
        Comparator<PackageCounts.Counted> byName = Comparator.comparing(PackageCounts.Counted::name);
        if (sort == null || sort.equals("name")) {
            return descending ? byName.reversed() : byName;
        }
        Comparator<PackageCounts.Counted> versions = Comparator.comparingLong(source -> source.versions(os));
        return (descending ? versions.reversed() : versions).thenComparing(byName);
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
