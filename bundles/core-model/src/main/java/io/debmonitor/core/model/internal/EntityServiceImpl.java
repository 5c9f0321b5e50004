package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageRowDTO;

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
        String rows = kind == EntityKind.HOST ? "HostPackageEntity" : "ImagePackageEntity";
        String owner = kind == EntityKind.HOST ? "host" : "image";
        String kernel = kind == EntityKind.HOST ? "e.kernel.name, e.kernelRelease" : "null, null";
        return database.read(em -> {
            List<Object[]> found = em.createQuery("select e.name, e.os.name, " + kernel + ", e.created, e.modified, "
                    + "(select count(r) from " + rows + " r where r." + owner + " = e), "
                    + "(select count(r) from " + rows + " r where r." + owner + " = e and r.upgrade is not null), "
                    + "(select count(r) from " + rows + " r where r." + owner + " = e and r.upgrade is not null"
                    + " and r.upgradeType = 'security') "
                    + "from " + entity + " e where e.name = :name", Object[].class)
                    .setParameter("name", name).getResultList();
            return found.stream().findFirst().map(f -> new EntityDTO(kind, (String) f[0], (String) f[1], (String) f[2],
                    (String) f[3], utc((LocalDateTime) f[4]), utc((LocalDateTime) f[5]), (Long) f[6], (Long) f[7], (Long) f[8]));
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
