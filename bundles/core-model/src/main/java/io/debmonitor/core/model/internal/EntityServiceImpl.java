package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.TypedQuery;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityInUseException;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.StalenessPolicy;
import io.debmonitor.core.model.api.UpgradeFilter;
import io.debmonitor.core.model.internal.entity.EntityMapping;

/**
 * Single-entity paths (find, all rows, delete) go through JPA; the paged list and rows through
 * JDBC, where each page's SQL is shaped for the indexes.
 */
@Component(service = EntityService.class)
public class EntityServiceImpl implements EntityService {

    private final Database database;
    private final StalenessPolicy staleness;

    @Activate
    public EntityServiceImpl(@Reference Database database, @Reference StalenessPolicy staleness) {
        this.database = database;
        this.staleness = staleness;
    }

    @Override
    public Optional<EntityDTO> find(EntityKind kind, String name) {
        KindDescriptor descriptor = KindDescriptor.of(kind);
        return database.read(em -> first(em.createQuery("select e from " + descriptor.jpaEntity().getSimpleName()
                + " e join fetch e.os where e.name = :name", descriptor.jpaEntity()).setParameter("name", name))
                .map(entity -> entity.toDTO(descriptor.deployable() ? containers(em, entity) : 0)));
    }

    private static <T> Optional<T> first(TypedQuery<T> query) {
        return query.getResultList().stream().findFirst();
    }

    private static long containers(EntityManager em, EntityMapping image) {
        Long sum = em.createQuery("select sum(k.containers) from KubernetesImageEntity k where k.image = :image", Long.class)
                .setParameter("image", image).getSingleResult();
        return sum == null ? 0 : sum;
    }

    @Override
    public List<PackageRowDTO> rows(EntityKind kind, String name) {
        return database.read(em -> em.createQuery("select new io.debmonitor.core.model.api.PackageRowDTO("
                + "p.name, iv.version, uv.version, r.upgradeType) from " + KindDescriptor.of(kind).jpaRows() + " r join r.pkg p join r.installed iv"
                + " left join r.upgrade uv where r.owner.name = :name order by p.name", PackageRowDTO.class)
                .setParameter("name", name).getResultList());
    }

    @Override
    public List<InstalledDTO> installed(EntityKind kind, String name) {
        KindDescriptor t = KindDescriptor.of(kind);
        String sql = "select p.name, iv.version, sp.name, spv.version from " + t.rows() + " r"
                + " join " + t.entity() + " e on e.id = r." + t.owner()
                + " join package p on p.id = r.package_id"
                + " join package_version iv on iv.id = r.installed_version_id"
                + " join source_package_version spv on spv.id = iv.source_package_version_id"
                + " join source_package sp on sp.id = spv.source_package_id"
                + " where e.name = ? order by p.name";
        return database.query(c -> {
            List<InstalledDTO> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new InstalledDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return rows;
        });
    }

    @Override
    public PageDTO<EntityDTO> list(EntityKind kind, EntityFilter filter, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        KindDescriptor t = KindDescriptor.of(kind);
        boolean host = kind == EntityKind.HOST;
        if (host ? "containers".equals(request.sort()) : "kernel".equals(request.sort())) {
            throw new IllegalArgumentException("Sort key '" + request.sort() + "' does not apply to " + kind.word() + "s.");
        }
        if (host && filter.inUse() != null) {
            throw new IllegalArgumentException("The in-use filter applies to images only.");
        }
        Rows.Where where = new Rows.Where();
        if (filter.q() != null) {
            String pattern = Rows.contains(filter.q());
            where.and("(lower(e.name) like ? or e.os_id in (select o.id from os o where lower(o.name) like ?))", pattern, pattern);
        }
        if (filter.os() != null) {
            where.and("e.os_id = (select o.id from os o where o.name = ?)", filter.os());
        }
        if (filter.upgrades() == UpgradeFilter.UPGRADABLE) {
            where.and("e.upgrade_count > 0");
        } else if (filter.upgrades() == UpgradeFilter.SECURITY) {
            where.and("e.security_count > 0");
        }
        if (filter.cves() != null) {
            where.and(filter.cves().equals("fixable") ? "e.cve_fixable > 0" : "e.cve_counted > 0");
        }
        if (filter.inUse() != null) {
            where.and((filter.inUse() ? "" : "not ") + "exists (select 1 from kubernetes_image ki where ki.image_id = e.id)");
        }
        if (filter.stale() != null) {
            where.and("e.modified " + (filter.stale() ? "<" : ">=") + " ?",
                    LocalDateTime.ofInstant(staleness.staleBefore(kind, Instant.now()), ZoneOffset.UTC));
        }
        if (filter.notUpdatedSince() != null) {
            where.and("e.modified < ?", LocalDateTime.ofInstant(filter.notUpdatedSince(), ZoneOffset.UTC));
        }
        if (request.isKeyset()) {
            where.and("e.name > ?", request.after());
        }
        // The default order is ix_<entity>_counts: a page is read straight off the index. The
        // other orders sort the entity table (one row per host or image, not per package).
        String from = " from " + t.entity() + " e" + where.sql();
        return database.query(c -> Rows.page(c, "select count(*)" + from, "select " + t.columns() + from
                + (request.isKeyset() ? " order by e.name" : listOrder(t, request)), where.parameters(), request, t::entity));
    }

