package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveIssueRowDTO;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.UpgradeFilter;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

/**
 * The stored findings follow reports and imports (CVE.md §10), on both databases: reports applied,
 * the fixture imported, the refresher run, the fleet views read.
 */
@RunWith(Parameterized.class)
public class CveRefresherTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String KERNEL = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";
    private static final InstalledDTO OPENSSL_OLD = new InstalledDTO("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2");
    private static final InstalledDTO OPENSSL_NEW = new InstalledDTO("libssl3", "3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1");
    private static final InstalledDTO ZLIB = new InstalledDTO("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1");

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private CveFeedServiceImpl feed;
    private CveServiceImpl cves;
    private CveRefresher refresher;
    private CveFleetServiceImpl fleet;

    public CveRefresherTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        feed = new CveFeedServiceImpl(db.database);
        cves = new CveServiceImpl(db.database);
        refresher = new CveRefresher(db.database, java.time.Clock.systemUTC());
        fleet = new CveFleetServiceImpl(db.database, feed, refresher, java.time.Clock.systemUTC(), Duration.ofHours(24), Duration.ofHours(1));
    }

    @After
    public void tearDown() throws Exception {
        fleet.deactivate();
        db.close();
    }

    private void host(String name, InstalledDTO... installed) {
        reports.apply(EntityKind.HOST, name, new ReportDTO("Debian 12", UpdateType.FULL, KERNEL, "6.1.0-18-amd64", List.of(installed),
                List.of(), List.of()));
    }

    /** The stored rows of a host: issue and source → verdict or sub-state. */
    private Map<String, String> stored(String host) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var c = db.dataSource.getConnection(); var ps = c.prepareStatement("select x.issue, x.source_name, coalesce(x.sub_state, x.verdict)"
                + " from host_cve x join host h on h.id = x.host_id where h.name = ?")) {
            ps.setString(1, host);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    /** What the host's CVE tab computes, without what is not stored (fixed, none). */
    private Map<String, String> computed(String host) {
        Map<String, String> out = new TreeMap<>();
        for (CveFindingDTO f : cves.entity(EntityKind.HOST, host).orElseThrow().findings()) {
            if (f.verdict() != CveVerdict.FIXED && f.verdict() != CveVerdict.RUNNING_FIXED) {
                out.put(f.cve() + " " + f.source(), f.subState() != null ? f.subState().name() : f.verdict().name());
            }
        }
        return out;
    }

    private long pending(String host) throws Exception {
        return db.count("select cve_pending from host where name = '" + host + "'");
    }

    @Test
    public void storedFindingsFollowReports() throws Exception {
        host("a.example.org", OPENSSL_OLD, ZLIB);
        host("b.example.org", ZLIB);
        assertEquals("nothing to judge before a feed", 0, refresher.refresh().entities());
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        CveRefresher.Run first = refresher.refresh();
        assertEquals(2, first.entities());
        assertEquals("an entity's first refresh records no events", 0, first.events());
        assertEquals(computed("a.example.org"), stored("a.example.org"));
        assertEquals(computed("b.example.org"), stored("b.example.org"));
        assertEquals("AFFECTED_FIXED", stored("a.example.org").get("CVE-2024-9143 openssl"));
        assertEquals(0, pending("a.example.org"));

        // An unchanged report leaves nothing to do; an upgrade fixes the openssl issue and records it.
        host("b.example.org", ZLIB);
        assertEquals(0, pending("b.example.org"));
        host("a.example.org", OPENSSL_NEW, ZLIB);
        CveRefresher.Run upgrade = refresher.refresh();
        assertEquals(1, upgrade.entities());
        assertEquals(computed("a.example.org"), stored("a.example.org"));
        assertTrue(stored("a.example.org").toString(), !stored("a.example.org").containsKey("CVE-2024-9143 openssl"));
        assertEquals(1, db.count("select count(*) from host_cve_event where event = 'fixed' and issue = 'CVE-2024-9143'"));

        // Deleting a host deletes its findings and their history.
        new EntityServiceImpl(db.database, TestStaleness.DEFAULT).delete(EntityKind.HOST, "a.example.org");
        assertEquals(0, db.count("select count(*) from host_cve_event"));
        assertEquals(stored("b.example.org").size(), db.count("select count(*) from host_cve"));
    }

    @Test
    public void aReportThatRelinksASharedVersionMarksTheOtherHosts() throws Exception {
        InstalledDTO assumed = new InstalledDTO("libssl3", "3.0.14-1~deb12u2+b1", "openssl", null);
        host("a.example.org", assumed);
        host("b.example.org", assumed);
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals(2, refresher.refresh().entities());
        // a's client now reports the source version: the version both hosts share is re-linked (SPEC §2.6).
        host("a.example.org", new InstalledDTO("libssl3", "3.0.14-1~deb12u2+b1", "openssl", "3.0.14-1~deb12u2"));
        assertEquals(0, pending("b.example.org"));
        assertEquals("both hosts judge the re-linked version again", 2, refresher.refresh().entities());
        assertEquals(0, db.count("select count(*) from cve_relinked_version"));
        assertEquals(computed("b.example.org"), stored("b.example.org"));
    }

    @Test
    public void aChangedFeedUpdatesOnlyTheChangedVerdicts() throws Exception {
        host("a.example.org", OPENSSL_OLD, ZLIB);
        host("b.example.org", OPENSSL_OLD);
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        refresher.refresh();
        assertEquals("WONT_FIX", stored("a.example.org").get("CVE-2023-45853 zlib"));
        long unchangedRows = db.count("select count(*) from host_cve x join host h on h.id = x.host_id where h.name = 'a.example.org'") - 1;

        // Debian publishes a fix for the zlib issue that it had ignored.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(CveFeedReaderTest.FIXTURE.toFile());
        ObjectNode bookworm = (ObjectNode) document.get("zlib").get("CVE-2023-45853").get("releases").get("bookworm");
        bookworm.put("status", "resolved").put("fixed_version", "1:1.2.13.dfsg-1+deb12u1").remove("nodsa_reason");
        bookworm.remove("nodsa");
        Path changed = Files.createTempFile("dst-changed", ".json");
        try {
            mapper.writeValue(changed.toFile(), document);
            java.time.LocalDateTime before = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
            feed.importFeed(changed, "file:changed");
            assertTrue("only the host with zlib waits", pending("a.example.org") > 0);
            assertEquals(0, pending("b.example.org"));
            CveRefresher.Run run = refresher.refresh();
            assertEquals(1, run.entities());
            assertEquals(0, run.inserted());
            assertEquals(1, run.updated());
            assertEquals(0, run.deleted());
            assertEquals("AFFECTED_FIXED", stored("a.example.org").get("CVE-2023-45853 zlib"));
            assertEquals(computed("a.example.org"), stored("a.example.org"));
            try (var c = db.dataSource.getConnection(); var ps = c.prepareStatement("select count(*) from host_cve where changed < ?")) {
                ps.setObject(1, before);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals("the other rows were not rewritten", unchangedRows + stored("b.example.org").size(), rs.getLong(1));
                }
            }
            CveFindingDTO zlib = cves.entity(EntityKind.HOST, "a.example.org").orElseThrow().findings().stream()
                    .filter(f -> f.cve().equals("CVE-2023-45853")).findFirst().orElseThrow();
            assertNotNull(zlib.firstSeen());
            assertEquals(1, zlib.events().size());
            assertEquals("fix_released", zlib.events().get(0).event());
            assertEquals("WONT_FIX", zlib.events().get(0).before());
            assertEquals("AFFECTED_FIXED", zlib.events().get(0).after());
        } finally {
            Files.delete(changed);
        }
    }

    @Test
    public void aNodeWhoseSettingsDifferFromTheRecordedOnesLeavesTheRunsToTheOthers() throws Exception {
        host("a.example.org", OPENSSL_OLD);
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals(1, refresher.refresh().entities());
        assertEquals("AFFECTED_FIXED", stored("a.example.org").get("CVE-2024-9143 openssl"));

        // A rolling configuration change: another node, updated first, records its settings and marks every entity.
        CveRules.Settings updated = CveRules.Settings.of("Debian 12=trixie", CveRules.DEFAULT_SIGNED_KERNEL, "");
        assertTrue(CveRules.markIfChanged(db.database, updated));
        assertTrue(pending("a.example.org") > 0);
        // This node, not yet updated, would judge with the old rules: it takes the lease and leaves the work, run after run.
        assertEquals(0, refresher.refresh().entities());
        assertEquals(0, refresher.refresh().entities());
        assertTrue(pending("a.example.org") > 0);
        assertEquals("AFFECTED_FIXED", stored("a.example.org").get("CVE-2024-9143 openssl"));

        // Updated alike, it refreshes: the feed does not cover trixie.
        db.database.cveSettings(updated);
        assertEquals(1, refresher.refresh().entities());
        assertEquals(0, pending("a.example.org"));
        assertEquals(Map.of(), stored("a.example.org"));
        assertEquals(1, db.count("select count(*) from host where cve_coverage = 'release-not-covered'"));
    }

    @Test
    public void aReaderInAnOlderTransactionLeavesTheSharedFeedCacheAlone() throws Exception {
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        long first = db.database.query(db.database::cveFeed).snapshot().id();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(CveFeedReaderTest.FIXTURE.toFile());
        ((ObjectNode) document.get("sudo")).putObject("CVE-2099-0001").putObject("releases").putObject("bookworm")
                .put("status", "open").put("urgency", "high");
        Path changed = Files.createTempFile("dst-changed", ".json");
        try (var old = db.dataSource.getConnection()) {
            // A transaction that began before the next import and reads a consistent snapshot.
            if (kind.equals("h2")) {
                try (var st = old.createStatement()) {
                    st.execute("set session characteristics as transaction isolation level snapshot");
                }
            } else {
                old.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
            }
            old.setAutoCommit(false);
            try (var st = old.createStatement(); var rs = st.executeQuery("select count(*) from cve_snapshot")) {
                rs.next();
            }
            mapper.writeValue(changed.toFile(), document);
            long second = feed.importFeed(changed, "file:changed").id();
            CveServiceImpl.FeedCache shared = db.database.query(db.database::cveFeed);
            assertEquals(second, shared.snapshot().id());

            CveServiceImpl.FeedCache own = db.database.cveFeed(old);
            assertEquals("the older transaction judges with what it sees", first, own.snapshot().id());
            assertSame("and does not swap the shared cache back", shared, db.database.query(db.database::cveFeed));
            old.rollback();
        } finally {
            Files.delete(changed);
        }
    }

    private void sql(String statement) throws Exception {
        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @Test
    public void theTabIsServedFromTheStoredFindingsAsItWouldBeJudged() throws Exception {
        InstalledDTO systemd = new InstalledDTO("systemd", "252.39-1~deb12u1", "systemd", "252.39-1~deb12u1");
        InstalledDTO kernel = new InstalledDTO("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1");
        InstalledDTO thirdParty = new InstalledDTO("acme-agent", "1.0-1", "acme-agent", "1.0-1");
        host("a.example.org", OPENSSL_OLD, ZLIB, systemd, kernel, thirdParty);
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        refresher.refresh();
        List<CveFilter> filters = List.of(CveFilter.DEFAULT, new CveFilter(null, null, null, null, null, Set.of("negligible", "not-affected")),
                new CveFilter("ZLIB", null, null, null, null, Set.of()), new CveFilter(null, null, "WONT_FIX", null, null, Set.of()),
                new CveFilter(null, "unimportant", null, null, null, Set.of("all")));
        List<PageRequest> pages = List.of(PageRequest.first(2), new PageRequest(2, 2, null, false), PageRequest.first(50));
        Map<String, EntityCvesPageDTO> fromStored = new TreeMap<>();
        for (int f = 0; f < filters.size(); f++) {
            for (int p = 0; p < pages.size(); p++) {
                fromStored.put(f + "/" + p, cves.page(EntityKind.HOST, "a.example.org", filters.get(f), pages.get(p)).orElseThrow());
            }
        }
        EntityCvesPageDTO first = fromStored.get("0/2");
        assertTrue(first.findings().items().size() >= 3);
        assertEquals("covered", first.coverage().state());
        assertEquals(List.of("acme-agent"), first.coverage().sources().stream().map(s -> s.source()).toList());
        assertNotNull("a host's tab shows its kernel", first.kernel());

        // Marked for the refresher, the tab judges every source: the same answers.
        sql("update host set cve_pending = 1 where name = 'a.example.org'");
        for (int f = 0; f < filters.size(); f++) {
            for (int p = 0; p < pages.size(); p++) {
                assertEquals(f + "/" + p, fromStored.get(f + "/" + p),
                        cves.page(EntityKind.HOST, "a.example.org", filters.get(f), pages.get(p)).orElseThrow());
            }
        }

        // The counts come from the stored rows...
        sql("update host set cve_pending = 0 where name = 'a.example.org'");
        sql("update host_cve set fix = 'available' where issue = 'CVE-2023-45853'");
        assertEquals(first.counts().fixable() + 1, cves.page(EntityKind.HOST, "a.example.org", CveFilter.DEFAULT, PageRequest.first(50))
                .orElseThrow().counts().fixable());
        // ...but a page whose stored verdicts differ from what the host's rows give now is judged again.
        sql("update host_cve set fix = null, verdict = 'REBOOT_REQUIRED' where issue = 'CVE-2023-45853'");
        assertEquals(first.findings(), cves.page(EntityKind.HOST, "a.example.org", CveFilter.DEFAULT, PageRequest.first(50)).orElseThrow()
                .findings());
    }

    @Test
    public void theStoredCoverageIsTheComputedOneOrNothingWhenTooLong() {
        io.debmonitor.core.model.api.CveCoverageDTO coverage = new io.debmonitor.core.model.api.CveCoverageDTO("bookworm", "covered",
                Map.of("no-entry", 2L, "assumed-version", 0L), List.of(new io.debmonitor.core.model.api.CveCoverageDTO.Source("acme-agent", "1.0-1",
                        "reported", "no entry in the feed for bookworm"), new io.debmonitor.core.model.api.CveCoverageDTO.Source("linux", null, null,
                        "running kernel is not a Debian kernel")));
        String stored = CveServiceImpl.storedCoverage(coverage);
        assertNotNull(stored);
        List<io.debmonitor.core.model.api.CveCoverageDTO.Source> many = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(new io.debmonitor.core.model.api.CveCoverageDTO.Source(java.util.UUID.randomUUID().toString(), "1.0-" + i, "assumed",
                    "source version not reported"));
        }
        assertEquals("too long for its column: not stored, the tab judges every source", null,
                CveServiceImpl.storedCoverage(new io.debmonitor.core.model.api.CveCoverageDTO("bookworm", "covered", Map.of(), many)));
    }

    @Test
    public void fleetViews() throws Exception {
        host("a.example.org", OPENSSL_OLD, ZLIB);
        host("b.example.org", OPENSSL_OLD);
        reports.apply(EntityKind.IMAGE, "registry.example.org/app:1", new ReportDTO("Debian 12", UpdateType.FULL, null, null,
                List.of(OPENSSL_OLD), List.of(), List.of()));
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        refresher.refresh();

        PageDTO<CveIssueRowDTO> issues = fleet.issues(CveFilter.DEFAULT, PageRequest.first(50));
        CveIssueRowDTO openssl = issues.items().stream().filter(r -> r.cve().equals("CVE-2024-9143")).findFirst().orElseThrow();
        assertEquals(2, openssl.hosts());
        assertEquals(1, openssl.images());
        assertEquals(0, openssl.fixable());
        assertEquals(List.of("openssl"), openssl.sources());
        assertEquals(Map.of("AFFECTED_FIXED", 3L), openssl.states());
        assertTrue("negligible issues are hidden by default", issues.items().stream().noneMatch(r -> r.states().containsKey("NEGLIGIBLE")));
        assertEquals(List.of("CVE-2023-45853"), fleet.issues(new CveFilter(null, null, "WONT_FIX", null, null, Set.of()), PageRequest.first(50))
                .items().stream().map(CveIssueRowDTO::cve).toList());
        assertEquals(0, fleet.issues(new CveFilter("zlib", null, null, null, EntityKind.IMAGE, Set.of()), PageRequest.first(50)).total());
        assertEquals(1, fleet.issues(new CveFilter("ZLIB", null, null, null, EntityKind.HOST, Set.of()), PageRequest.first(50)).total());

        PageDTO<CveEntityFindingDTO> findings = fleet.findings("CVE-2024-9143", CveFilter.DEFAULT, PageRequest.first(2));
        assertEquals(3, findings.total());
        assertEquals(2, findings.items().size());
        assertEquals("a.example.org", findings.items().get(0).entity().name());
        assertEquals(CveVerdict.AFFECTED_FIXED, findings.items().get(0).finding().verdict());
        assertNotNull(findings.items().get(0).finding().firstSeen());
        assertEquals(List.of("registry.example.org/app:1"), fleet.findings("CVE-2024-9143", new CveFilter(null, null, null, null,
                EntityKind.IMAGE, Set.of()), PageRequest.first(10)).items().stream().map(f -> f.entity().name()).toList());
        assertEquals(List.of("b.example.org"), fleet.findings("CVE-2024-9143", new CveFilter("B.EX", null, null, null, null, Set.of()),
                PageRequest.first(10)).items().stream().map(f -> f.entity().name()).toList());

        assertEquals("3.0.15-1~deb12u1", fleet.issue("CVE-2024-9143").orElseThrow().debian().stream()
                .filter(d -> d.release().equals("bookworm")).findFirst().orElseThrow().fixedVersion());
        assertTrue(fleet.issue("CVE-1999-0001").isEmpty());

        // The lists' CVE filter and sort key (CVE.md §11.4).
        EntityServiceImpl entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        PageDTO<EntityDTO> affected = entities.list(EntityKind.HOST, new EntityFilter(null, null, UpgradeFilter.ALL, null, null, null, "affected"),
                new PageRequest(1, 10, "cves", true));
        assertEquals(List.of("a.example.org", "b.example.org"), affected.items().stream().map(EntityDTO::name).toList());
        assertTrue(affected.items().toString(), affected.items().get(0).cves() > affected.items().get(1).cves());
        Set<String> headline = Set.of("AFFECTED_FIXED", "RUNNING_AFFECTED", "REBOOT_REQUIRED", "WONT_FIX", "NO_DSA_MINOR", "NO_FIX_YET",
                "FIX_DEFERRED", "UNSUPPORTED", "FIX_QUEUED_POINT_RELEASE");
        assertEquals(computed("b.example.org").values().stream().filter(headline::contains).count(), affected.items().get(1).cves());
        assertEquals(0, entities.list(EntityKind.HOST, new EntityFilter(null, null, UpgradeFilter.ALL, null, null, null, "fixable"),
                PageRequest.first(10)).total());

        CveDashboardDTO dashboard = fleet.dashboard();
        assertEquals(0, dashboard.pending());
        assertEquals(false, dashboard.stale());
        // openssl on two hosts and the image, and the kernel running on both hosts
        assertEquals(Long.valueOf(5), dashboard.matrix().get("not yet assigned").get("fix_not_offered"));
    }
}
