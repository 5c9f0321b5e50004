package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.ReportServiceTest.report;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradeFilter;

/** SPEC §5.3 against a hand-computed fleet, and the staleness of the package counts, on both databases. */
@RunWith(Parameterized.class)
public class DashboardServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;
    private PackageCounts counts;

    public DashboardServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
    }

    @After
    public void tearDown() throws Exception {
        if (counts != null) {
            counts.deactivate();
        }
        db.close();
    }

    private DashboardServiceImpl dashboard(Duration maxAge) {
        counts = new PackageCounts(db.database, maxAge);
        return new DashboardServiceImpl(db.database, counts, TestStaleness.DEFAULT);
    }

    private void host(String name, String os, String kernel, List<String> installed, List<String> upgradable) {
        ReportDTO r = report(UpdateType.FULL, os, installed, List.of(), upgradable);
        reports.apply(EntityKind.HOST, name, new ReportDTO(r.os(), r.updateType(), kernel, null, r.installed(), r.uninstalled(), r.upgradable()));
    }

    private void image(String name, List<String> installed, List<String> upgradable) {
        ReportDTO r = report(UpdateType.FULL, "Debian 12", installed, List.of(), upgradable);
        reports.apply(EntityKind.IMAGE, name, new ReportDTO(r.os(), r.updateType(), null, null, r.installed(), r.uninstalled(), r.upgradable()));
    }

    @Test
    public void countsOfAHandComputedFleet() throws Exception {
        host("h1", "Debian 12", "K1", List.of("a=1", "b=1", "c=1"), List.of("a 1>2 security", "b 1>2"));
        host("h2", "Debian 12", "K1", List.of("a=1", "b=2"), List.of("a 1>2 security"));
        host("h3", "Debian 11", "K2", List.of("a=1", "d=1"), List.of());
        // An ordinary upgrade to b 3, and an upgrade typed "Security" (not a security upgrade, SPEC §2.4).
        host("h4", "Debian 11", "K2", List.of("b=2", "d=1"), List.of("b 2>3 upgrade", "d 1>2 Security"));
        image("i1", List.of("a=1", "b=1"), List.of("a 1>2"));
        image("i2", List.of("c=1"), List.of());
        Fleet.kubernetes(db.dataSource, "prod", "web", "i1", 3);
        Fleet.kubernetes(db.dataSource, "prod", "batch", "i1", 0);
        Fleet.kubernetes(db.dataSource, "dev", "web", "i2", 1);

        DashboardDTO got = dashboard(Duration.ofHours(1)).counts();

        Instant[] hostTimes = times(EntityKind.HOST, "h1", "h2", "h3", "h4");
        Instant[] imageTimes = times(EntityKind.IMAGE, "i1", "i2");
        assertEquals(new DashboardDTO.Entities(4, 3, 2, hostTimes[1], hostTimes[0]), got.hosts());
        assertEquals(new DashboardDTO.Entities(2, 1, 0, imageTimes[1], imageTimes[0]), got.images());
        // K1 on Debian 12, K2 on Debian 11.
        assertEquals(2, got.kernels());
        assertEquals(3, got.kubernetesRows());
        // a, b, c, d; a and b and d are upgraded somewhere, only a with a security upgrade.
        assertEquals(new DashboardDTO.Targets(4, 3, 1), got.packages());
        // Debian 12: a 1, a 2, b 1, b 2, c 1; Debian 11: a 1, d 1, b 2, b 3, d 2.
        // Targets: a 2 (D12), b 2 (D12), b 3 (D11), d 2 (D11); security: a 2 (D12).
        assertEquals(new DashboardDTO.Targets(10, 4, 1), got.packageVersions());
        // a-src, b-src, c-src, d-src, with one source version per binary version.
        assertEquals(4, got.sourcePackages());
        assertEquals(10, got.sourcePackageVersions());
        // Host rows: h1 a b, h2 a, h4 b d; security: h1 a, h2 a. Image rows: i1 a.
        assertEquals(new DashboardDTO.Upgrades(5, 1, 2, 0), got.upgrades());
    }

    @Test
    public void staleEntitiesAreCountedAndFilteredWithThePolicysThresholds() throws Exception {
        host("fresh.example.org", "Debian 12", "K1", List.of("a=1"), List.of());
        host("quiet.example.org", "Debian 12", "K1", List.of("a=1"), List.of());
        host("gone.example.org", "Debian 12", "K1", List.of("a=1"), List.of());
        image("fresh:1", List.of("a=1"), List.of());
        image("old:1", List.of("a=1"), List.of());
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        // Just inside the host threshold (48 h), just outside it, and an image past its 45 days.
        age("host", "quiet.example.org", now.minusHours(47));
        age("host", "gone.example.org", now.minusHours(49));
        age("image", "old:1", now.minusDays(46));

        DashboardDTO got = dashboard(Duration.ofHours(1)).counts();
        assertEquals(1, got.hosts().stale());
        assertEquals(1, got.images().stale());

        PageRequest all = new PageRequest(1, 50, "name", false);
        assertEquals(List.of("gone.example.org"), names(entities.list(EntityKind.HOST, staleFilter(true), all)));
        assertEquals(List.of("fresh.example.org", "quiet.example.org"), names(entities.list(EntityKind.HOST, staleFilter(false), all)));
        assertEquals(List.of("old:1"), names(entities.list(EntityKind.IMAGE, staleFilter(true), all)));
        assertEquals(List.of("fresh:1"), names(entities.list(EntityKind.IMAGE, staleFilter(false), all)));
    }

    private static EntityFilter staleFilter(boolean stale) {
        return new EntityFilter(null, null, UpgradeFilter.ALL, null, null, stale);
    }

    private static List<String> names(PageDTO<EntityDTO> page) {
        return page.items().stream().map(EntityDTO::name).toList();
    }

    private void age(String table, String name, LocalDateTime modified) throws Exception {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update " + table + " set modified = ? where name = ?")) {
            ps.setObject(1, modified);
            ps.setString(2, name);
            assertEquals(1, ps.executeUpdate());
        }
    }

    /** @return the oldest and the latest modification time of the entities */
    private Instant[] times(EntityKind k, String... names) {
        Instant oldest = null;
        Instant latest = null;
        for (String name : names) {
            Instant modified = entities.find(k, name).orElseThrow().modified();
            oldest = oldest == null || modified.isBefore(oldest) ? modified : oldest;
            latest = latest == null || modified.isAfter(latest) ? modified : latest;
        }
        return new Instant[] {oldest, latest};
    }

    @Test
    public void emptyDatabaseCountsNothing() {
        DashboardDTO.Entities none = new DashboardDTO.Entities(0, 0, 0, null, null);
        assertEquals(new DashboardDTO(none, none, 0, 0, new DashboardDTO.Targets(0, 0, 0), new DashboardDTO.Targets(0, 0, 0), 0, 0,
                new DashboardDTO.Upgrades(0, 0, 0, 0)), dashboard(Duration.ofHours(1)).counts());
    }

    @Test
    public void packageCountsAreKeptUntilTheyAreOlderThanTheMaximumAge() {
        host("h1", "Debian 12", "K1", List.of("a=1"), List.of());
        DashboardServiceImpl dashboard = dashboard(Duration.ofHours(1));
        PackageServiceImpl packages = new PackageServiceImpl(db.database, counts);
        SourcePackageServiceImpl sources = new SourcePackageServiceImpl(db.database, counts);
        assertEquals(1, dashboard.counts().packages().total());
        host("h2", "Debian 12", "K1", List.of("a=1", "b=1"), List.of("a 1>2 security"));
        // Hosts are live; packages come from the snapshot, an hour old at most.
        assertEquals(2, dashboard.counts().hosts().total());
        assertEquals(1, dashboard.counts().packages().total());
        assertEquals(List.of(new PackageSummaryDTO("a", 1, List.of("Debian 12"), 1, 0, 0)),
                packages.list(null, null, PageRequest.first(10)).items());
        assertEquals(1, sources.list(null, null, PageRequest.first(10)).total());
        counts.deactivate();
        dashboard = dashboard(Duration.ofHours(1));
        packages = new PackageServiceImpl(db.database, counts);
        sources = new SourcePackageServiceImpl(db.database, counts);
        assertEquals(new DashboardDTO.Targets(2, 1, 1), dashboard.counts().packages());
        assertEquals(List.of(new PackageSummaryDTO("a", 2, List.of("Debian 12"), 2, 1, 1), new PackageSummaryDTO("b", 1, List.of("Debian 12"), 1, 0, 0)),
                packages.list(null, null, PageRequest.first(10)).items());
        assertEquals(2, sources.list(null, null, PageRequest.first(10)).total());
    }

    @Test
    public void oldPackageCountsAreRecomputedInTheBackground() throws Exception {
        host("h1", "Debian 12", "K1", List.of("a=1"), List.of());
        DashboardServiceImpl dashboard = dashboard(Duration.ZERO);
        assertEquals(1, dashboard.counts().packages().total());
        host("h2", "Debian 12", "K1", List.of("b=1"), List.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (dashboard.counts().packages().total() != 2) {
            assertTrue("the counts were not recomputed within 20 s", System.nanoTime() < deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
