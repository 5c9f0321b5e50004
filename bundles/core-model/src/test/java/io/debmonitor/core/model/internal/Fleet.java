package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import javax.sql.DataSource;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;

/**
 * A small but awkward fleet for differential tests of the read services: several OSes; hosts and
 * images with the same name; names with LIKE wildcards and mixed case; versions whose dpkg order
 * differs from their string order (1.9/1.10, ~, epochs, leading zeros); upgrades of every type;
 * binaries sharing a source; kubernetes rows. {@link #load} then reads every table plainly, the
 * oracle the services' pages are compared with.
 */
final class Fleet {

    static final List<String> OSES = List.of("Debian 11", "Debian 12", "Ubuntu 22.04");

    /** Binary package, its source, and the versions a report may pick from. */
    private record Universe(String name, String source, List<String> versions) {
    }

    private static final List<Universe> UNIVERSE = List.of(
            new Universe("libc6", "glibc", List.of("2.36-9+deb12u4", "2.36-9+deb12u10", "2.31-13+deb11u5")),
            new Universe("libc-bin", "glibc", List.of("2.36-9+deb12u4", "2.36-9+deb12u10")),
            new Universe("zlib1g", "zlib", List.of("1:1.2.11.dfsg-2", "1:1.2.13.dfsg-1", "1.2.9", "1.2.10~rc1")),
            new Universe("openssl", "openssl", List.of("3.0.11-1~deb12u2", "3.0.11-1", "3.0.13-1~deb12u1")),
            new Universe("libssl3", "openssl", List.of("3.0.11-1~deb12u2", "3.0.11-1")),
            new Universe("curl", "curl", List.of("7.9", "7.10", "7.88.1-10", "7.88.1-10+deb12u5")),
            new Universe("Mixed_Case%", "Weird_Source", List.of("1.0", "1.0a", "1.0~rc1", "1.0+dfsg", "1.0.1")),
            new Universe("tool", "tools", List.of("1.9", "1.10", "1.007", "2:0.1", "1.2-3-4", "1.2-3.4")),
            new Universe("python3-x", "x", List.of("2:1.0-1", "10.0")));

    private static final List<String> TYPES = java.util.Arrays.asList("security", "upgrade", null, "Security");

    private static final List<String> KERNELS = List.of("#1 SMP Debian 6.1.76-1", "#1 SMP Debian 5.10.209-2",
            "#1 SMP PREEMPT_DYNAMIC Ubuntu", "#1 smp debian 6.1.76-1");

    static final List<String> HOSTS = List.of("web01.example.org", "web02.example.org", "DB01.Example.org", "db02.example.org",
            "host_a%.example.org", "hostxa.example.org", "cache.example.net", "empty.example.org", "mail.example.com",
            "web03.example.org", "gw.example.net", "k8s-node1.example.org", "k8s-node2.example.org");

    static final List<String> IMAGES = List.of("web01.example.org", "registry.example.org/app:1", "registry.example.org/app:2",
            "docker.io/library/debian:12", "Registry.example.org/Tools:latest", "quay.io/x/empty:1");

    private Fleet() {
    }

    /** Reports the fleet through the real ingest, then adds kubernetes rows (no ingest exists for them yet). */
    static void seed(ReportServiceImpl reports, DataSource dataSource) throws Exception {
        Random random = new Random(20240601);
        for (String host : HOSTS) {
            String kernel = KERNELS.get(random.nextInt(KERNELS.size()));
            String release = random.nextInt(4) == 0 ? null : "6.1.0-" + random.nextInt(20) + "-amd64";
            reports.apply(EntityKind.HOST, host, report(random, host.startsWith("empty"), kernel, release));
        }
        for (String image : IMAGES) {
            reports.apply(EntityKind.IMAGE, image, report(random, image.contains("empty"), null, null));
        }
        // A second round for some hosts, so modification times differ from creation times.
        for (String host : List.of("web02.example.org", "db02.example.org")) {
            String kernel = KERNELS.get(random.nextInt(KERNELS.size()));
            reports.apply(EntityKind.HOST, host, report(random, false, kernel, "6.1.0-99-amd64"));
        }
        kubernetes(dataSource, "prod", "web", "registry.example.org/app:1", 5);
        kubernetes(dataSource, "prod", "web", "registry.example.org/app:2", 0);
        kubernetes(dataSource, "prod", "batch", "registry.example.org/app:1", 2);
        kubernetes(dataSource, "dev", "web", "registry.example.org/app:1", 1);
        kubernetes(dataSource, "dev", "Tools", "Registry.example.org/Tools:latest", 3);
        kubernetes(dataSource, "staging", "web", "web01.example.org", 7);
    }

