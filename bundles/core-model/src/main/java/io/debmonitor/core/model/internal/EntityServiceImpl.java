package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.UpgradeFilter;

@Component(service = EntityService.class)
public class EntityServiceImpl implements EntityService {

    private final Database database;

    @Activate
    public EntityServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Optional<EntityDTO> find(EntityKind kind, String name) {
        String entity = kind == EntityKind.HOST ? "HostEntity" : "ImageEntity";
        String kernel = kind == EntityKind.HOST ? "k.name, e.kernelRelease" : "null, null";
        String kernelJoin = kind == EntityKind.HOST ? " left join e.kernel k" : "";
        return database.read(em -> {
            List<Object[]> found = em.createQuery("select e.name, o.name, " + kernel + ", e.created, e.modified, "
                    + "e.packageCount, e.upgradeCount, e.securityCount from " + entity + " e join e.os o" + kernelJoin
                    + " where e.name = :name", Object[].class)
                    .setParameter("name", name).getResultList();
            return found.stream().findFirst().map(f -> new EntityDTO(kind, (String) f[0], (String) f[1], (String) f[2],
                    (String) f[3], utc((LocalDateTime) f[4]), utc((LocalDateTime) f[5]), (Integer) f[6], (Integer) f[7],
                    (Integer) f[8]));
        });
    }

    @Override
    public List<PackageRowDTO> rows(EntityKind kind, String name) {
        String rows = kind == EntityKind.HOST ? "HostPackageEntity" : "ImagePackageEntity";
        String owner = kind == EntityKind.HOST ? "host" : "image";
        return database.read(em -> em.createQuery("select new io.debmonitor.core.model.api.PackageRowDTO("
                + "p.name, iv.version, uv.version, r.upgradeType) from " + rows + " r join r.pkg p join r.installed iv"
                + " left join r.upgrade uv where r." + owner + ".name = :name order by p.name", PackageRowDTO.class)
                .setParameter("name", name).getResultList());
    }

    @Override
    public PageDTO<EntityDTO> list(EntityKind kind, String os, UpgradeFilter upgrades, int page, int size) {
        PageDTO.check(page, size);
        EntityTables t = EntityTables.of(kind);
        boolean host = kind == EntityKind.HOST;
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (os != null) {
            where.append(" and e.os_id = (select o.id from os o where o.name = ?)");
            parameters.add(os);
        }
        if (upgrades == UpgradeFilter.UPGRADABLE) {
            where.append(" and e.upgrade_count > 0");
        } else if (upgrades == UpgradeFilter.SECURITY) {
            where.append(" and e.security_count > 0");
        }
        // No joins: the page is read off ix_<entity>_counts in this order, and the OS and kernel
        // names are looked up for the page's rows only.
        String from = " from " + t.entity() + " e";
        String select = "select e.name, (select o.name from os o where o.id = e.os_id), "
                + (host ? "(select k.name from kernel k where k.id = e.kernel_id), e.kernel_release" : "null, null")
                + ", e.created, e.modified, e.package_count, e.upgrade_count, e.security_count" + from + where
                + " order by e.security_count desc, e.upgrade_count desc, e.package_count desc, e.name limit ? offset ?";
        return database.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + from + where)) {
                Rows.bind(ps, parameters);
                total = Rows.count(ps);
            }
            List<Object> paged = new ArrayList<>(parameters);
            paged.add(size);
            paged.add((long) (page - 1) * size);
            try (PreparedStatement ps = c.prepareStatement(select)) {
                Rows.bind(ps, paged);
                return new PageDTO<>(page, size, total, Rows.list(ps, rs -> new EntityDTO(kind, rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), Rows.utc(rs, 5), Rows.utc(rs, 6), rs.getLong(7), rs.getLong(8), rs.getLong(9))));
            }
        });
    }

    @Override
    public PageDTO<PackageRowDTO> rows(EntityKind kind, String name, UpgradeFilter upgrades, int page, int size) {
        PageDTO.check(page, size);
        EntityTables t = EntityTables.of(kind);
        String filter = upgrades == UpgradeFilter.UPGRADABLE ? " and r.upgrade_version_id is not null"
                : upgrades == UpgradeFilter.SECURITY ? " and r.upgrade_version_id is not null and r.upgrade_type = 'security'" : "";
        String from = " from " + t.rows() + " r join " + t.entity() + " e on e.id = r." + t.owner() + " where e.name = ?" + filter;
        String select = "select p.name, iv.version, uv.version, r.upgrade_type from " + t.rows() + " r"
                + " join " + t.entity() + " e on e.id = r." + t.owner()
                + " join package p on p.id = r.package_id join package_version iv on iv.id = r.installed_version_id"
                + " left join package_version uv on uv.id = r.upgrade_version_id where e.name = ?" + filter
                + " order by case when r.upgrade_version_id is null then 2 when r.upgrade_type = 'security' then 0 else 1 end,"
                + " p.name limit ? offset ?";
        return database.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + from)) {
                ps.setString(1, name);
                total = Rows.count(ps);
            }
            try (PreparedStatement ps = c.prepareStatement(select)) {
                Rows.bind(ps, List.of(name, size, (long) (page - 1) * size));
                return new PageDTO<>(page, size, total, Rows.list(ps,
                        rs -> new PackageRowDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))));
            }
        });
    }

    @Override
    public long delete(EntityKind kind, String name) {
        EntityTables t = EntityTables.of(kind);
        return database.write("delete " + kind.word() + " " + name, c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("select id from " + t.entity() + " where name = ? for update")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return -1L;
                    }
                    id = rs.getLong(1);
                }
            }
            long deleted;
            try (PreparedStatement ps = c.prepareStatement("delete from " + t.rows() + " where " + t.owner() + " = ?")) {
                ps.setLong(1, id);
                deleted = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from " + t.entity() + " where id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return deleted;
        });
    }

    private static Instant utc(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC);
    }
}
