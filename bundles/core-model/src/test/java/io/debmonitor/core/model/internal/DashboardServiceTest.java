package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.ReportServiceTest.report;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

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
        entities = new EntityServiceImpl(db.database);
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
        return new DashboardServiceImpl(db.database, counts);
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
