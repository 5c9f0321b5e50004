package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

/**
 * Reads binary packages across hosts and images.
 *
 * <p>The packages index comes from the in-memory {@link PackageCounts} snapshot (names, versions,
 * OSes and row counts): a page is filtered and sliced in memory, and its figures may lag the
 * database by up to the snapshot's maximum age (60 s by default) plus one computation.
 *
 * <p>The holders of one package in the default order are read version group by version group:
 * versions are ordered in Java (dpkg order), and each group's rows by name off an index. Other
 * orders and filters sort the package's rows in SQL, by the versions' {@code sort_key}.
 */
@Component(service = PackageService.class)
public class PackageServiceImpl implements PackageService {

    private final Database database;
    private final PackageCounts counts;

    @Activate
    public PackageServiceImpl(@Reference Database database, @Reference PackageCounts counts) {
        this.database = database;
        this.counts = counts;
    }

    /** A stored version of the package with its counts. */
    private static final class Version {
        final long id;
        final long packageId;
        final String os;
        final String version;
        long installedOnHosts;
        long installedOnImages;
        long upgradable;
        long security;

        Version(long id, long packageId, String os, String version) {
            this.id = id;
            this.packageId = packageId;
            this.os = os;
            this.version = version;
        }

        long installed() {
            return installedOnHosts + installedOnImages;
        }
    }

    private static final Comparator<Version> ORDER = Comparator.<Version, String>comparing(v -> v.os)
            .thenComparing(v -> v.version, DebianVersion.ORDER);

    @Override
    public List<PackageVersionCountDTO> versions(String name) {
        return database.query(c -> {
            Map<Long, Version> versions = load(c, name);
            countInstalled(c, versions);
            countUpgradable(c, versions);
            List<PackageVersionCountDTO> out = new ArrayList<>();
            for (Version v : versions.values().stream().sorted(ORDER).toList()) {
                if (v.installed() > 0 || v.upgradable > 0) {
                    out.add(new PackageVersionCountDTO(v.os, v.version, v.installed(), v.upgradable, v.security));
                }
            }
            return out;
        });
    }

