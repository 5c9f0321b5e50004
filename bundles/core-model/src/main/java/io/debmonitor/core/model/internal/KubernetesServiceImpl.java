package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.KubernetesSnapshotDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.internal.entity.KubernetesImageEntity;
import io.debmonitor.core.model.v1.V1ReportReader;

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

    @Override
    public List<String> apply(KubernetesSnapshotDTO snapshot) {
        return database.write("kubernetes snapshot of " + snapshot.cluster(), c -> new SnapshotWriter(c, snapshot).apply());
    }

    /** One snapshot on one connection: resolve the references, then bring the cluster's rows to the snapshot. */
    private static final class SnapshotWriter {
        private final Connection c;
        private final KubernetesSnapshotDTO snapshot;
        private final LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);

        SnapshotWriter(Connection c, KubernetesSnapshotDTO snapshot) {
            this.c = c;
            this.snapshot = snapshot;
        }

        List<String> apply() throws SQLException {
            Map<String, Long> imageIds = resolve();
            List<String> missing = new ArrayList<>();
            Map<List<Object>, Integer> wanted = new LinkedHashMap<>(); // (namespace, image id) -> containers
            snapshot.images().forEach((reference, namespaces) -> {
                Long imageId = imageIds.get(reference);
                if (imageId == null) {
                    missing.add(reference);
                    return;
                }
                namespaces.forEach((namespace, containers) -> wanted.merge(List.of(namespace, imageId), containers,
                        (a, b) -> (int) Math.min((long) a + b, Integer.MAX_VALUE)));
            });
            List<Long> stale = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("select id, namespace, image_id from kubernetes_image where cluster = ? for update");
                 PreparedStatement update = c.prepareStatement("update kubernetes_image set containers = ?, modified = ? where id = ?")) {
                select.setString(1, snapshot.cluster());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Integer containers = wanted.remove(List.of(rs.getString(2), rs.getLong(3)));
                        if (containers == null) {
                            stale.add(rs.getLong(1));
                        } else {
                            update.setInt(1, containers);
                            update.setObject(2, now);
                            update.setLong(3, rs.getLong(1));
                            update.addBatch();
                        }
                    }
                }
                update.executeBatch();
            }
            Sql.updateIn(c, "delete from kubernetes_image where id in (IN_LIST)", List.of(), stale);
            List<Object[]> inserts = new ArrayList<>();
            wanted.forEach((key, containers) -> inserts.add(new Object[] {snapshot.cluster(), key.get(0), key.get(1), containers, now, now}));
            Sql.insertRows(c, "kubernetes_image", "cluster, namespace, image_id, containers, created, modified", 6, inserts);
            return missing;
        }

        /**
         * The stored image of each reference, locked against a concurrent delete or GC (on H2 a
         * foreign key alone does not lock the image). References are resolved without locks, and
         * the chosen images are then locked in id order, so concurrent snapshots that share images
         * cannot deadlock; an image deleted in between makes its references missing.
         */
        private Map<String, Long> resolve() throws SQLException {
            Map<String, DigestReference> byDigest = new LinkedHashMap<>();
            Set<String> names = new TreeSet<>(snapshot.images().keySet());
            for (String reference : snapshot.images().keySet()) {
                DigestReference parsed = DigestReference.parse(reference);
                if (parsed != null) {
                    byDigest.put(reference, parsed);
                    if (parsed.tag() != null) {
                        names.add(parsed.repository() + ":" + parsed.tag());
                    }
                }
            }
            Map<String, Long> stored = new HashMap<>();
            Set<String> storedWithoutDigest = new TreeSet<>();
            Sql.selectIn(c, "select id, name, digest from image where name in (IN_LIST)", List.of(), names, rs -> {
                stored.put(rs.getString(2), rs.getLong(1));
                if (rs.getString(3) == null) {
                    storedWithoutDigest.add(rs.getString(2));
                }
            });
            Map<String, Long> resolved = new HashMap<>();
            Set<String> digests = new TreeSet<>();
            for (String reference : snapshot.images().keySet()) {
                if (stored.containsKey(reference)) {
                    resolved.put(reference, stored.get(reference));
                } else if (byDigest.containsKey(reference)) {
                    digests.add(byDigest.get(reference).digest());
                }
            }
            Map<String, List<String[]>> carriers = new HashMap<>(); // digest -> [name, id], newest report first
            Sql.selectIn(c, "select digest, name, id from image where digest in (IN_LIST) order by modified desc, name",
                    List.of(), digests, rs -> carriers.computeIfAbsent(rs.getString(1), d -> new ArrayList<>())
                            .add(new String[] {rs.getString(2), rs.getString(3)}));
            byDigest.forEach((reference, parsed) -> {
                if (resolved.containsKey(reference)) {
                    return;
                }
                String sameTag = parsed.tag() == null ? null : parsed.repository() + ":" + parsed.tag();
                String[] best = null;
                for (String[] carrier : carriers.getOrDefault(parsed.digest(), List.of())) {
                    if (carrier[0].equals(sameTag)) {
                        best = carrier;
                        break;
                    }
                    if (best == null && parsed.repository().equals(repository(carrier[0]))) {
                        best = carrier;
                    }
                }
                if (best != null) {
                    resolved.put(reference, Long.valueOf(best[1]));
                } else if (sameTag != null && storedWithoutDigest.contains(sameTag)) {
                    // The tag's image carries no digest to compare (an older reporter): take it. One
                    // with another digest is another build, whose packages would mislead.
                    resolved.put(reference, stored.get(sameTag));
                }
            });
            Set<Long> locked = new HashSet<>();
            Sql.selectIn(c, "select id from image where id in (IN_LIST) order by id for update", List.of(),
                    new TreeSet<>(resolved.values()), rs -> locked.add(rs.getLong(1)));
            resolved.values().retainAll(locked);
            return resolved;
        }
    }

    /** The repository of a stored image name: without its digest and tag. */
    static String repository(String name) {
        int at = name.indexOf('@');
        String withoutDigest = at < 0 ? name : name.substring(0, at);
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    /** {@code <repository>[:<tag>]@<digest>}; the tag's ':' comes after the last '/', unlike a registry port's. */
    record DigestReference(String repository, String tag, String digest) {
        static DigestReference parse(String reference) {
            int at = reference.indexOf('@');
            if (at <= 0 || !V1ReportReader.DIGEST.matcher(reference.substring(at + 1)).matches()) {
                return null;
            }
            String name = reference.substring(0, at);
            int colon = name.lastIndexOf(':');
            boolean tagged = colon > name.lastIndexOf('/');
            return new DigestReference(tagged ? name.substring(0, colon) : name, tagged ? name.substring(colon + 1) : null,
                    reference.substring(at + 1));
        }
    }

    private static KubernetesRowDTO row(ResultSet rs) throws SQLException {
        return new KubernetesRowDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), Rows.utc(rs, 6));
    }
}
