package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/**
 * The dashboard's counts. Hosts, images, kernels, kubernetes rows and the row totals are read
 * live in one transaction, from the entities' counter columns (never from the rows). The binary
 * package, package version and source package figures come from the {@link PackageCounts}
 * snapshot, which may lag the database by up to its maximum age (60 s by default) plus one
 * computation.
 */
@Component(service = DashboardService.class)
public class DashboardServiceImpl implements DashboardService {

    private final Database database;
    private final PackageCounts counts;
    private final StalenessPolicy staleness;

    @Activate
    public DashboardServiceImpl(@Reference Database database, @Reference PackageCounts counts, @Reference StalenessPolicy staleness) {
        this.database = database;
        this.counts = counts;
        this.staleness = staleness;
    }

    /** An entity kind's figures: the card, and its upgradable and security row totals. */
    private record EntityFigures(DashboardDTO.Entities card, long upgrades, long security) {
    }

    @Override
    public DashboardDTO counts() {
        PackageCounts.Snapshot packages = counts.get();
        return database.query(c -> {
            EntityFigures hosts = entities(c, KindDescriptor.HOST);
            EntityFigures images = entities(c, KindDescriptor.IMAGE);
            return new DashboardDTO(hosts.card(), images.card(), count(c, "select count(*) from kernel"),
                    count(c, "select count(*) from kubernetes_image"),
                    new DashboardDTO.Targets(packages.packageTotal, packages.packagesWithUpgrades(), packages.packagesWithSecurity()),
                    new DashboardDTO.Targets(packages.versionTotal, packages.upgradeTargets, packages.securityTargets),
                    packages.sourcePackages, packages.sourcePackageVersions,
                    new DashboardDTO.Upgrades(hosts.upgrades(), images.upgrades(), hosts.security(), images.security()));
        });
    }

    @Override
    public DashboardDTO.Entities entities(EntityKind kind) {
        return database.query(c -> entities(c, KindDescriptor.of(kind)).card());
    }

    private EntityFigures entities(Connection c, KindDescriptor t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*), sum(case when upgrade_count > 0 then 1 else 0 end),"
                + " sum(case when security_count > 0 then 1 else 0 end), sum(upgrade_count), sum(security_count),"
                + " max(modified), min(modified), sum(case when modified < ? then 1 else 0 end) from " + t.entity())) {
            ps.setObject(1, LocalDateTime.ofInstant(staleness.staleBefore(t.kind(), Instant.now()), ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                // sum() of no rows is null, which getLong reads as 0.
                return new EntityFigures(new DashboardDTO.Entities(rs.getLong(1), rs.getLong(2), rs.getLong(3), Rows.utc(rs, 6),
                        Rows.utc(rs, 7), rs.getLong(8)), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return Rows.count(ps);
        }
    }
}
