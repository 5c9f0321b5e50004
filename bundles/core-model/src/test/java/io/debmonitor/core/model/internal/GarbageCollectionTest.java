package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.GcRunDTO;
import io.debmonitor.core.model.api.GcRunningException;
import io.debmonitor.core.model.api.GcStepDTO;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;
import io.debmonitor.core.model.api.StorageUnavailableException;
import io.debmonitor.core.model.api.UpgradeFilter;

/** SPEC §2.8 on both databases: exactly the stale entities and the orphans go, in small batches. */
@RunWith(Parameterized.class)
public class GarbageCollectionTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final int BATCH = 10;
    private static final List<String> TYPES = List.of("images", "hosts", "package versions", "packages",
            "source package versions", "source packages", "kernels", "history events");

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;
    private GarbageCollectionServiceImpl gc;

    public GarbageCollectionTest(String kind) {
        this.kind = kind;
    }

    static GarbageCollectionConfiguration config(int batchSize) {
        Map<String, Object> values = Map.of("hostMaxAgeDays", 15, "imageMaxAgeDays", 90, "historyRetentionDays", 400, "batchSize", batchSize, "batchPauseMillis", 0, "leaseSeconds", 60);
        return (GarbageCollectionConfiguration) Proxy.newProxyInstance(GarbageCollectionConfiguration.class.getClassLoader(),
                new Class<?>[] {GarbageCollectionConfiguration.class}, (proxy, method, args) -> values.get(method.getName()));
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        gc = new GarbageCollectionServiceImpl(db.database, new AuditServiceImpl(db.database), config(BATCH));
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    /** A full report of {@code count} packages of its own (named after {@code prefix}), some upgradable. */
    private static ReportDTO ownPackages(String prefix, int count, String version, String kernel) {
        List<InstalledDTO> installed = new ArrayList<>();
        List<UpgradableDTO> upgradable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            installed.add(new InstalledDTO(prefix + "-pkg" + i, version, prefix + "-src" + (i % 7), null));
            if (i % 3 == 0) {
                upgradable.add(new UpgradableDTO(prefix + "-pkg" + i, version, version + "+1", prefix + "-src" + (i % 7), null,
                        i % 2 == 0 ? "security" : null));
            }
        }
        return new ReportDTO("Debian 12", UpdateType.FULL, kernel, "6.1.0-1-amd64", installed, List.of(), upgradable);
    }

    private void age(EntityKind kind, String name, int days) throws Exception {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update " + KindDescriptor.of(kind).entity() + " set modified = ? where name = ?")) {
            ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusDays(days));
            ps.setString(2, name);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    public void deletesExactlyTheStaleEntitiesAndTheOrphansInBatches() throws Exception {
        Fleet.seed(reports, db.dataSource);
        // Entities with dozens of rows of their own, so their rows, versions and sources need several batches.
        for (int i = 0; i < 4; i++) {
            reports.apply(EntityKind.HOST, "old" + i + ".example.org", ownPackages("old" + i, 37, "1.0-" + i, "#1 SMP old kernel " + i));
            reports.apply(EntityKind.HOST, "live" + i + ".example.org", ownPackages("live" + i, 23, "2.0-" + i, "#1 SMP live kernel"));
            reports.apply(EntityKind.IMAGE, "registry.example.org/old" + i + ":1", ownPackages("img" + i, 31, "3.0", null));
        }
        // Orphans that exist before any entity is stale: versions dropped by a later full report.
        reports.apply(EntityKind.HOST, "live0.example.org", ownPackages("live0", 11, "2.1", "#1 SMP live kernel"));

        for (String host : List.of("web01.example.org", "DB01.Example.org", "host_a%.example.org", "empty.example.org")) {
            age(EntityKind.HOST, host, 16);
        }
        age(EntityKind.HOST, "web02.example.org", 14);
        for (int i = 0; i < 4; i++) {
            age(EntityKind.HOST, "old" + i + ".example.org", 30);
            age(EntityKind.IMAGE, "registry.example.org/old" + i + ":1", 91);
        }
        // Kubernetes rows keep these images however old they are (SPEC §2.8).
        for (String image : Fleet.IMAGES) {
            age(EntityKind.IMAGE, image, 200);
        }

        Fleet.Tables before = Fleet.load(db.dataSource);
        Expected expected = new Expected(before);
        Map<String, Long> wanted = expected.deletions(before);
        assertTrue("the fixture needs several batches of rows: " + wanted, wanted.get("host rows") > 4 * BATCH);
        assertTrue("the fixture needs several batches of orphans: " + wanted, wanted.get("package versions") > 3 * BATCH);

        // The stale listing (host-list --stale) finds exactly the hosts a run deletes.
        EntityFilter stale = new EntityFilter(null, null, UpgradeFilter.ALL, null, Instant.now().minus(15, ChronoUnit.DAYS));
        assertEquals(wanted.get("hosts"), Long.valueOf(entities.list(EntityKind.HOST, stale, PageRequest.first(100)).total()));

        List<GcRunDTO> heard = new ArrayList<>();
        gc.listeners = List.of(new io.debmonitor.core.model.api.ActivityListener() {
            @Override
            public void gcRun(GcRunDTO run) {
                heard.add(run);
            }
        });
        List<String> unchanged = db.dump();
        GcRunDTO dry = gc.run("test", true);
        assertTrue(dry.dryRun());
        assertEquals("a dry run changes nothing", unchanged, db.dump());
        assertEquals(wanted, counts(dry));

        GcRunDTO run = gc.run("test", false);
        assertEquals("listeners hear the real run, not the dry one", List.of(run), heard);
        assertFalse(run.dryRun());
        assertEquals(TYPES, run.steps().stream().map(GcStepDTO::type).toList());
        assertEquals(wanted, counts(run));

        Fleet.Tables after = Fleet.load(db.dataSource);
        assertEquals(expected.entities, after.entities.stream().map(e -> e.kind() + " " + e.id()).collect(Collectors.toSet()));
        assertEquals(new HashSet<>(expected.rows), new HashSet<>(after.rows));
        assertEquals(expected.versions, after.versions.keySet());
        assertEquals(expected.packages, after.packages.keySet());
        assertEquals(expected.sourceVersions, after.sourceVersions.keySet());
        assertEquals(expected.sources, after.sources.keySet());
        assertEquals(expected.kernels, after.kernels.keySet());
        assertEquals("OS rows stay", before.oses, after.oses);
        assertEquals("kubernetes rows stay", before.kubernetes, after.kubernetes);

        // Nothing left to do, and a host whose shared rows were collected reports again as new.
        assertEquals(TYPES.stream().collect(Collectors.toMap(t -> t, t -> 0L)),
                gc.run("test", true).steps().stream().collect(Collectors.toMap(GcStepDTO::type, GcStepDTO::count)));
        reports.apply(EntityKind.HOST, "old0.example.org", ownPackages("old0", 37, "1.0-0", "#1 SMP old kernel 0"));
        assertEquals(37, entities.rows(EntityKind.HOST, "old0.example.org").size());
    }

    /** Every count a run reports, entity rows included, keyed like {@link Expected#deletions}. */
    private static Map<String, Long> counts(GcRunDTO run) {
        Map<String, Long> out = new HashMap<>();
        for (GcStepDTO step : run.steps()) {
            out.put(step.type(), step.count());
        }
        out.put("image rows", run.steps().get(0).rows());
        out.put("host rows", run.steps().get(1).rows());
        return out;
    }

    /** What must survive, computed from a plain read of the tables (the oracle). */
    private static final class Expected {
        final Set<String> entities = new HashSet<>();
        final List<Fleet.Row> rows = new ArrayList<>();
        final Set<Long> versions = new HashSet<>();
        final Set<Long> packages = new HashSet<>();
        final Set<Long> sourceVersions = new HashSet<>();
        final Set<Long> sources = new HashSet<>();
        final Set<Long> kernels = new HashSet<>();

        Expected(Fleet.Tables t) {
            Instant now = Instant.now();
            for (Fleet.Entity e : t.entities) {
                boolean used = t.kubernetes.stream().anyMatch(k -> e.kind() == EntityKind.IMAGE && k.imageId() == e.id());
                long maxDays = e.kind() == EntityKind.HOST ? 15 : 90;
                if (used || e.modified().isAfter(now.minus(maxDays, ChronoUnit.DAYS))) {
                    entities.add(e.kind() + " " + e.id());
                    rows.addAll(t.rowsOf(e));
                    if (e.kernelId() != null) {
                        kernels.add(e.kernelId());
                    }
                }
            }
            for (Fleet.Row r : rows) {
                versions.add(r.installedId());
                if (r.upgradeId() != null) {
                    versions.add(r.upgradeId());
                }
            }
            for (long v : versions) {
                packages.add(t.versions.get(v).ownerId());
                sourceVersions.add(t.versions.get(v).sourceVersionId());
            }
            for (long sv : sourceVersions) {
                sources.add(t.sourceVersions.get(sv).ownerId());
            }
        }

        Map<String, Long> deletions(Fleet.Tables t) {
            Map<String, Long> out = new HashMap<>();
            out.put("images", t.entities.stream().filter(e -> e.kind() == EntityKind.IMAGE && !entities.contains("IMAGE " + e.id())).count());
            out.put("hosts", t.entities.stream().filter(e -> e.kind() == EntityKind.HOST && !entities.contains("HOST " + e.id())).count());
            out.put("image rows", t.rows.stream().filter(r -> r.kind() == EntityKind.IMAGE).count()
                    - rows.stream().filter(r -> r.kind() == EntityKind.IMAGE).count());
            out.put("host rows", t.rows.stream().filter(r -> r.kind() == EntityKind.HOST).count()
                    - rows.stream().filter(r -> r.kind() == EntityKind.HOST).count());
            out.put("package versions", (long) t.versions.size() - versions.size());
            out.put("packages", (long) t.packages.size() - packages.size());
            out.put("source package versions", (long) t.sourceVersions.size() - sourceVersions.size());
            out.put("source packages", (long) t.sources.size() - sources.size());
            out.put("kernels", (long) t.kernels.size() - kernels.size());
            // A stale entity's history goes with it; none is older than the retention here.
            out.put("history events", 0L);
            return out;
        }
    }

    @Test
    public void reportsRunningDuringCollectionLoseNothing() throws Exception {
        List<String> hosts = List.of("a.example.org", "b.example.org", "c.example.org", "d.example.org");
        Map<String, ReportDTO> last = new ConcurrentHashMap<>();
        AtomicBoolean reporting = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size() + 1);
        try {
            List<Future<Integer>> reporters = new ArrayList<>();
            for (String host : hosts) {
                reporters.add(pool.submit(() -> {
                    Random random = new Random(host.hashCode());
                    int sent = 0;
                    while (reporting.get() || sent < 5) {
                        // A few shared packages in versions that come and go, so GC keeps finding
                        // orphans that the next report of another host needs again.
                        List<InstalledDTO> installed = new ArrayList<>();
                        for (int p = 0; p < 6; p++) {
                            String version = "1." + random.nextInt(3);
                            installed.add(new InstalledDTO("shared" + p, version, "src" + (p % 2), null));
                        }
                        ReportDTO report = new ReportDTO("Debian 12", UpdateType.FULL, "#1 SMP k" + random.nextInt(3), null,
                                installed, List.of(), List.of());
                        // A report that keeps colliding gets a 503 and the client sends it again, up
                        // to 3 times (SPEC §7.5); such retries must stay rare, the report whole.
                        for (int attempt = 0; ; attempt++) {
                            try {
                                reports.apply(EntityKind.HOST, host, report);
                                break;
                            } catch (StorageUnavailableException e) {
                                refused.incrementAndGet();
                                if (attempt == 3) {
                                    throw e;
                                }
                            }
                        }
                        last.put(host, report);
                        sent++;
                    }
                    return sent;
                }));
            }
            Future<Integer> collector = pool.submit(() -> {
                int runs = 0;
                for (; runs < 15; runs++) {
                    gc.run("test", false);
                }
                return runs;
            });
            assertEquals(15, (int) collector.get());
            reporting.set(false);
            int sent = 0;
            for (Future<Integer> reporter : reporters) {
                int one = reporter.get();
                assertTrue(one >= 5);
                sent += one;
            }
            assertTrue(refused.get() + " of " + sent + " reports needed a client retry", refused.get() * 20 <= sent);
        } finally {
            pool.shutdownNow();
        }
        for (String host : hosts) {
            Map<String, String> want = last.get(host).installed().stream()
                    .collect(Collectors.toMap(InstalledDTO::name, InstalledDTO::version));
            Map<String, String> have = entities.rows(EntityKind.HOST, host).stream()
                    .collect(Collectors.toMap(PackageRowDTO::name, PackageRowDTO::version));
            assertEquals(host, want, have);
        }
        gc.run("test", false);
        assertEquals(0, db.count("select count(*) from package_version pv where not exists (select 1 from host_package r"
                + " where r.installed_version_id = pv.id)"));
        assertEquals(hosts.size() * 6L, db.count("select count(*) from host_package"));
    }

    private void holdLease(String holder, LocalDateTime expires) throws Exception {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update job_lease set holder = ?, expires = ? where name = 'gc'")) {
            ps.setString(1, holder);
            ps.setObject(2, expires);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    public void aRunHoldingTheLeaseRefusesAnotherButNotADryRun() throws Exception {
        reports.apply(EntityKind.HOST, "x.example.org", ownPackages("x", 3, "1", "#1"));
        holdLease("another-node/1", LocalDateTime.now(ZoneOffset.UTC).plusMinutes(5));
        GcRunningException refused = assertThrows(GcRunningException.class, () -> gc.run("test", false));
        assertEquals("gc already running", refused.getMessage());
        assertTrue(gc.runScheduled(Instant.now().truncatedTo(ChronoUnit.MINUTES)).isEmpty());
        assertEquals(8, gc.run("test", true).steps().size());

        // The other node died: its lease expires and the next run takes over.
        holdLease("another-node/1", LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        assertFalse(gc.run("test", false).dryRun());
        assertEquals(0, db.count("select count(*) from job_lease where holder is not null"));
        assertEquals("one dry run and one run were audited, not the refused run", 2,
                db.count("select count(*) from audit_event where actor = 'test' and action in ('GC_RUN', 'GC_DRY_RUN')"));
    }

    @Test
    public void eachScheduledSlotRunsOnceAcrossNodes() throws Exception {
        GarbageCollectionServiceImpl otherNode = new GarbageCollectionServiceImpl(db.database, new AuditServiceImpl(db.database), config(BATCH));
        Instant slot = Instant.parse("2026-12-03T03:00:00Z");
        assertTrue(gc.runScheduled(slot).isPresent());
        assertTrue("the same slot on another node", otherNode.runScheduled(slot).isEmpty());
        assertTrue("an earlier slot firing late", otherNode.runScheduled(slot.minusSeconds(3600)).isEmpty());
        assertTrue(otherNode.runScheduled(Instant.parse("2026-12-07T03:00:00Z")).isPresent());
        // Manual runs do not consume a slot.
        gc.run("test", false);
        assertTrue(gc.runScheduled(Instant.parse("2026-12-10T03:00:00Z")).isPresent());
    }

    @Test
    public void aSlotWhoseRunnerDiedIsResumedOnceItsLeaseExpired() throws Exception {
        Instant slot = Instant.parse("2026-12-03T03:02:00Z");
        reports.apply(EntityKind.HOST, "x.example.org", ownPackages("x", 3, "1", "#1"));
        holdSlot("dead-node/1", LocalDateTime.now(ZoneOffset.UTC).plusMinutes(5), slot);
        assertTrue("the runner's lease still holds", gc.runScheduled(slot).isEmpty());
        holdSlot("dead-node/1", LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1), slot);
        assertTrue("its lease expired: another node resumes the slot", gc.runScheduled(slot).isPresent());
        assertEquals(1, db.count("select count(*) from job_lease where name = 'gc' and holder is null and slot_done = last_slot"));
        assertTrue("done once", gc.runScheduled(slot).isEmpty());
        assertTrue("the next slot (a two-minute schedule)", gc.runScheduled(slot.plusSeconds(120)).isPresent());
    }

    @Test
    public void aSlotThatFiredWhileAManualRunHeldTheLeaseRunsAfterIt() throws Exception {
        Instant slot = Instant.parse("2026-12-03T03:00:00Z");
        holdLease("manual-run/1", LocalDateTime.now(ZoneOffset.UTC).plusMinutes(5));
        assertTrue(gc.runScheduled(slot).isEmpty());
        holdLease(null, null);
        assertTrue("the watchdog asks again once the manual run ended", gc.runScheduled(slot).isPresent());
    }

    private void holdSlot(String holder, LocalDateTime expires, Instant slot) throws Exception {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update job_lease set holder = ?, expires = ?, last_slot = ? where name = 'gc'")) {
            ps.setString(1, holder);
            ps.setObject(2, expires);
            ps.setObject(3, LocalDateTime.ofInstant(slot, ZoneOffset.UTC));
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    public void invalidSettingsFailActivationWithTheirName() {
        Map<String, Object> values = Map.of("hostMaxAgeDays", 15, "imageMaxAgeDays", 90, "historyRetentionDays", 400, "batchSize", 5, "batchPauseMillis", 0, "leaseSeconds", 60);
        GarbageCollectionConfiguration bad = (GarbageCollectionConfiguration) Proxy.newProxyInstance(
                GarbageCollectionConfiguration.class.getClassLoader(), new Class<?>[] {GarbageCollectionConfiguration.class},
                (proxy, method, args) -> values.get(method.getName()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GarbageCollectionServiceImpl(db.database, new AuditServiceImpl(db.database), bad));
        assertTrue(e.getMessage(), e.getMessage().contains("batchSize"));
        assertNotEquals(null, Objects.requireNonNull(e.getMessage()));
    }
}
