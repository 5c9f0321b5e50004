package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

/**
 * The tracker's side files through the real path on both databases (CVE.md §1.5, §1.7, §2.4): the
 * fixture and the README's DSA excerpt imported, reports applied, findings read; the release map,
 * signed kernel sources and VM image settings.
 */
@RunWith(Parameterized.class)
public class CveListImportsTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String KERNEL_6176 = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";

    private final String kind;
    private TestDatabase db;
    private Path dir;
    private ReportServiceImpl reports;
    private CveFeedServiceImpl feed;
    private CveServiceImpl cves;
    private CveRefresher refresher;
    private CveFleetServiceImpl fleet;

    public CveListImportsTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        dir = Files.createTempDirectory("cve-lists");
        reports = new ReportServiceImpl(db.database);
        feed = new CveFeedServiceImpl(db.database);
        cves = new CveServiceImpl(db.database);
        refresher = new CveRefresher(db.database, Clock.systemUTC());
        fleet = new CveFleetServiceImpl(db.database, feed, refresher, Clock.systemUTC(), Duration.ofHours(24), Duration.ofHours(1));
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
    }

    @After
    public void tearDown() throws Exception {
        fleet.deactivate();
        db.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private Path file(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private void host(String name, String os, List<InstalledDTO> installed) {
        reports.apply(EntityKind.HOST, name, new ReportDTO(os, UpdateType.FULL, KERNEL_6176, "6.1.0-18-amd64", installed, List.of(), List.of()));
    }

    private void image(String name, List<InstalledDTO> installed) {
        reports.apply(EntityKind.IMAGE, name, new ReportDTO("Debian 12", UpdateType.FULL, null, null, installed, List.of(), List.of()));
    }

    private static CveFindingDTO finding(EntityCvesDTO cves, String source, String cve) {
        return cves.findings().stream().filter(f -> f.source().equals(source) && f.cve().equals(cve)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + source + " " + cve + " in " + cves.findings()));
    }

    private CveFindingDTO finding(EntityKind kind, String entity, String source, String cve) {
        return finding(cves.entity(kind, entity).orElseThrow(), source, cve);
    }

    private String string(String sql) throws Exception {
        try (var c = db.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long pending() throws Exception {
        return db.count("select (select count(*) from host where cve_pending > 0) + (select count(*) from image where cve_pending > 0)");
    }

    @Test
    public void case26TheSudoFindingIsLabelledWithItsDsaOnceTheListIsImported() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null),
                new InstalledDTO("libssl1.1", "1.1.1n-0+deb11u3", "openssl", "1.1.1n-0+deb11u3")));
        CveFindingDTO before = finding(EntityKind.HOST, "h11", "sudo", "CVE-2023-22809");
        assertEquals(CveVerdict.AFFECTED_FIXED, before.verdict());
        assertNull("without an advisory list, no label", before.advisory());
        assertNull(before.explanation().advisory());

        CveListImportDTO imported = feed.importList(CveListKind.DSA, file("DSA", CveListReaderTest.excerpt()), "file:DSA", null);
        assertEquals("active", imported.result());
        assertEquals(CveListKind.DSA, imported.kind());
        assertEquals(2, imported.entries());
        CveFindingDTO sudo = finding(EntityKind.HOST, "h11", "sudo", "CVE-2023-22809");
        assertEquals("the advisory labels, never judges (CVE.md §1.7)", CveVerdict.AFFECTED_FIXED, sudo.verdict());
        assertEquals("1.9.5p2-3+deb11u1", sudo.fixedVersion());
        assertEquals("DSA-5321-1", sudo.advisory());
        assertEquals("DSA-5321-1 (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)", sudo.explanation().advisory());
        assertEquals("DSA-5343-1", finding(EntityKind.HOST, "h11", "openssl", "CVE-2023-0286").advisory());
        // The tab's page carries it as well; a finding no advisory names has none.
        List<CveFindingDTO> page = cves.page(EntityKind.HOST, "h11", new CveFilter("sudo", null, null, null, null, java.util.Set.of("all")),
                PageRequest.first(10)).orElseThrow().findings().items();
        assertEquals(List.of("DSA-5321-1"), page.stream().map(CveFindingDTO::advisory).distinct().toList());

        // /cves/{id}: the stored finding's object and Debian's row of the release the advisory names.
        refresher.refresh();
        List<CveEntityFindingDTO> items = fleet.findings("CVE-2023-22809", CveFilter.DEFAULT, PageRequest.first(10)).items();
        assertEquals(1, items.size());
        assertEquals("DSA-5321-1", items.get(0).finding().advisory());
        CveIssueDTO issue = fleet.issue("CVE-2023-22809").orElseThrow();
        assertEquals("DSA-5321-1", issue.debian().stream().filter(d -> d.release().equals("bullseye")).findFirst().orElseThrow().advisory());
        assertNull(issue.debian().stream().filter(d -> d.release().equals("bookworm")).findFirst().orElseThrow().advisory());
    }

    @Test
    public void aRegressionAdvisoryInheritsButTheFixedVersionPicksTheAdvisory() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("libssl1.1", "1.1.1n-0+deb11u3", "openssl", "1.1.1n-0+deb11u3")));
        feed.importList(CveListKind.DSA, file("DSA", CveListReaderTest.REGRESSION + CveListReaderTest.excerpt()), "file:DSA", null);
        assertEquals(3, db.count("select count(*) from cve_advisory a join cve_list_import l on l.id = a.list_id and l.result = 'active'"));
        assertEquals("DSA-5343-2 names CVE-2023-0286 too", 2, db.count("select count(*) from cve_advisory_issue where issue = 'CVE-2023-0286'"));
        CveFindingDTO openssl = finding(EntityKind.HOST, "h11", "openssl", "CVE-2023-0286");
        assertEquals("the advisory whose version is the feed's fixed version", "DSA-5343-1", openssl.advisory());
    }

    @Test
    public void importsReplaceAtOnceSkipTheSameFileAndRefuseWhatIsNoList() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null)));
        refresher.refresh();
        Path excerpt = file("DSA", CveListReaderTest.excerpt());
        CveListImportDTO first = feed.importList(CveListKind.DSA, excerpt, "https://salsa.example.org/DSA/list",
                Instant.parse("2023-02-07T10:00:00Z"));
        assertEquals(Instant.parse("2023-02-07T10:00:00Z"), first.lastModified());
        assertEquals(Instant.parse("2023-02-07T10:00:00Z"), feed.lists().get(0).lastModified());
        assertEquals(64, first.sha256().length());
        CveListImportDTO again = feed.importList(CveListKind.DSA, excerpt, "file:DSA", null);
        assertEquals("unchanged", again.result());
        assertNull(again.lastModified());
        assertEquals(2, again.entries());
        assertEquals("nothing imported twice", 2, db.count("select count(*) from cve_advisory"));
        assertEquals(List.of(first.id(), again.id()), feed.lists().stream().map(CveListImportDTO::id).toList());

        // Garbage: refused with one line, recorded, and the active list stays.
        for (String garbage : List.of("{\"sudo\": {}}", "", "[31 Jan 2024] DLA-3725-1 libde265 - security update\n")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> feed.importList(CveListKind.DSA, file("bad", garbage), "file:bad", null));
            assertFalse(e.getMessage().contains("\n"));
            CveListImportDTO failed = feed.lists().get(1);
            assertEquals("failed", failed.result());
            assertEquals(e.getMessage(), failed.error());
            assertEquals(first.id(), feed.lists().get(0).id());
            assertEquals("DSA-5321-1", finding(EntityKind.HOST, "h11", "sudo", "CVE-2023-22809").advisory());
        }
        assertThrows(IllegalArgumentException.class, () -> feed.importList(CveListKind.DLA, dir.resolve("missing"), "file:missing", null));

        // A new list replaces the old one: the advisory it no longer has labels nothing.
        String without = CveListReaderTest.excerpt().substring(0, CveListReaderTest.excerpt().indexOf("[18 Jan 2023]"));
        CveListImportDTO second = feed.importList(CveListKind.DSA, file("DSA2", without), "file:DSA2", null);
        assertEquals(1, second.entries());
        assertNull(finding(EntityKind.HOST, "h11", "sudo", "CVE-2023-22809").advisory());
        assertEquals("superseded", string("select result from cve_list_import where id = " + first.id()));
        // The next import deletes the superseded and failed rows first.
        feed.importList(CveListKind.DLA, file("DLA", "[31 Jan 2024] DLA-3725-1 libde265 - security update\n\t{CVE-2023-49465}\n"
                + "\t[buster] - libde265 1.0.3-1+deb10u3\n"), "file:DLA", null);
        assertEquals(0, db.count("select count(*) from cve_advisory where list_id = " + first.id()));
        assertEquals(List.of(CveListKind.DSA, CveListKind.DLA), feed.lists().stream().map(CveListImportDTO::kind).distinct().toList());
        assertEquals("the advisory lists change no verdict: nothing to recompute", 0, pending());

        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("update job_lease set holder = 'other-node/1', expires = '2999-01-01 00:00:00' where name = 'cve-list-import'");
        }
        assertThrows(IllegalStateException.class, () -> feed.importList(CveListKind.DSA, excerpt, "file:DSA", null));
    }

    @Test
    public void distributionsJsonWinsOverTheStaticTableAndMarksEveryEntity() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null)));
        host("h12", "Debian 12", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null)));
        refresher.refresh();
        assertEquals(0, pending());
        assertEquals("bullseye", cves.entity(EntityKind.HOST, "h11").orElseThrow().coverage().release());

        // A (made-up) distributions.json that calls bookworm 11: Debian 11 is then judged as bookworm, and 12 is unknown.
        CveListImportDTO remap = feed.importList(CveListKind.DISTRIBUTIONS, file("d1.json",
                "{\"bookworm\": {\"major-version\": \"11\", \"support\": \"security\"}, \"sid\": {\"major-version\": \"\"}}"), "file:d1.json", null);
        assertEquals(2, remap.entries());
        assertEquals(2, pending());
        EntityCvesDTO h11 = cves.entity(EntityKind.HOST, "h11").orElseThrow();
        assertEquals("bookworm", h11.coverage().release());
        assertEquals("1.9.12p2-1", finding(h11, "sudo", "CVE-2023-22809").fixedVersion());
        assertEquals("release-unknown", cves.entity(EntityKind.HOST, "h12").orElseThrow().coverage().state());
        refresher.refresh();
        assertEquals("the refresher stored what the tab shows", "covered", string("select cve_coverage from host where name = 'h11'"));
        assertEquals("release-unknown", string("select cve_coverage from host where name = 'h12'"));

        // The real mapping: back to the static table's answers. The same mapping again (another support text) marks nothing.
        feed.importList(CveListKind.DISTRIBUTIONS, file("d2.json", "{\"bullseye\": {\"major-version\": \"11\", \"support\": \"lts\"},"
                + " \"bookworm\": {\"major-version\": \"12\"}, \"sid\": {\"major-version\": \"\"}}"), "file:d2.json", null);
        assertEquals("bullseye", cves.entity(EntityKind.HOST, "h11").orElseThrow().coverage().release());
        assertEquals("bookworm", cves.entity(EntityKind.HOST, "h12").orElseThrow().coverage().release());
        refresher.refresh();
        feed.importList(CveListKind.DISTRIBUTIONS, file("d3.json", "{\"bullseye\": {\"major-version\": \"11\", \"support\": \"elts\"},"
                + " \"bookworm\": {\"major-version\": \"12\"}, \"sid\": {\"major-version\": \"\"}}"), "file:d3.json", null);
        assertEquals(0, pending());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> feed.importList(CveListKind.DISTRIBUTIONS, file("bad.json", "[07 Feb 2023] DSA-5343-1"), "file:bad.json", null));
        assertEquals("distributions.json must be a JSON object of codenames.", e.getMessage());
        assertEquals("bookworm", cves.entity(EntityKind.HOST, "h12").orElseThrow().coverage().release());
    }

    @Test
    public void aDistributionsJsonThatAgreesWithTheStaticTableMarksNothing() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null)));
        host("h12", "Debian 12", List.of(new InstalledDTO("sudo", "1.9.5p2-3", "sudo", null)));
        refresher.refresh();
        assertEquals(0, pending());
        StringBuilder json = new StringBuilder("{\"sid\": {\"major-version\": \"\", \"support\": \"none\"}");
        CveRules.CODENAMES.forEach((major, codename) -> json.append(", \"").append(codename).append("\": {\"major-version\": \"").append(major)
                .append("\"}"));
        CveListImportDTO first = feed.importList(CveListKind.DISTRIBUTIONS, file("d.json", json.append('}').toString()), "file:d.json", null);
        assertEquals("active", first.result());
        assertEquals(10, first.entries());
        assertEquals("the codenames judging uses did not change: nothing to recompute", 0, pending());
        assertEquals("bullseye", cves.entity(EntityKind.HOST, "h11").orElseThrow().coverage().release());
    }

    @Test
    public void aCodenameWithoutAMajorVersionInDistributionsJsonKeepsTheStaticTables() throws Exception {
        // The tracker gives testing no major version until its release.
        assertEquals("forky", CveRules.codenames(Map.of("forky", "", "sid", "")).get("14"));
        assertEquals("trixie", CveRules.codenames(Map.of("bookworm", "12", "trixie", "")).get("13"));
        assertNull("a codename it numbers loses the static number", CveRules.codenames(Map.of("bookworm", "11")).get("12"));

        host("h14", "Debian 14", List.of(new InstalledDTO("sudo", "1.9.16p2-1", "sudo", null)));
        assertEquals("forky", cves.entity(EntityKind.HOST, "h14").orElseThrow().coverage().release());
        feed.importList(CveListKind.DISTRIBUTIONS, file("d.json", "{\"bookworm\": {\"major-version\": \"12\"},"
                + " \"forky\": {\"major-version\": \"\", \"support\": \"none\"}, \"sid\": {\"major-version\": \"\"}}"), "file:d.json", null);
        EntityCvesDTO h14 = cves.entity(EntityKind.HOST, "h14").orElseThrow();
        assertEquals("forky", h14.coverage().release());
        assertEquals("the feed has no forky rows", "release-not-covered", h14.coverage().state());
    }

    /** Advisories naming issues whose findings are open, untriaged, fixed by a later advisory, or fixed before the feed's fix. */
    private static final String GLIBC_DSA = "[20 Feb 2025] DSA-9002-1 glibc - security update\n"
            + "\t{CVE-2025-0395 TEMP-0000000-D3B0C1}\n"
            + "\t[bullseye] - glibc 2.31-13+deb11u12\n"
            + "\t[bookworm] - glibc 2.36-9+deb12u11\n"
            + "[10 Feb 2025] DSA-9001-1 glibc - security update\n"
            + "\t{CVE-2025-0395 CVE-2023-4911}\n"
            + "\t[bookworm] - glibc 2.36-9+deb12u2\n"
            + "[01 Jul 2024] DSA-9000-1 linux - security update\n"
            + "\t{CVE-2024-38550}\n"
            + "\t[bookworm] - linux 6.1.94-1\n";

    @Test
    public void onlyFindingsWithAFixDebianPublishedAreLabelledByTheAdvisoryThatShippedIt() throws Exception {
        host("h11", "Debian 11", List.of(new InstalledDTO("libc6", "2.31-13+deb11u11", "glibc", "2.31-13+deb11u11")));
        host("h12", "Debian 12", List.of(new InstalledDTO("libc6", "2.36-9+deb12u9", "glibc", "2.36-9+deb12u9"),
                new InstalledDTO("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1")));
        image("registry.example.org/app:1", List.of(new InstalledDTO("linux-libc-dev", "6.1.76-1", "linux", "6.1.76-1")));
        feed.importList(CveListKind.DSA, file("DSA", GLIBC_DSA), "file:DSA", null);

        CveFindingDTO open = finding(EntityKind.HOST, "h11", "glibc", "CVE-2025-0395");
        assertEquals(CveVerdict.AFFECTED_OPEN, open.verdict());
        assertNull("open in bullseye: no advisory shipped a fix, whatever the list says", open.advisory());
        assertNull(open.explanation().advisory());
        CveFindingDTO untriaged = finding(EntityKind.HOST, "h12", "glibc", "TEMP-0000000-D3B0C1");
        assertEquals(CveVerdict.NEEDS_TRIAGE, untriaged.verdict());
        assertNull(untriaged.advisory());

        CveFindingDTO fixed = finding(EntityKind.HOST, "h12", "glibc", "CVE-2025-0395");
        assertEquals(CveVerdict.AFFECTED_FIXED, fixed.verdict());
        assertEquals("2.36-9+deb12u10", fixed.fixedVersion());
        assertEquals("not the older advisory: the lowest one at or above the fix", "DSA-9002-1", fixed.advisory());
        CveFindingDTO earlier = finding(EntityKind.HOST, "h12", "glibc", "CVE-2023-4911");
        assertEquals(CveVerdict.FIXED, earlier.verdict());
        assertNull("an advisory below the fixed version did not ship the fix", earlier.advisory());
        assertEquals("DSA-9000-1", finding(EntityKind.HOST, "h12", "linux", "CVE-2024-38550").advisory());
        CveFindingDTO headers = finding(EntityKind.IMAGE, "registry.example.org/app:1", "linux", "CVE-2024-38550");
        assertEquals(CveVerdict.KERNEL_HEADERS_ONLY, headers.verdict());
        assertEquals("its base verdict has the fix", "DSA-9000-1", headers.advisory());

        // /cves/{id}: Debian's rows, and the stored findings' objects.
        CveIssueDTO issue = fleet.issue("CVE-2025-0395").orElseThrow();
        Map<String, String> byRelease = new java.util.TreeMap<>();
        issue.debian().forEach(d -> byRelease.put(d.release(), String.valueOf(d.advisory())));
        assertEquals(Map.of("bullseye", "null", "bookworm", "DSA-9002-1", "sid", "null"), byRelease);
        refresher.refresh();
        List<CveEntityFindingDTO> items = fleet.findings("CVE-2025-0395", new CveFilter(null, null, null, null, null, Set.of("all")),
                PageRequest.first(10)).items();
        Map<String, String> byHost = new java.util.TreeMap<>();
        items.forEach(i -> byHost.put(i.entity().name(), String.valueOf(i.finding().advisory())));
        assertEquals(Map.of("h11", "null", "h12", "DSA-9002-1"), byHost);
    }

    @Test
    public void theBestAdvisoryIsTheFeedsFixElseTheLowestAtOrAboveItElseNone() {
        CveListImports.Label older = new CveListImports.Label("DSA-1-1", "1.0-1+deb12u1");
        CveListImports.Label exact = new CveListImports.Label("DSA-2-1", "1.0-1+deb12u2");
        CveListImports.Label later = new CveListImports.Label("DSA-3-1", "1.0-1+deb12u3");
        CveListImports.Label latest = new CveListImports.Label("DSA-4-1", "1.0-1+deb12u4");
        CveListImports.Label none = new CveListImports.Label("DSA-5-1", null);
        assertEquals(exact, CveListImports.best(List.of(latest, older, none, exact, later), "1.0-1+deb12u2"));
        assertEquals(later, CveListImports.best(List.of(latest, older, none, later), "1.0-1+deb12u2"));
        assertNull(CveListImports.best(List.of(older, none), "1.0-1+deb12u2"));
        assertNull(CveListImports.best(List.of(exact), null));
        assertNull(CveListImports.best(List.of(), "1"));
    }

    @Test
    public void theReleaseMapMapsAnOsWithoutANumber() throws Exception {
        host("hsid", "Debian", List.of(new InstalledDTO("libc6", "2.40-5", "glibc", "2.40-5")));
        refresher.refresh();
        assertEquals("release-unknown", cves.entity(EntityKind.HOST, "hsid").orElseThrow().coverage().state());

        CveRules.Settings settings = CveRules.Settings.of("Debian=sid, Raspbian GNU/Linux 12=bookworm", CveRules.DEFAULT_SIGNED_KERNEL, "");
        db.database.cveSettings(settings);
        assertTrue("other settings than the stored findings': every entity is recomputed", CveRules.markIfChanged(db.database, settings));
        assertEquals(1, pending());
        assertFalse(CveRules.markIfChanged(db.database, settings));
        EntityCvesDTO sid = cves.entity(EntityKind.HOST, "hsid").orElseThrow();
        assertEquals("covered", sid.coverage().state());
        assertEquals("sid", sid.coverage().release());
        CveFindingDTO glibc = finding(sid, "glibc", "CVE-2025-0395");
        assertEquals("2.40-5 < sid's fix 2.40-6", CveVerdict.AFFECTED_FIXED, glibc.verdict());
        host("hpi", "Raspbian GNU/Linux 12", List.of(new InstalledDTO("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2")));
        assertEquals("bookworm", cves.entity(EntityKind.HOST, "hpi").orElseThrow().coverage().release());
        refresher.refresh();
        assertEquals("covered", string("select cve_coverage from host where name = 'hsid'"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CveRules.Settings.of("Debian", "", ""));
        assertEquals("cve releaseMap: 'Debian' is not an 'OS name=codename' pair (e.g. 'Debian=sid').", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CveRules.Settings.of("", "^linux-signed-(amd64", ""));
    }

    @Test
    public void vmImagesJudgeTheirKernelAndOtherSignedSourcesMapToLinux() throws Exception {
        InstalledDTO signed = new InstalledDTO("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1");
        image("registry.example.org/vm/debian:12", List.of(signed));
        image("registry.example.org/app:1", List.of(signed, new InstalledDTO("linux-libc-dev", "6.1.76-1", "linux", "6.1.76-1")));
        assertEquals(CveVerdict.KERNEL_HEADERS_ONLY, finding(EntityKind.IMAGE, "registry.example.org/vm/debian:12", "linux", "CVE-2024-38550").verdict());

        CveRules.Settings settings = CveRules.Settings.of("", "^linux-signed-.*$|^acme-kernel-signed$", "registry.example.org/vm/*, *.qcow2");
        db.database.cveSettings(settings);
        CveFindingDTO vm = finding(EntityKind.IMAGE, "registry.example.org/vm/debian:12", "linux", "CVE-2024-38550");
        assertEquals("judged like any source on its installed version (CVE.md §6)", CveVerdict.AFFECTED_FIXED, vm.verdict());
        assertEquals("6.1.76-1", vm.sourceVersion());
        assertEquals(CveVerdict.KERNEL_HEADERS_ONLY, finding(EntityKind.IMAGE, "registry.example.org/app:1", "linux", "CVE-2024-38550").verdict());

        // A signed kernel source of the site's own, mapped to linux by kernelSignedSources.
        host("hacme", "Debian 12", List.of(new InstalledDTO("linux-image-6.1.0-18-amd64", "6.1.76-1", "acme-kernel-signed", "6.1.76+acme1")));
        EntityCvesDTO acme = cves.entity(EntityKind.HOST, "hacme").orElseThrow();
        assertEquals(CveVerdict.RUNNING_AFFECTED, finding(acme, "linux", "CVE-2024-38550").verdict());
        assertEquals(List.of("linux-image-6.1.0-18-amd64"), finding(acme, "linux", "CVE-2024-38550").binaries().stream()
                .map(CveFindingDTO.Binary::name).toList());
        assertTrue(acme.coverage().sources().stream().noneMatch(s -> s.source().equals("acme-kernel-signed")));
        // /cves/{id} reads the linux group's rows by source name: the wrapper's rows come with it.
        CveRules.markIfChanged(db.database, settings);
        refresher.refresh();
        CveFindingDTO stored = fleet.findings("CVE-2024-38550", new CveFilter("hacme", null, null, null, null, java.util.Set.of("all")),
                PageRequest.first(10)).items().get(0).finding();
        assertEquals(List.of("linux-image-6.1.0-18-amd64"), stored.binaries().stream().map(CveFindingDTO.Binary::name).toList());
        try (var c = db.dataSource.getConnection()) {
            assertEquals(List.of("acme-kernel-signed", "linux-signed-amd64"), CveRules.of(settings).kernelWrapperSources(c).stream().sorted()
                    .toList());
        }
    }

    @Test
    public void regexPrefixesAndGlobs() {
        assertEquals("linux-signed-", CveRules.literalPrefix("^linux-signed-(amd64|arm64|i386)$"));
        assertEquals("matches() anchors it without ^", "linux-signed-", CveRules.literalPrefix("linux-signed-.*"));
        assertEquals("linux-signed-", CveRules.literalPrefix("linux-signed-(amd64|arm64)"));
        assertEquals("linux-signe", CveRules.literalPrefix("linux-signed?-x"));
        assertEquals("", CveRules.literalPrefix("linux-signed-.*|acme-kernel"));
        assertEquals("", CveRules.literalPrefix(".*-signed"));
        assertEquals("linux-signe", CveRules.literalPrefix("^linux-signed?-x"));
        assertEquals("", CveRules.literalPrefix("^(a|b)"));
        assertEquals("an alternative at the top has its own start", "", CveRules.literalPrefix("^linux-signed-.*$|^acme-kernel$"));
        assertEquals("linux-signed-", CveRules.literalPrefix("^linux-signed-[a-z|]+$"));
        assertTrue(CveRules.glob("registry.example.org/vm/*").matcher("registry.example.org/vm/debian:12").matches());
        assertTrue(CveRules.glob("*vm*").matcher("a/b/vm-image@sha256:ab").matches());
        assertFalse(CveRules.glob("registry.example.org/vm/?").matcher("registryXexample.org/vm/a").matches());
    }
}
