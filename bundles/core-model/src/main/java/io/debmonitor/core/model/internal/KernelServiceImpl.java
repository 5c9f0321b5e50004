package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** Reads kernels; a kernel's hosts are counted and listed through ix_host_kernel. */
@Component(service = KernelService.class)
public class KernelServiceImpl implements KernelService {

    private static final String COLUMNS = "select k.os_id, k.slug, o.name, k.name,"
            + " (select count(*) from host h where h.kernel_id = k.id) from kernel k join os o on o.id = k.os_id";

    private final Database database;

    @Activate
    public KernelServiceImpl(@Reference Database database) {
        this.database = database;
    }

    /** The OS id and slug of a kernel key, or null when the key is malformed. */
    private record Key(long osId, String slug) {
        static Key parse(String key) {
            int separator = key == null ? -1 : key.indexOf('_');
            // At most 18 digits, so the id always fits a long.
            if (separator < 1 || separator > 18 || separator == key.length() - 1) {
                return null;
            }
            String id = key.substring(0, separator);
            if (!id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return null;
            }
            return new Key(Long.parseLong(id), key.substring(separator + 1));
        }
    }

    @Override
    public PageDTO<KernelDTO> list(String q, String os, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        Rows.Where where = new Rows.Where();
        if (q != null) {
            where.and("lower(k.name) like ?", Rows.contains(q));
        }
        if (os != null) {
            where.and("o.name = ?", os);
        }
        boolean desc = request.descending();
        String order = request.sort() == null ? " order by o.name, k.name" : switch (request.sort()) {
            case "os" -> Rows.orderBy(desc, List.of("o.name"), "k.name");
            case "name" -> Rows.orderBy(desc, List.of("k.name"), "o.name");
            default -> Rows.orderBy(desc, List.of("(select count(*) from host h where h.kernel_id = k.id)"), "o.name", "k.name");
        };
        return database.query(c -> Rows.page(c, "select count(*) from kernel k join os o on o.id = k.os_id" + where.sql(),
                COLUMNS + where.sql() + order, where.parameters(), request, KernelServiceImpl::kernel));
    }

    private static KernelDTO kernel(ResultSet rs) throws SQLException {
        return new KernelDTO(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }

    @Override
    public Optional<KernelDTO> find(String key) {
        Key parsed = Key.parse(key);
        if (parsed == null) {
            return Optional.empty();
        }
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " where k.os_id = ? and k.slug = ?")) {
                Rows.bind(ps, List.of(parsed.osId(), parsed.slug()));
                return Rows.list(ps, KernelServiceImpl::kernel).stream().findFirst();
            }
        });
    }

    @Override
    public PageDTO<EntityDTO> hosts(String key, String q, PageRequest request) {
        request.checkSort(HOST_SORT_KEYS);
        Key parsed = Key.parse(key);
        if (parsed == null) {
            return Rows.empty(request, 0);
        }
        KindDescriptor t = KindDescriptor.HOST;
        boolean desc = request.descending();
        String order = request.sort() == null ? " order by e.name" : switch (request.sort()) {
            case "name" -> Rows.orderBy(desc, List.of("e.name"));
            case "release" -> Rows.orderBy(desc, Rows.nullsLow("e.kernel_release", "e.kernel_release"), "e.name");
            default -> Rows.orderBy(desc, List.of("e.modified"), "e.name");
        };
        return database.query(c -> {
            Long kernelId = Rows.id(c, "select id from kernel where os_id = ? and slug = ?", parsed.osId(), parsed.slug());
            if (kernelId == null) {
                return Rows.empty(request, 0);
            }
            Rows.Where where = new Rows.Where().and("e.kernel_id = ?", kernelId);
            if (q != null) {
                where.and("lower(e.name) like ?", Rows.contains(q));
            }
            String from = " from host e" + where.sql();
            return Rows.page(c, "select count(*)" + from, "select " + t.columns() + from + order, where.parameters(), request,
                    t::entity);
        });
    }
}
