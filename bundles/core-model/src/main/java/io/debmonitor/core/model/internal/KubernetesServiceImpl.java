package io.debmonitor.core.model.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.internal.entity.KubernetesImageEntity;

/** The paged list reads through JDBC; the rows of one image through JPA. */
@Component(service = KubernetesService.class)
public class KubernetesServiceImpl implements KubernetesService {

    private static final String FROM = " from kubernetes_image k join image i on i.id = k.image_id join os o on o.id = i.os_id";
    private static final String SELECT = "select k.cluster, k.namespace, i.name, o.name, k.containers, k.modified" + FROM;

    private final Database database;

    @Activate
    public KubernetesServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public PageDTO<KubernetesRowDTO> list(String cluster, String namespace, String q, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        Rows.Where where = new Rows.Where();
        if (cluster != null) {
            where.and("k.cluster = ?", cluster);
        }
        if (namespace != null) {
            where.and("k.namespace = ?", namespace);
        }
        if (q != null) {
            where.and("lower(i.name) like ?", Rows.contains(q));
        }
        // (cluster, namespace, image) is unique, so it breaks every tie.
        String[] tieBreakers = {"k.cluster", "k.namespace", "i.name"};
        boolean desc = request.descending();
        String order = request.sort() == null ? Rows.orderBy(false, List.of(), tieBreakers) : switch (request.sort()) {
            case "cluster" -> Rows.orderBy(desc, List.of("k.cluster"), "k.namespace", "i.name");
            case "namespace" -> Rows.orderBy(desc, List.of("k.namespace"), tieBreakers);
            case "image" -> Rows.orderBy(desc, List.of("i.name"), tieBreakers);
            case "os" -> Rows.orderBy(desc, List.of("o.name"), tieBreakers);
            case "containers" -> Rows.orderBy(desc, List.of("k.containers"), tieBreakers);
            default -> Rows.orderBy(desc, List.of("k.modified"), tieBreakers);
        };
        return database.query(c -> Rows.page(c, "select count(*)" + FROM + where.sql(), SELECT + where.sql() + order,
                where.parameters(), request, KubernetesServiceImpl::row));
    }

    @Override
    public List<KubernetesRowDTO> ofImage(String image) {
        return database.read(em -> em.createQuery("select k from KubernetesImageEntity k join fetch k.image i join fetch i.os"
                + " where i.name = :image order by k.cluster, k.namespace", KubernetesImageEntity.class)
                .setParameter("image", image).getResultList().stream().map(KubernetesImageEntity::toDTO).collect(Collectors.toList()));
    }

    private static KubernetesRowDTO row(ResultSet rs) throws SQLException {
        return new KubernetesRowDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), Rows.utc(rs, 6));
    }
}