    private static String listOrder(KindDescriptor t, PageRequest request) {
        boolean desc = request.descending();
        if (request.sort() == null) {
            return " order by e.security_count desc, e.upgrade_count desc, e.package_count desc, e.name";
        }
        return switch (request.sort()) {
            case "name" -> Rows.orderBy(desc, List.of("e.name"));
            case "os" -> Rows.orderBy(desc, List.of(KindDescriptor.osName()), "e.name");
            case "kernel" -> Rows.orderBy(desc, List.of("(select k.name from kernel k where k.id = e.kernel_id)"), "e.name");
            case "modified" -> Rows.orderBy(desc, List.of("e.modified"), "e.name");
            case "packages" -> Rows.orderBy(desc, List.of("e.package_count"), "e.name");
            case "upgrades" -> Rows.orderBy(desc, List.of("e.upgrade_count"), "e.name");
            case "security" -> Rows.orderBy(desc, List.of("e.security_count"), "e.name");
            case "cves" -> Rows.orderBy(desc, List.of("e.cve_counted", "e.cve_fixable"), "e.name");
            default -> Rows.orderBy(desc, List.of(t.containers()), "e.name");
        };
    }

    @Override
    public PageDTO<PackageRowDTO> rows(EntityKind kind, String name, RowFilter filter, PageRequest request) {
        request.checkSort(ROW_SORT_KEYS);
        KindDescriptor t = KindDescriptor.of(kind);
        return database.query(c -> {
            Long id = Rows.id(c, "select id from " + t.entity() + " where name = ?", name);
            if (id == null) {
                return Rows.empty(request, 0);
            }
            // Rows are keyed by (entity, package): the entity's rows are one range of the primary key.
            Rows.Where where = new Rows.Where().and("r." + t.owner() + " = ?", id);
            if (filter.q() != null) {
                where.and("lower(p.name) like ?", Rows.contains(filter.q()));
            }
            if (filter.upgrades() == UpgradeFilter.UPGRADABLE) {
                where.and("r.upgrade_version_id is not null");
            } else if (filter.upgrades() == UpgradeFilter.SECURITY) {
                where.and("r.upgrade_version_id is not null and r.upgrade_type = 'security'");
            }
            if (request.isKeyset()) {
                where.and("p.name > ?", request.after());
            }
            String from = " from " + t.rows() + " r join package p on p.id = r.package_id";
            String select = "select p.name, iv.version, uv.version, r.upgrade_type" + from
                    + " join package_version iv on iv.id = r.installed_version_id"
                    + " left join package_version uv on uv.id = r.upgrade_version_id" + where.sql()
                    + (request.isKeyset() ? " order by p.name" : rowOrder(request));
            return Rows.page(c, "select count(*)" + from + where.sql(), select, where.parameters(), request,
                    rs -> new PackageRowDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        });
    }

    private static String rowOrder(PageRequest request) {
        boolean desc = request.descending();
        if (request.sort() == null) {
            return " order by case when r.upgrade_version_id is null then 2 when r.upgrade_type = 'security' then 0 else 1 end, p.name";
        }
        return switch (request.sort()) {
            case "name" -> Rows.orderBy(desc, List.of("p.name"));
            case "version" -> Rows.orderBy(desc, List.of("iv.sort_key", "iv.version"), "p.name");
            case "upgrade" -> Rows.orderBy(desc, Rows.nullsLow("r.upgrade_version_id", "uv.sort_key", "uv.version"), "p.name");
            default -> Rows.orderBy(desc, Rows.nullsLow("r.upgrade_type", "r.upgrade_type"), "p.name");
        };
    }

    @Override
    public long delete(EntityKind kind, String name) {
        return delete(kind, name, false);
    }

    @Override
    public void checkName(EntityKind kind, String name) throws InvalidReportException {
        KindDescriptor.of(kind).checkName(name);
    }

    @Override
    public long deleteEvenInUse(EntityKind kind, String name) {
        return delete(kind, name, true);
    }

    private long delete(EntityKind kind, String name, boolean evenInUse) {
        KindDescriptor descriptor = KindDescriptor.of(kind);
        return database.writeEntities("delete " + kind.word() + " " + name, em -> {
            Optional<? extends EntityMapping> found = first(em.createQuery("select e from " + descriptor.jpaEntity().getSimpleName()
                    + " e where e.name = :name", descriptor.jpaEntity()).setParameter("name", name)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE));
            if (found.isEmpty()) {
                return -1L;
            }
            EntityMapping entity = found.get();
            if (descriptor.deployable()) {
                if (evenInUse) {
                    em.createQuery("delete from KubernetesImageEntity k where k.image = :image").setParameter("image", entity)
                            .executeUpdate();
                } else {
                    List<String> clusters = em.createQuery("select distinct k.cluster from KubernetesImageEntity k"
                            + " where k.image = :image order by k.cluster", String.class).setParameter("image", entity).getResultList();
                    if (!clusters.isEmpty()) {
                        throw new EntityInUseException(name, clusters);
                    }
                }
            }
            long deleted = em.createQuery("delete from " + descriptor.jpaRows() + " r where r.owner = :owner").setParameter("owner", entity)
                    .executeUpdate();
            em.createNativeQuery("delete from " + descriptor.events() + " where " + descriptor.owner() + " = ?1")
                    .setParameter(1, entity.getId()).executeUpdate();
            em.remove(entity);
            return deleted;
        });
    }
}