    private static ReportDTO report(Random random, boolean empty, String kernel, String release) {
        String os = OSES.get(random.nextInt(OSES.size()));
        List<InstalledDTO> installed = new ArrayList<>();
        List<UpgradableDTO> upgradable = new ArrayList<>();
        for (Universe u : UNIVERSE) {
            if (empty || random.nextInt(10) >= 7) {
                continue;
            }
            String version = u.versions().get(random.nextInt(u.versions().size()));
            String sourceVersion = random.nextInt(3) == 0 ? version + "-src" : null;
            installed.add(new InstalledDTO(u.name(), version, u.source(), sourceVersion));
            if (random.nextInt(10) < 4) {
                String to = u.versions().get(random.nextInt(u.versions().size()));
                if (!DebianVersion.equal(to, version)) {
                    upgradable.add(new UpgradableDTO(u.name(), version, to, u.source(), null, TYPES.get(random.nextInt(TYPES.size()))));
                }
            }
        }
        return new ReportDTO(os, UpdateType.FULL, kernel, release, installed, List.of(), upgradable);
    }

    static void kubernetes(DataSource dataSource, String cluster, String namespace, String image, int containers) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into kubernetes_image"
                + " (cluster, namespace, image_id, containers, created, modified) select ?, ?, id, ?, ?, ? from image where name = ?")) {
            LocalDateTime time = LocalDateTime.of(2024, 6, 1, 12, 0).plusMinutes(containers % 3);
            ps.setString(1, cluster);
            ps.setString(2, namespace);
            ps.setInt(3, containers);
            ps.setObject(4, time);
            ps.setObject(5, time);
            ps.setString(6, image);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no image " + image);
            }
        }
    }

    // --- the oracle -------------------------------------------------------------------------------

    record Entity(EntityKind kind, long id, String name, long osId, Long kernelId, String release, Instant created, Instant modified) {
    }

    record Row(EntityKind kind, long entityId, long packageId, long installedId, Long upgradeId, String type) {
        boolean upgradable() {
            return upgradeId != null;
        }

        boolean security() {
            return upgradeId != null && "security".equals(type);
        }
    }

    record Version(long id, long ownerId, String version, long osId, Long sourceVersionId) {
    }

    record Kernel(long id, long osId, String name, String slug) {
    }

    record Kubernetes(String cluster, String namespace, long imageId, long containers, Instant modified) {
    }

    /** Every table, read plainly. */
    static final class Tables {
        final Map<Long, String> oses = new HashMap<>();
        final Map<Long, Kernel> kernels = new HashMap<>();
        final List<Entity> entities = new ArrayList<>();
        final Map<Long, String> packages = new HashMap<>();
        final Map<Long, Version> versions = new HashMap<>();
        final Map<Long, String> sources = new HashMap<>();
        final Map<Long, Version> sourceVersions = new HashMap<>();
        final List<Row> rows = new ArrayList<>();
        final List<Kubernetes> kubernetes = new ArrayList<>();

        List<Row> rowsOf(Entity e) {
            return rows.stream().filter(r -> r.kind() == e.kind() && r.entityId() == e.id()).toList();
        }

        Entity entity(Row r) {
            return entities.stream().filter(e -> e.kind() == r.kind() && e.id() == r.entityId()).findFirst().orElseThrow();
        }

        String version(Long id) {
            return id == null ? null : versions.get(id).version();
        }

        /** The entity as the services must show it, its counts computed from its rows. */
        EntityDTO dto(Entity e) {
            List<Row> own = rowsOf(e);
            long containers = kubernetes.stream().filter(k -> e.kind() == EntityKind.IMAGE && k.imageId() == e.id())
                    .mapToLong(Kubernetes::containers).sum();
            return new EntityDTO(e.kind(), e.name(), oses.get(e.osId()), e.kernelId() == null ? null : kernels.get(e.kernelId()).name(),
                    e.release(), e.created(), e.modified(), own.size(), own.stream().filter(Row::upgradable).count(),
                    own.stream().filter(Row::security).count(), containers);
        }
    }

    static Tables load(DataSource dataSource) throws Exception {
        Tables t = new Tables();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            read(st, "select id, name from os", rs -> t.oses.put(rs.getLong(1), rs.getString(2)));
            read(st, "select id, os_id, name, slug from kernel",
                    rs -> t.kernels.put(rs.getLong(1), new Kernel(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4))));
            read(st, "select id, name, os_id, kernel_id, kernel_release, created, modified from host",
                    rs -> t.entities.add(new Entity(EntityKind.HOST, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5), utc(rs, 6), utc(rs, 7))));
            read(st, "select id, name, os_id, created, modified from image",
                    rs -> t.entities.add(new Entity(EntityKind.IMAGE, rs.getLong(1), rs.getString(2), rs.getLong(3), null, null,
                            utc(rs, 4), utc(rs, 5))));
            read(st, "select id, name from package", rs -> t.packages.put(rs.getLong(1), rs.getString(2)));
            read(st, "select id, package_id, version, os_id, source_package_version_id from package_version",
                    rs -> t.versions.put(rs.getLong(1), new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5))));
            read(st, "select id, name from source_package", rs -> t.sources.put(rs.getLong(1), rs.getString(2)));
            read(st, "select id, source_package_id, version, os_id from source_package_version",
                    rs -> t.sourceVersions.put(rs.getLong(1), new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            null)));
            for (EntityKind kind : EntityKind.values()) {
                KindDescriptor e = KindDescriptor.of(kind);
                read(st, "select " + e.owner() + ", package_id, installed_version_id, upgrade_version_id, upgrade_type from " + e.rows(),
                        rs -> t.rows.add(new Row(kind, rs.getLong(1), rs.getLong(2), rs.getLong(3),
                                rs.getObject(4) == null ? null : rs.getLong(4), rs.getString(5))));
            }
            read(st, "select cluster, namespace, image_id, containers, modified from kubernetes_image",
                    rs -> t.kubernetes.add(new Kubernetes(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), utc(rs, 5))));
        }
        return t;
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws Exception;
    }

    private static void read(Statement st, String sql, RowReader reader) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }

    private static Instant utc(ResultSet rs, int column) throws Exception {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    // --- comparison helpers -----------------------------------------------------------------------

    /** Case-insensitive substring match, as the services' {@code q} filters. */
    static boolean matches(String value, String q) {
        return q == null || value.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
    }

    static final Comparator<String> TEXT = Comparator.naturalOrder();
    static final Comparator<String> VERSION = DebianVersion.ORDER;

    /** {@code key} ascending, or descending when asked, with nulls lowest. */
    static <T, K> Comparator<T> by(Function<T, K> key, Comparator<K> order, boolean descending) {
        Comparator<T> c = Comparator.comparing(key, Comparator.nullsFirst(order));
        return descending ? c.reversed() : c;
    }

    /**
     * Asserts that the service's pages are slices of {@code expected}: all in one page, pages of
     * 1 and 3 (and one past the end), each with the right total.
     */
    static <T> void assertPages(String label, List<T> expected, PageReader<T> service) {
        assertPage(label, expected, 1, 10_000, service);
        for (int size : List.of(3, 1)) {
            int pages = (expected.size() + size - 1) / size;
            for (int page = 1; page <= pages + 1; page++) {
                if (size == 1 && page > 2 && page < pages) {
                    continue;
                }
                assertPage(label, expected, page, size, service);
            }
        }
    }

    /** Asserts the page of everything, the second page of 2 and the page after the last one of 2. */
    static <T> void assertSomePages(String label, List<T> expected, PageReader<T> service) {
        assertPage(label, expected, 1, 10_000, service);
        assertPage(label, expected, 2, 2, service);
        assertPage(label, expected, (expected.size() + 1) / 2 + 1, 2, service);
    }

    static <T> void assertPage(String label, List<T> expected, int page, int size, PageReader<T> service) {
        PageDTO<T> got = service.read(page, size);
        int from = Math.min((page - 1) * size, expected.size());
        String where = label + ", page " + page + " of " + size;
        org.junit.Assert.assertEquals(where, expected.subList(from, Math.min(from + size, expected.size())), got.items());
        org.junit.Assert.assertEquals(where + ": total", expected.size(), got.total());
        org.junit.Assert.assertEquals(where + ": page", page, got.page());
        org.junit.Assert.assertEquals(where + ": size", size, got.size());
    }

    @FunctionalInterface
    interface PageReader<T> {
        PageDTO<T> read(int page, int size);
    }
}