    @Override
    public List<String> namesStartingWith(String prefix, int limit) {
        String pattern = Rows.startsWith(prefix);
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select name from package where name like ? order by name limit ?")) {
                ps.setString(1, pattern);
                ps.setInt(2, limit);
                return Rows.list(ps, rs -> rs.getString(1));
            }
        });
    }

    @Override
    public PageDTO<PackageSummaryDTO> list(String q, String os, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        return counts.get().page(PackageCounts.Listing.PACKAGES, q, os, request,
                osIndex -> listOrder(request.sort(), request.sort() != null && request.descending(), osIndex),
                (p, oses, osIndex) -> new PackageSummaryDTO(p.name(), p.versions(osIndex), oses, p.installed(osIndex),
                        p.upgrades(osIndex), p.security(osIndex)));
    }

    private static Comparator<PackageCounts.Counted> listOrder(String sort, boolean descending, int os) {
        Comparator<PackageCounts.Counted> byName = Comparator.comparing(PackageCounts.Counted::name);
        if (sort == null) {
            return Comparator.<PackageCounts.Counted>comparingLong(p -> -p.security(os)).thenComparingLong(p -> -p.upgrades(os))
                    .thenComparingLong(p -> -p.installed(os)).thenComparing(byName);
        }
        if (sort.equals("name")) {
            return descending ? byName.reversed() : byName;
        }
        ToLongFunction<PackageCounts.Counted> value = switch (sort) {
            case "versions" -> p -> p.versions(os);
            case "installed" -> p -> p.installed(os);
            case "upgrades" -> p -> p.upgrades(os);
            default -> p -> p.security(os);
        };
        Comparator<PackageCounts.Counted> key = Comparator.comparingLong(value);
        return (descending ? key.reversed() : key).thenComparing(byName);
    }

    @Override
    public List<String> sources(String name) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select distinct sp.name from package p"
                    + " join package_version pv on pv.package_id = p.id"
                    + " join source_package_version spv on spv.id = pv.source_package_version_id"
                    + " join source_package sp on sp.id = spv.source_package_id where p.name = ? order by sp.name")) {
                ps.setString(1, name);
                return Rows.list(ps, rs -> rs.getString(1));
            }
        });
    }

    @Override
    public PageDTO<PackageHolderDTO> holders(String name, HolderFilter filter, PageRequest request) {
        request.checkSort(HOLDER_SORT_KEYS);
        if (request.sort() == null && filter.q() == null && filter.upgrades() == UpgradeFilter.ALL) {
            return holdersByVersionGroup(name, filter, request);
        }
        return database.query(c -> {
            Long packageId = Rows.id(c, "select id from package where name = ?", name);
            if (packageId == null) {
                return Rows.empty(request, 0);
            }
            List<String> totals = new ArrayList<>();
            List<String> selects = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            for (KindDescriptor t : List.of(KindDescriptor.HOST, KindDescriptor.IMAGE)) {
                if (filter.kind() != null && filter.kind() != t.kind()) {
                    continue;
                }
                Rows.Where where = holderConditions(t, packageId, filter);
                String entityName = "(select e.name from " + t.entity() + " e where e.id = r." + t.owner() + ")";
                totals.add("(select count(*) from " + t.rows() + " r" + where.sql() + ")");
                selects.add("select o.name as os, iv.sort_key as vkey, iv.version as version, " + entityName + " as name, "
                        + (t == KindDescriptor.HOST ? 0 : 1) + " as kind, r.upgrade_version_id as upgrade_id, uv.sort_key as ukey,"
                        + " uv.version as upgrade, r.upgrade_type as upgrade_type from " + t.rows() + " r"
                        + " join package_version iv on iv.id = r.installed_version_id join os o on o.id = iv.os_id"
                        + " left join package_version uv on uv.id = r.upgrade_version_id" + where.sql());
                parameters.addAll(where.parameters());
            }
            // Both counts in one statement, so its parameters are the selects' parameters.
            String count = "select " + String.join(" + ", totals);
            String select = "select * from (" + String.join(" union all ", selects) + ") y" + holderOrder(request);
            return Rows.page(c, count, select, parameters, request, rs -> new PackageHolderDTO(rs.getString("os"),
                    rs.getString("version"), rs.getInt("kind") == 0 ? EntityKind.HOST : EntityKind.IMAGE, rs.getString("name"),
                    rs.getString("upgrade"), rs.getString("upgrade_type")));
        });
    }

    /**
     * The package's rows of one kind that pass the filter. Every condition is on the row itself
     * (the name through a lookup by primary key), so the rows are read off the covering index
     * ix_*_package_package; joined with the entity table instead, MariaDB may walk all entities
     * and probe the large row table once for each.
     */
    private static Rows.Where holderConditions(KindDescriptor t, long packageId, HolderFilter filter) {
        Rows.Where where = new Rows.Where().and("r.package_id = ?", packageId);
        if (filter.q() != null) {
            where.and("lower((select e.name from " + t.entity() + " e where e.id = r." + t.owner() + ")) like ?",
                    Rows.contains(filter.q()));
        }
        if (filter.os() != null || filter.version() != null) {
            Rows.Where versions = new Rows.Where().and("pv.package_id = ?", packageId);
            if (filter.os() != null) {
                versions.and("pv.os_id = (select o.id from os o where o.name = ?)", filter.os());
            }
            if (filter.version() != null) {
                versions.and("pv.version = ?", filter.version());
            }
            where.and("r.installed_version_id in (select pv.id from package_version pv" + versions.sql() + ")",
                    versions.parameters().toArray());
        }
        if (filter.upgrades() == UpgradeFilter.UPGRADABLE) {
            where.and("r.upgrade_version_id is not null");
        } else if (filter.upgrades() == UpgradeFilter.SECURITY) {
            where.and("r.upgrade_version_id is not null and r.upgrade_type = 'security'");
        }
        return where;
    }

    private static String holderOrder(PageRequest request) {
        boolean desc = request.descending();
        if (request.sort() == null) {
            return " order by y.os, y.vkey, y.version, y.name, y.kind";
        }
        return switch (request.sort()) {
            case "os" -> Rows.orderBy(desc, List.of("y.os"), "y.name", "y.kind");
            case "version" -> Rows.orderBy(desc, List.of("y.vkey", "y.version"), "y.name", "y.kind");
            case "name" -> Rows.orderBy(desc, List.of("y.name"), "y.kind");
            case "upgrade" -> Rows.orderBy(desc, Rows.nullsLow("y.upgrade_id", "y.ukey", "y.upgrade"), "y.name", "y.kind");
            default -> Rows.orderBy(desc, Rows.nullsLow("y.upgrade_type", "y.upgrade_type"), "y.name", "y.kind");
        };
    }

    /**
     * The default order without row filters: the version counts tell which version groups the
     * page overlaps and where, so only those rows are read, never all rows of the package. The OS,
     * version and kind filters only drop groups or one kind's part of a group.
     */
    private PageDTO<PackageHolderDTO> holdersByVersionGroup(String name, HolderFilter filter, PageRequest request) {
        return database.query(c -> {
            Map<Long, Version> versions = load(c, name);
            countInstalled(c, versions);
            List<Version> groups = versions.values().stream()
                    .filter(v -> filter.os() == null || v.os.equals(filter.os()))
                    .filter(v -> filter.version() == null || v.version.equals(filter.version()))
                    .sorted(ORDER).toList();
            long total = 0;
            for (Version v : groups) {
                total += hosts(v, filter) + images(v, filter);
            }
            long pageStart = request.offset();
            long pageEnd = pageStart + request.size();
            List<PackageHolderDTO> items = new ArrayList<>();
            long groupStart = 0;
            for (Version v : groups) {
                if (groupStart >= pageEnd) {
                    break;
                }
                long hosts = hosts(v, filter);
                long images = images(v, filter);
                long groupEnd = groupStart + hosts + images;
                long offset = Math.max(pageStart - groupStart, 0);
                long limit = Math.min(pageEnd, groupEnd) - groupStart - offset;
                if (limit > 0) {
                    items.addAll(holders(c, v, hosts, images, offset, limit, versions));
                }
                groupStart = groupEnd;
            }
            return new PageDTO<>(request.page(), request.size(), total, items);
        });
    }

    private static long hosts(Version v, HolderFilter filter) {
        return filter.kind() == EntityKind.IMAGE ? 0 : v.installedOnHosts;
    }

    private static long images(Version v, HolderFilter filter) {
        return filter.kind() == EntityKind.HOST ? 0 : v.installedOnImages;
    }

    /**
     * Rows {@code offset} to {@code offset + limit} of one version, ordered by name, hosts before
     * images of the same name; {@code hosts} and {@code images} are the group's rows of each kind.
     */
    private static List<PackageHolderDTO> holders(Connection c, Version v, long hosts, long images, long offset, long limit,
            Map<Long, Version> versions) throws SQLException {
        String sql;
        List<Object> parameters;
        if (hosts == 0 || images == 0) {
            sql = holdersByName(images == 0 ? KindDescriptor.HOST : KindDescriptor.IMAGE) + " order by x.name";
            parameters = List.of(v.id, limit, offset, v.packageId);
        } else {
            sql = "select * from (" + holdersByName(KindDescriptor.HOST) + " union all " + holdersByName(KindDescriptor.IMAGE)
                    + ") y order by y.name, y.kind limit ? offset ?";
            parameters = List.of(v.id, offset + limit, 0, v.packageId, v.id, offset + limit, 0, v.packageId, limit, offset);
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, parameters);
            return Rows.list(ps, rs -> {
                long upgradeId = rs.getLong(3);
                Version upgrade = rs.wasNull() ? null : versions.get(upgradeId);
                return new PackageHolderDTO(v.os, v.version, "H".equals(rs.getString(2)) ? EntityKind.HOST : EntityKind.IMAGE,
                        rs.getString(1), upgrade == null ? null : upgrade.version, upgrade == null ? null : rs.getString(4));
            });
        }
    }

    /**
     * One kind's rows of one version by name: parameters version id, limit, offset, package id.
     * The IN subquery is a semi-join: MariaDB collects the version's entity ids from the covering
     * index on installed_version_id, then walks the entity names in index order, checking each id
     * against that set, until the page is full; or, for a small version, sorts its few rows. The
     * row itself (for the upgrade) is read for the page's entities only.
     */
    private static String holdersByName(KindDescriptor t) {
        String kind = t == KindDescriptor.HOST ? "H" : "I";
        return "select x.name, '" + kind + "' as kind, r.upgrade_version_id, r.upgrade_type from (select e.id, e.name from "
                + t.entity() + " e where e.id in (select v." + t.owner() + " from " + t.rows() + " v where v.installed_version_id = ?)"
                + " order by e.name limit ? offset ?) x join " + t.rows() + " r on r." + t.owner() + " = x.id and r.package_id = ?";
    }

    /** Every version of the package, without counts; empty for an unknown package. */
    private static Map<Long, Version> load(Connection c, String name) throws SQLException {
        Map<Long, Version> versions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select pv.id, o.name, pv.version, p.id from package_version pv"
                + " join package p on p.id = pv.package_id join os o on o.id = pv.os_id where p.name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), new Version(rs.getLong(1), rs.getLong(4), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return versions;
    }

    private static void countInstalled(Connection c, Map<Long, Version> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        long packageId = versions.values().iterator().next().packageId;
        for (KindDescriptor t : List.of(KindDescriptor.HOST, KindDescriptor.IMAGE)) {
            try (PreparedStatement ps = c.prepareStatement("select installed_version_id, count(*) from " + t.rows()
                    + " where package_id = ? group by installed_version_id")) {
                ps.setLong(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Version v = versions.get(rs.getLong(1));
                        if (t == KindDescriptor.HOST) {
                            v.installedOnHosts = rs.getLong(2);
                        } else {
                            v.installedOnImages = rs.getLong(2);
                        }
                    }
                }
            }
        }
    }

    private static void countUpgradable(Connection c, Map<Long, Version> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        long packageId = versions.values().iterator().next().packageId;
        for (KindDescriptor t : List.of(KindDescriptor.HOST, KindDescriptor.IMAGE)) {
            try (PreparedStatement ps = c.prepareStatement("select upgrade_version_id, count(*),"
                    + " sum(case when upgrade_type = 'security' then 1 else 0 end) from " + t.rows()
                    + " where package_id = ? and upgrade_version_id is not null group by upgrade_version_id")) {
                ps.setLong(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Version v = versions.get(rs.getLong(1));
                        v.upgradable += rs.getLong(2);
                        v.security += rs.getLong(3);
                    }
                }
            }
        }
    }
}
