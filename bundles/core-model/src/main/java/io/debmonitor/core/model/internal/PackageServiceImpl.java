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
 * expressed in SQL); the row query then orders by each version's rank, so paging stays in SQL.
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
        long installed;
        long upgradable;
        long security;

        Version(long id, long packageId, String os, String version) {
            this.id = id;
            this.packageId = packageId;
            this.os = os;
            this.version = version;
        }
    }

    private static final Comparator<Version> ORDER = Comparator.<Version, String>comparing(v -> v.os)
            .thenComparing(v -> v.version, DebianVersion.ORDER);

    @Override
    public List<PackageVersionCountDTO> versions(String name) {
        return database.query(c -> {
            List<PackageVersionCountDTO> out = new ArrayList<>();
            for (Version v : load(c, name).values().stream().sorted(ORDER).toList()) {
                if (v.installed > 0 || v.upgradable > 0) {
                    out.add(new PackageVersionCountDTO(v.os, v.version, v.installed, v.upgradable, v.security));
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
            long total = versions.values().stream().mapToLong(v -> v.installed).sum();
            if (total == 0) {
                return new PageDTO<>(page, size, 0, List.of());
            }
            List<Version> ordered = versions.values().stream().sorted(ORDER).toList();
            long packageId = ordered.get(0).packageId;
            StringBuilder rank = new StringBuilder("case r.installed_version_id");
            List<Object> rankParameters = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                rank.append(" when ? then ?");
                rankParameters.add(ordered.get(i).id);
                rankParameters.add(i);
            }
            rank.append(" end");
            String sql = "select rnk, entity_name, kind, upgrade_version_id, upgrade_type from ("
                    + "select " + rank + " as rnk, e.name as entity_name, 'H' as kind, r.upgrade_version_id, r.upgrade_type"
                    + " from host_package r join host e on e.id = r.host_id where r.package_id = ?"
                    + " union all select " + rank + ", e.name, 'I', r.upgrade_version_id, r.upgrade_type"
                    + " from image_package r join image e on e.id = r.image_id where r.package_id = ?"
                    + ") x order by rnk, entity_name, kind limit ? offset ?";
            List<Object> parameters = new ArrayList<>(rankParameters);
            parameters.add(packageId);
            parameters.addAll(rankParameters);
            parameters.add(packageId);
            parameters.add(size);
            parameters.add((long) (page - 1) * size);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.bind(ps, parameters);
                return new PageDTO<>(page, size, total, Rows.list(ps, rs -> {
                    Version installed = ordered.get(rs.getInt(1));
                    long upgradeId = rs.getLong(4);
                    Version upgrade = rs.wasNull() ? null : versions.get(upgradeId);
                    return new PackageHolderDTO(installed.os, installed.version,
                            "H".equals(rs.getString(3)) ? EntityKind.HOST : EntityKind.IMAGE, rs.getString(2),
                            upgrade == null ? null : upgrade.version, upgrade == null ? null : rs.getString(5));
                }));
            }
        });
    }

    /** Every version of the package with its installed, upgradable and security counts over hosts and images. */
    private static Map<Long, Version> load(Connection c, String name) throws SQLException {
        Map<Long, Version> versions = new HashMap<>();
        long packageId;
        try (PreparedStatement ps = c.prepareStatement("select pv.id, o.name, pv.version, p.id from package_version pv"
                + " join package p on p.id = pv.package_id join os o on o.id = pv.os_id where p.name = ?")) {
            ps.setString(1, name);
            packageId = -1;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(rs.getLong(1), new Version(rs.getLong(1), rs.getLong(4), rs.getString(2), rs.getString(3)));
                    packageId = rs.getLong(4);
                }
            }
        }
        if (versions.isEmpty()) {
            return versions;
        }
        for (String rows : List.of("host_package", "image_package")) {
            try (PreparedStatement ps = c.prepareStatement("select installed_version_id, count(*) from " + rows
                    + " where package_id = ? group by installed_version_id")) {
                ps.setLong(1, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.get(rs.getLong(1)).installed += rs.getLong(2);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select upgrade_version_id, count(*),"
                    + " sum(case when upgrade_type = 'security' then 1 else 0 end) from " + rows
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
        return versions;
    }
}
