package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;

/** SPEC §1.5–§1.7 and §2.6 on both databases, against the real schema and SQL. */
@RunWith(Parameterized.class)
public class ReportServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;

    public ReportServiceTest(String kind) {
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
        db.close();
    }

    @Test
    public void listenersHearTheRowsEachReportWrote() {
        List<String> heard = new java.util.ArrayList<>();
        reports.listeners = List.of(new io.debmonitor.core.model.api.ActivityListener() {
            @Override
            public void reportApplied(EntityKind k, long rowsWritten) {
                heard.add(k + " " + rowsWritten);
            }
        }, new io.debmonitor.core.model.api.ActivityListener() {
            @Override
            public void reportApplied(EntityKind k, long rowsWritten) {
                throw new IllegalStateException("a broken listener changes nothing");
            }
        });
        reports.apply(EntityKind.HOST, "h1", hostReport(report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "c=1"), List.of(), List.of())));
        reports.apply(EntityKind.HOST, "h1", hostReport(report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "c=1"), List.of(), List.of())));
        reports.apply(EntityKind.HOST, "h1", hostReport(report(UpdateType.FULL, "Debian 12", List.of("a=2", "b=1"), List.of(), List.of())));
        reports.apply(EntityKind.IMAGE, "i:1", report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        // Three inserted; nothing (the unchanged full report); a updated and c deleted; one image row.
        assertEquals(List.of("HOST 3", "HOST 0", "HOST 2", "IMAGE 1"), heard);
        assertEquals(2, entities.find(EntityKind.HOST, "h1").orElseThrow().packages());
    }

    @Test
    public void installedListsEachRowWithItsSourcePackage() {
        reports.apply(EntityKind.IMAGE, "i:1", new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(
                new InstalledDTO("libfoo1", "1.0-1+b1", "foo", "1.0-1"), new InstalledDTO("bar", "2", "bar", null)), List.of(), List.of()));
        // A source version the client did not send is the binary version (SPEC §2.6).
        assertEquals(List.of(new InstalledDTO("bar", "2", "bar", "2"), new InstalledDTO("libfoo1", "1.0-1+b1", "foo", "1.0-1")),
                entities.installed(EntityKind.IMAGE, "i:1"));
        assertEquals(List.of(), entities.installed(EntityKind.HOST, "i:1"));
    }

    @Test
    public void versionsRecordWhetherTheirSourceVersionWasReported() throws Exception {
        reports.apply(EntityKind.IMAGE, "i:1", new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(
                new InstalledDTO("libfoo1", "1.0-1+b1", "foo", "1.0-1"), new InstalledDTO("bar", "2", "bar", null)), List.of(), List.of()));
        assertEquals(1, reportedVersions("libfoo1"));
        assertEquals(0, reportedVersions("bar"));
        // A later report that names bar's source version (the same string) makes it reported; one without leaves it.
        reports.apply(EntityKind.IMAGE, "i:2", new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(
                new InstalledDTO("bar", "2", "bar", "2")), List.of(), List.of()));
        assertEquals(1, reportedVersions("bar"));
        reports.apply(EntityKind.IMAGE, "i:3", new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(
                new InstalledDTO("bar", "2", "bar", null)), List.of(), List.of()));
        assertEquals(1, reportedVersions("bar"));
    }

    @Test
    public void anOsChangeKeepsWhetherSourceVersionsWereReported() throws Exception {
        reports.apply(EntityKind.IMAGE, "i:1", new ReportDTO("Debian", UpdateType.FULL, null, null, List.of(
                new InstalledDTO("libldb2", "2:2.6.2+samba4.17.12+dfsg-0+deb12u1", "samba", null),
                new InstalledDTO("libfoo1", "1.0-1+b1", "foo", "1.0-1")), List.of(), List.of()));
        // An old client's next report names the release: the rows move to versions under the new OS.
        reports.apply(EntityKind.IMAGE, "i:1", new ReportDTO("Debian 12", UpdateType.DPKG_HOOK, null, null, List.of(), List.of(), List.of()));
        String underDebian12 = "select count(*) from package_version pv join package p on p.id = pv.package_id join os o on o.id = pv.os_id"
                + " where o.name = 'Debian 12' and pv.source_reported and p.name = ";
        assertEquals("an assumed source version stays assumed", 0, db.count(underDebian12 + "'libldb2'"));
        assertEquals("a reported one stays reported", 1, db.count(underDebian12 + "'libfoo1'"));
    }

    private long reportedVersions(String pkg) throws Exception {
        return db.count("select count(*) from package_version pv join package p on p.id = pv.package_id where p.name = '" + pkg
                + "' and pv.source_reported");
    }

    private static ReportDTO hostReport(ReportDTO r) {
        return new ReportDTO(r.os(), r.updateType(), "#1 SMP", null, r.installed(), r.uninstalled(), r.upgradable());
    }

    // --- report builders: "a=1" installed, "a 1>2" or "a 1>2 security" upgradable -----------------

    static ReportDTO report(UpdateType type, String os, List<String> installed, List<String> uninstalled, List<String> upgradable) {
        List<InstalledDTO> inst = installed.stream().map(s -> {
            String[] p = s.split("=");
            return new InstalledDTO(p[0], p[1], p[0] + "-src", null);
        }).collect(Collectors.toList());
        List<UpgradableDTO> upg = upgradable.stream().map(s -> {
            String[] p = s.split(" ");
            String[] v = p[1].split(">");
            return new UpgradableDTO(p[0], v[0], v[1], p[0] + "-src", null, p.length > 2 ? p[2] : null);
        }).collect(Collectors.toList());
        return new ReportDTO(os, type, "#1 SMP Debian 6.1.76-1", "6.1.0-18-amd64", inst, uninstalled, upg);
    }

    /** The host's rows as text; first checks that its stored counters agree with its rows. */
    private String rows(String host) {
        String id = "(select id from host where name = '" + host + "')";
        String counters = "select %s from host where id = " + id;
        String rows = "select count(*) from host_package where host_id = " + id;
        try {
            assertEquals(db.count(rows), db.count(String.format(counters, "package_count")));
            assertEquals(db.count(rows + " and upgrade_version_id is not null"), db.count(String.format(counters, "upgrade_count")));
            assertEquals(db.count(rows + " and upgrade_version_id is not null and upgrade_type = 'security'"),
                    db.count(String.format(counters, "security_count")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return entities.rows(EntityKind.HOST, host).stream()
                .map(r -> r.name() + ":" + r.version() + (r.upgrade() == null ? "" : ">" + r.upgrade())
                        + (r.upgradeType() == null ? "" : " " + r.upgradeType()))
                .collect(Collectors.joining(", "));
    }

    private void apply(String host, ReportDTO report) {
        reports.apply(EntityKind.HOST, host, report);
    }

    @Test
    public void scenarioTableOfSection16() {
        String h = "db1001.eqiad.example.org";
        apply(h, report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "c=1"), List.of(), List.of("a 1>2")));
        assertEquals("a:1>2, b:1, c:1", rows(h));
        apply(h, report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of("a 1>3", "b 1>2", "d 4>5")));
        assertEquals("a:1>3, b:1>2, c:1, d:4>5", rows(h));
        apply(h, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=3", "e=1"), List.of("b", "x"), List.of()));
        assertEquals("a:3, c:1, d:4>5, e:1", rows(h));
        apply(h, report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of("c 1>1")));
        assertEquals("a:3, c:1, d:4>5, e:1", rows(h));
        apply(h, report(UpdateType.FULL, "Debian 12", List.of("a=3", "e=1"), List.of(), List.of("e 1>2 security")));
        assertEquals("a:3, e:1>2 security", rows(h));
        apply(h, report(UpdateType.FULL, "Debian 12", List.of("a=3", "e=1"), List.of(), List.of()));
        assertEquals("a:3, e:1", rows(h));
        EntityDTO host = entities.find(EntityKind.HOST, h).orElseThrow();
        assertEquals("Debian 12", host.os());
        assertEquals("#1 SMP Debian 6.1.76-1", host.kernel());
        assertEquals("6.1.0-18-amd64", host.kernelRelease());
        assertEquals(2, host.packages());
    }

    @Test
    public void dpkgEqualUpgradeOfUntrackedPackageHasNoUpgrade() {
        apply("h1", report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of("z 1.0>1.0-0", "y 1>2 ")));
        assertEquals("y:1>2, z:1.0", rows("h1"));
    }

    @Test
    public void repeatedNamesLastOccurrenceWins() {
        apply("h1", report(UpdateType.FULL, "Debian 12", List.of("a=1", "a=2"), List.of(), List.of("a 2>3", "a 2>4 security")));
        assertEquals("a:2>4 security", rows("h1"));
    }

    @Test
    public void keepAliveUpdatesTimeAndKernelOnly() throws Exception {
        apply("h1", report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        EntityDTO before = entities.find(EntityKind.HOST, "h1").orElseThrow();
        ReportDTO keepAlive = new ReportDTO("Debian 12", UpdateType.UPGRADABLE, "#2 SMP", null, List.of(), List.of(), List.of());
        apply("h1", keepAlive);
        EntityDTO after = entities.find(EntityKind.HOST, "h1").orElseThrow();
        assertEquals("a:1", rows("h1"));
        assertEquals("#2 SMP", after.kernel());
        assertEquals(null, after.kernelRelease());
        assertTrue(!after.modified().isBefore(before.modified()));
        assertEquals(before.created(), after.created());
    }

    @Test
    public void sourceVersionRelinkSequenceOfSection26() throws Exception {
        String spv = "select spv.version from package_version pv join source_package_version spv"
                + " on spv.id = pv.source_package_version_id join package p on p.id = pv.package_id where p.name = 'libc6'";
        InstalledDTO plain = new InstalledDTO("libc6", "2.36-9+deb12u4+b1", "glibc", null);
        InstalledDTO withSource = new InstalledDTO("libc6", "2.36-9+deb12u4+b1", "glibc", "2.36-9+deb12u4");
        apply("h1", new ReportDTO("Debian 12", UpdateType.FULL, "k", null, List.of(plain), List.of(), List.of()));
        assertEquals("2.36-9+deb12u4+b1", single(spv));
        apply("h2", new ReportDTO("Debian 12", UpdateType.FULL, "k", null, List.of(withSource), List.of(), List.of()));
        assertEquals("2.36-9+deb12u4", single(spv));
        apply("h1", new ReportDTO("Debian 12", UpdateType.FULL, "k", null, List.of(plain), List.of(), List.of()));
        assertEquals("2.36-9+deb12u4", single(spv));
        // A different source name re-links even without source_version, to the binary version.
        InstalledDTO renamed = new InstalledDTO("libc6", "2.36-9+deb12u4+b1", "glibc-new", null);
        apply("h1", new ReportDTO("Debian 12", UpdateType.FULL, "k", null, List.of(renamed), List.of(), List.of()));
        assertEquals("2.36-9+deb12u4+b1", single(spv));
        assertEquals(1, db.count("select count(*) from package_version"));
    }

    @Test
    public void osChangeMovesEveryRowToTheNewOs() throws Exception {
        apply("h1", report(UpdateType.FULL, "Debian 11", List.of("a=1", "b=1"), List.of(), List.of("a 1>2 security")));
        apply("h1", report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of()));
        assertEquals("a:1>2 security, b:1", rows("h1"));
        String rowsOnOldOs = "select count(*) from host_package r join package_version pv on pv.id in (r.installed_version_id,"
                + " r.upgrade_version_id) join os on os.id = pv.os_id where os.name = 'Debian 11'";
        assertEquals(0, db.count(rowsOnOldOs));
        assertEquals(3, db.count("select count(*) from package_version pv join os on os.id = pv.os_id"
                + " join source_package_version spv on spv.id = pv.source_package_version_id"
                + " where os.name = 'Debian 12' and spv.os_id = os.id"));
        assertEquals("Debian 12", entities.find(EntityKind.HOST, "h1").orElseThrow().os());
    }

    @Test
    public void unchangedFullReportOf2000PackagesTakesAHandfulOfStatements() throws Exception {
        List<String> installed = new ArrayList<>();
        List<String> upgradable = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            installed.add(String.format("pkg%04d=1.%d-1", i, i));
            if (i % 10 == 0) {
                upgradable.add(String.format("pkg%04d 1.%d-1>1.%d-2%s", i, i, i, i % 20 == 0 ? " security" : ""));
            }
        }
        ReportDTO full = report(UpdateType.FULL, "Debian 12", installed, List.of(), upgradable);
        apply("big", full);
        assertEquals(2000, entities.find(EntityKind.HOST, "big").orElseThrow().packages());
        assertEquals(200, entities.find(EntityKind.HOST, "big").orElseThrow().upgrades());
        assertEquals(100, entities.find(EntityKind.HOST, "big").orElseThrow().security());

        List<String> before = db.dump();
        db.statements.set(0);
        apply("big", full);
        int used = db.statements.get();
        assertTrue("an unchanged 2,000-package report used " + used + " statements", used <= 12);
        List<String> after = db.dump();
        after.removeIf(row -> row.startsWith("host|"));
        before.removeIf(row -> row.startsWith("host|"));
        assertEquals(before, after);
    }

    /** The unchanged-report shortcut must not skip what a partial report changed in between. */
    @Test
    public void identicalFullReportAfterAPartialOneStillRestoresTheFullState() {
        ReportDTO full = report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1"), List.of(), List.of("a 1>2"));
        apply("h1", full);
        apply("h1", full);
        assertEquals("a:1>2, b:1", rows("h1"));
        apply("h1", report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=2", "x=9"), List.of("b"), List.of()));
        assertEquals("a:2, x:9", rows("h1"));
        apply("h1", full);
        assertEquals("a:1>2, b:1", rows("h1"));
        apply("h1", report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of("b 1>3")));
        apply("h1", full);
        assertEquals("a:1>2, b:1", rows("h1"));
    }

    @Test
    public void concurrentNewHostsSharingNewPackagesAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            List<String> shared = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                shared.add("shared" + i + "=1");
            }
            for (int h = 0; h < 8; h++) {
                String host = "host" + h;
                List<String> installed = new ArrayList<>(shared);
                installed.add("own=" + host);
                tasks.add(() -> {
                    apply(host, report(UpdateType.FULL, "Debian 13", installed, List.of(), List.of("shared1 1>2")));
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(8, db.count("select count(*) from host"));
        assertEquals(8 * 301, db.count("select count(*) from host_package"));
        assertEquals(300 + 8 + 1, db.count("select count(*) from package_version"));
    }

    /** Ids of shared rows are remembered across reports; rows deleted behind the server's back are recreated. */
    @Test
    public void sharedRowsDeletedBehindTheServerAreCreatedAgain() throws Exception {
        apply("h1", report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1"), List.of(), List.of("a 1>2")));
        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            for (String table : List.of("host_package", "host_event", "host", "kernel", "package_version", "source_package_version",
                    "source_package", "package", "os")) {
                st.executeUpdate("delete from " + table);
            }
        }
        apply("h2", report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1"), List.of(), List.of("a 1>2")));
        assertEquals("a:1>2, b:1", rows("h2"));
        assertEquals("Debian 12", entities.find(EntityKind.HOST, "h2").orElseThrow().os());
        assertEquals("a-src", single("select sp.name from package_version pv join source_package_version spv"
                + " on spv.id = pv.source_package_version_id join source_package sp on sp.id = spv.source_package_id"
                + " where pv.version = '2'"));
    }

    @Test
    public void deleteRemovesHostAndRowsButKeepsVersions() throws Exception {
        apply("h1", report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1"), List.of(), List.of()));
        assertEquals(2, entities.delete(EntityKind.HOST, "h1"));
        assertEquals(-1, entities.delete(EntityKind.HOST, "h1"));
        assertTrue(entities.find(EntityKind.HOST, "h1").isEmpty());
        assertEquals(0, db.count("select count(*) from host_package"));
        assertEquals(2, db.count("select count(*) from package_version"));
    }

    @Test
    public void namesAreCaseSensitiveOnEveryDatabase() {
        apply("h1", report(UpdateType.FULL, "Debian 12", List.of("Pkg=1", "pkg=1"), List.of(), List.of()));
        assertEquals("Pkg:1, pkg:1", rows("h1"));
        apply("H1", report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        assertEquals("a:1", rows("H1"));
    }

    @Test
    public void kernelSlugsAreUniquePerOs() throws Exception {
        reports.apply(EntityKind.HOST, "k1", new ReportDTO("Debian 12", UpdateType.FULL, "#1 SMP Debian", null, List.of(), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "k2", new ReportDTO("Debian 12", UpdateType.FULL, "#1 smp debian", null, List.of(), List.of(), List.of()));
        assertEquals(1, db.count("select count(*) from kernel where slug = '1-smp-debian'"));
        assertEquals(1, db.count("select count(*) from kernel where slug = '1-smp-debian-2'"));
    }

    private String single(String sql) throws Exception {
        try (var c = db.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            String value = rs.getString(1);
            assertTrue("more than one row for " + sql, !rs.next());
            return value;
        }
    }
}
