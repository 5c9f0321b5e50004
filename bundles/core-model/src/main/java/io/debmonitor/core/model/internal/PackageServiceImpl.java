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

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;

/**
 * Reads one package across hosts and images. Versions are ordered in Java (dpkg order cannot be
 * expressed in SQL); a page of rows is then read version group by version group.
 */
@Component(service = PackageService.class)
public class PackageServiceImpl implements PackageService {

    private final Database database;

    @Activate
    public PackageServiceImpl(@Reference Database database) {
        this.database = database;
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
    public PageDTO<PackageHolderDTO> holders(String name, int page, int size) {
        PageDTO.check(page, size);
        return database.query(c -> {
            Map<Long, Version> versions = load(c, name);
            countInstalled(c, versions);
            long total = versions.values().stream().mapToLong(Version::installed).sum();
            // The rows are grouped by version, so the version counts tell which groups the page
            // overlaps and where: only those rows are read, never all rows of the package.
            long pageStart = (long) (page - 1) * size;
            long pageEnd = pageStart + size;
            List<PackageHolderDTO> items = new ArrayList<>();
            long groupStart = 0;
            for (Version v : versions.values().stream().sorted(ORDER).toList()) {
                if (groupStart >= pageEnd) {
                    break;
                }
                long groupEnd = groupStart + v.installed();
                long offset = Math.max(pageStart - groupStart, 0);
                long limit = Math.min(pageEnd, groupEnd) - groupStart - offset;
                if (limit > 0) {
                    items.addAll(holders(c, v, offset, limit, versions));
                }
                groupStart = groupEnd;
            }
            return new PageDTO<>(page, size, total, items);
        });
    }

    /** Rows {@code offset} to {@code offset + limit} of one version, ordered by name, hosts before images of the same name. */
    private static List<PackageHolderDTO> holders(Connection c, Version v, long offset, long limit, Map<Long, Version> versions)
            throws SQLException {
        String sql;
        List<Object> parameters;
        if (v.installedOnHosts == 0 || v.installedOnImages == 0) {
            sql = holdersByName(v.installedOnImages == 0 ? EntityTables.HOST : EntityTables.IMAGE) + " order by x.name";
            parameters = List.of(v.id, limit, offset, v.packageId);
        } else {
            sql = "select * from (" + holdersByName(EntityTables.HOST) + " union all " + holdersByName(EntityTables.IMAGE)
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
    private static String holdersByName(EntityTables t) {
        String kind = t == EntityTables.HOST ? "H" : "I";
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
        for (EntityTables t : List.of(EntityTables.HOST, EntityTables.IMAGE)) {
            try (PreparedStatement ps = c.prepareStatement("select installed_version_id, count(*) from " + t.rows()
                    + " where package_id = ? group by installed_version_id")) {
                ps.setLong(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Version v = versions.get(rs.getLong(1));
                        if (t == EntityTables.HOST) {
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
        for (EntityTables t : List.of(EntityTables.HOST, EntityTables.IMAGE)) {
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
