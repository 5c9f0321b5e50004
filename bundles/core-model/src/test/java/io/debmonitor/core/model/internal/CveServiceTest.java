package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesDTO;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;

/**
 * Findings through the real path on both databases: reports applied, the fixture imported,
 * findings read. Case numbers are those of fixtures/cve/README.md.
 */
@RunWith(Parameterized.class)
public class CveServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String KERNEL_6176 = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private CveServiceImpl cves;

    public CveServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        cves = new CveServiceImpl(db.database);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    private static InstalledDTO pkg(String name, String version, String source, String sourceVersion) {
        return new InstalledDTO(name, version, source, sourceVersion);
    }

    private void host(String name, String os, String kernel, List<InstalledDTO> installed, List<UpgradableDTO> upgradable) {
        host(name, os, kernel, "6.1.0-18-amd64", installed, upgradable);
    }

    private void host(String name, String os, String kernel, String release, List<InstalledDTO> installed, List<UpgradableDTO> upgradable) {
        reports.apply(EntityKind.HOST, name, new ReportDTO(os, UpdateType.FULL, kernel, release, installed, List.of(), upgradable));
    }

    private static CveFindingDTO finding(EntityCvesDTO cves, String source, String cve) {
        return cves.findings().stream().filter(f -> f.source().equals(source) && f.cve().equals(cve)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + source + " " + cve + " in " + cves.findings()));
    }

    private static void assertFinding(CveVerdict verdict, CveSubState subState, String fix, boolean counted, CveFindingDTO f) {
        assertEquals(f.toString(), verdict, f.verdict());
        assertEquals(f.toString(), subState, f.subState());
        assertEquals(f.toString(), fix, f.fix());
        assertEquals(f.toString(), counted, f.counted());
    }

    @Test
    public void beforeAFeedNothingIsAssessed() {
        host("h12", "Debian 12", KERNEL_6176, List.of(pkg("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2")), List.of());
        EntityCvesDTO none = cves.entity(EntityKind.HOST, "h12").orElseThrow();
        assertEquals("no-feed", none.coverage().state());
        assertEquals(List.of(), none.findings());
        assertTrue(cves.entity(EntityKind.HOST, "unknown").isEmpty());
    }

    @Test
    public void theTabPageFiltersCountsAndExplainsOnlyItsFindings() {
        new CveFeedServiceImpl(db.database).importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        host("h12", "Debian 12", KERNEL_6176, List.of(
                pkg("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2"),
                pkg("libc6", "2.36-9+deb12u9", "glibc", "2.36-9+deb12u9"),
                pkg("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"),
                pkg("systemd", "252.39-1~deb12u1", "systemd", null),
                pkg("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1")), List.of());
        EntityCvesDTO all = cves.entity(EntityKind.HOST, "h12").orElseThrow();
        List<CveFindingDTO> visible = all.findings().stream().filter(f -> CveFilter.DEFAULT.visible(f.verdict(), f.subState())).toList();

        EntityCvesPageDTO first = cves.page(EntityKind.HOST, "h12", CveFilter.DEFAULT, PageRequest.first(2)).orElseThrow();
        assertEquals(visible.size(), first.findings().total());
        assertEquals("the tab's order, explained as the full computation", visible.subList(0, 2), first.findings().items());
        EntityCvesPageDTO second = cves.page(EntityKind.HOST, "h12", CveFilter.DEFAULT, new PageRequest(2, 2, null, false)).orElseThrow();
        assertEquals(visible.subList(2, Math.min(4, visible.size())), second.findings().items());
        assertEquals(all.findings().stream().filter(CveFindingDTO::counted).map(CveFindingDTO::cve).distinct().count(), first.counts().affected());
        assertEquals(all.kernel(), first.kernel());
        assertEquals(all.coverage(), first.coverage());

        assertEquals(List.of("CVE-2023-45853"), cves.page(EntityKind.HOST, "h12", new CveFilter(null, null, "WONT_FIX", null, null, Set.of()),
                PageRequest.first(50)).orElseThrow().findings().items().stream().map(CveFindingDTO::cve).toList());
        assertTrue(cves.page(EntityKind.HOST, "h12", new CveFilter("OPENSSL", null, null, null, null, Set.of("all")), PageRequest.first(50))
                .orElseThrow().findings().items().stream().allMatch(f -> f.source().equals("openssl")));
        assertEquals(0, cves.page(EntityKind.HOST, "h12", new CveFilter(null, "high", null, null, null, Set.of()), PageRequest.first(50))
                .orElseThrow().findings().items().stream().filter(f -> !"high".equals(f.urgency())).count());
        assertTrue(cves.page(EntityKind.HOST, "unknown", CveFilter.DEFAULT, PageRequest.first(50)).isEmpty());
    }

    @Test
    public void theFixtureCasesOfABookwormHost() {
        new CveFeedServiceImpl(db.database).importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        host("h12", "Debian 12", KERNEL_6176, List.of(
                pkg("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2"),
                pkg("libc6", "2.36-9+deb12u9", "glibc", "2.36-9+deb12u9"),
                pkg("curl", "7.88.1-10+deb12u14", "curl", null),
                pkg("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"),
                pkg("systemd", "252.39-1~deb12u1", "systemd", null),
                pkg("liblzma5", "5.4.1-0.2", "xz-utils", "5.4.1-0.2"),
                pkg("openssh-server", "1:9.2p1-2+deb12u2", "openssh", "1:9.2p1-2+deb12u2"),
                pkg("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1"),
                pkg("thirdparty-agent", "1.0-1", "thirdparty-agent", null)), List.of());
        EntityCvesDTO h12 = cves.entity(EntityKind.HOST, "h12").orElseThrow();
        assertEquals("covered", h12.coverage().state());
        assertEquals("bookworm", h12.coverage().release());
        // 1: below the fix, nothing offered.
        CveFindingDTO one = finding(h12, "openssl", "CVE-2024-9143");
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "not_offered", true, one);
        assertEquals("3.0.15-1~deb12u1", one.fixedVersion());
        assertEquals("reported", one.provenance());
        assertTrue(one.explanation().rule(), one.explanation().rule().startsWith("3.0.14-1~deb12u2 < 3.0.15-1~deb12u1 (dpkg) → affected"));
        assertEquals("fixed in unstable 3.3.2-2", one.explanation().elsewhere());
        // 4, 9, 10, 11, 12, 13, 14, 15, 32
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "not_offered", true, finding(h12, "glibc", "CVE-2025-0395"));
        assertFinding(CveVerdict.FIXED, null, null, false, finding(h12, "curl", "CVE-2024-2398"));
        assertFinding(CveVerdict.FIXED, null, null, false, finding(h12, "curl", "CVE-2024-9681"));
        CveFindingDTO ten = finding(h12, "curl", "CVE-2025-10966");
        assertFinding(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, null, false, ten);
        assertEquals("8.17.0~rc2-1", ten.unstableFixedVersion());
        assertFinding(CveVerdict.NOT_AFFECTED, null, null, false, finding(h12, "curl", "CVE-2024-6197"));
        CveFindingDTO twelve = finding(h12, "zlib", "CVE-2023-45853");
        assertFinding(CveVerdict.AFFECTED_OPEN, CveSubState.WONT_FIX, null, true, twelve);
        assertTrue(twelve.explanation().state(), twelve.explanation().state().contains("\"contrib/minizip not built"));
        assertFinding(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, null, false, finding(h12, "systemd", "CVE-2023-31439"));
        assertFinding(CveVerdict.NOT_AFFECTED, null, null, false, finding(h12, "xz-utils", "CVE-2024-3094"));
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "not_offered", true, finding(h12, "openssh", "CVE-2024-6387"));
        assertFinding(CveVerdict.NEEDS_TRIAGE, null, null, false, finding(h12, "glibc", "TEMP-0000000-D3B0C1"));
        // 18: the signed kernel wrapper maps to linux, judged on the running kernel.
        CveFindingDTO eighteen = finding(h12, "linux", "CVE-2024-38550");
        assertFinding(CveVerdict.RUNNING_AFFECTED, null, "not_offered", true, eighteen);
        assertEquals(CveVerdict.AFFECTED_FIXED, eighteen.baseVerdict());
        assertEquals("6.1.76-1", eighteen.sourceVersion());
        assertEquals("6.1.76-1", h12.kernel().runningVersion());
        assertEquals(List.of(new io.debmonitor.core.model.api.CveKernelDTO.Image("linux-image-6.1.0-18-amd64", "6.1.76-1", true)),
                h12.kernel().images());
        // 31: a source the feed has no entry for is "not assessed", never "not affected".
        assertEquals(Long.valueOf(1), h12.coverage().notAssessed().get("no-entry"));
        assertTrue(h12.coverage().sources().stream().anyMatch(s -> s.source().equals("thirdparty-agent")));
        assertTrue(h12.findings().stream().noneMatch(f -> f.source().equals("thirdparty-agent")));
        assertTrue("counted findings come first", h12.findings().get(0).counted());
    }

    @Test
    public void upgradesKernelsAndImages() {
        new CveFeedServiceImpl(db.database).importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        // 2: the security upgrade reaches the fix.
        host("h12b", "Debian 12", KERNEL_6176, List.of(pkg("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2")),
                List.of(new UpgradableDTO("libssl3", "3.0.14-1~deb12u2", "3.0.15-1~deb12u1", "openssl", "3.0.15-1~deb12u1", "security")));
        CveFindingDTO two = finding(cves.entity(EntityKind.HOST, "h12b").orElseThrow(), "openssl", "CVE-2024-9143");
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "available", true, two);
        assertEquals(new CveFindingDTO.Candidate("libssl3", "3.0.15-1~deb12u1", "3.0.15-1~deb12u1", "security"), two.candidate());
        // 20: the running kernel has the fix; an old image is still installed.
        host("h12c", "Debian 12", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.94-1 (2024-06-21)", "6.1.0-22-amd64", List.of(
                pkg("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1"),
                pkg("linux-image-6.1.0-22-amd64", "6.1.94-1", "linux-signed-amd64", "6.1.94+1")), List.of());
        EntityCvesDTO h12c = cves.entity(EntityKind.HOST, "h12c").orElseThrow();
        assertFinding(CveVerdict.RUNNING_FIXED, null, null, false, finding(h12c, "linux", "CVE-2024-38550"));
        assertEquals(List.of("Old kernel image installed, not running: linux-image-6.1.0-18-amd64 6.1.76-1."), h12c.kernel().notes());
        assertFalse(h12c.kernel().rebootRequired());
        // A fixed image is installed but the old kernel runs: reboot.
        host("h12d", "Debian 12", KERNEL_6176, List.of(
                pkg("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1"),
                pkg("linux-image-6.1.0-22-amd64", "6.1.94-1", "linux-signed-amd64", "6.1.94+1")), List.of());
        EntityCvesDTO h12d = cves.entity(EntityKind.HOST, "h12d").orElseThrow();
        assertFinding(CveVerdict.REBOOT_REQUIRED, null, null, true, finding(h12d, "linux", "CVE-2024-38550"));
        assertTrue(h12d.kernel().rebootRequired());
        assertEquals("newest first", "6.1.94-1", h12d.kernel().images().get(0).version());
        // 21: kernel headers in an image are listed, never counted.
        reports.apply(EntityKind.IMAGE, "registry.example.org/app:1", new ReportDTO("Debian 12", UpdateType.FULL, null, null,
                List.of(pkg("linux-libc-dev", "6.1.76-1", "linux", "6.1.76-1")), List.of(), List.of()));
        assertFinding(CveVerdict.KERNEL_HEADERS_ONLY, null, null, false, finding(cves.entity(EntityKind.IMAGE, "registry.example.org/app:1")
                .orElseThrow(), "linux", "CVE-2024-38550"));
        // A signed kernel image inside a container image is no kernel that runs either.
        reports.apply(EntityKind.IMAGE, "registry.example.org/vm:1", new ReportDTO("Debian 12", UpdateType.FULL, null, null,
                List.of(pkg("linux-image-6.1.0-18-amd64", "6.1.76-1", "linux-signed-amd64", "6.1.76+1")), List.of(), List.of()));
        EntityCvesDTO vm = cves.entity(EntityKind.IMAGE, "registry.example.org/vm:1").orElseThrow();
        assertFinding(CveVerdict.KERNEL_HEADERS_ONLY, null, null, false, finding(vm, "linux", "CVE-2024-38550"));
        assertEquals(Long.valueOf(0), vm.coverage().notAssessed().get("no-entry"));
    }

    @Test
    public void theFixtureCasesOfABullseyeHostAndUncoveredReleases() {
        new CveFeedServiceImpl(db.database).importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        host("h11", "Debian 11", "#1 SMP Debian 5.10.218-1 (2024-06-01)", List.of(
                pkg("libc6", "2.31-13+deb11u11", "glibc", "2.31-13+deb11u11"),
                pkg("libcurl4", "7.74.0-1.3+deb11u11", "curl", "7.74.0-1.3+deb11u11"),
                pkg("sudo", "1.9.5p2-3", "sudo", null),
                pkg("chromium", "90.0.4430.212-1", "chromium", null)),
                List.of(new UpgradableDTO("chromium", "90.0.4430.212-1", "98.0.4758.102-1~deb11u1", "chromium", null, "security")));
        EntityCvesDTO h11 = cves.entity(EntityKind.HOST, "h11").orElseThrow();
        CveFindingDTO deferred = finding(h11, "glibc", "CVE-2025-0395");
        assertFinding(CveVerdict.AFFECTED_OPEN, CveSubState.FIX_DEFERRED, null, true, deferred);
        assertEquals("Minor issue; can be fixed in next update", deferred.nodsa());
        // CVE.md §8's example: the other releases' fixes, then unstable's.
        assertEquals("fixed in bookworm 2.36-9+deb12u10, unstable 2.40-6", deferred.explanation().elsewhere());
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "not_offered", true, finding(h11, "curl", "CVE-2024-2398"));
        assertFinding(CveVerdict.AFFECTED_OPEN, CveSubState.WONT_FIX, null, true, finding(h11, "curl", "CVE-2024-9681"));
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "not_offered", true, finding(h11, "sudo", "CVE-2023-22809"));
        assertFinding(CveVerdict.AFFECTED_FIXED, null, "available", true, finding(h11, "chromium", "CVE-2022-0456"));

        host("h9", "Debian 9", KERNEL_6176, List.of(pkg("libc6", "2.24-11+deb9u4", "glibc", null)), List.of());
        host("hsid", "Debian", KERNEL_6176, List.of(pkg("libc6", "2.40-6", "glibc", null)), List.of());
        host("hubuntu", "Ubuntu 24.04", "#44-Ubuntu SMP PREEMPT_DYNAMIC", List.of(pkg("libc6", "2.39-0ubuntu8", "glibc", null)), List.of());
        for (String[] expected : List.of(new String[] {"h9", "release-not-covered"}, new String[] {"hsid", "release-unknown"},
                new String[] {"hubuntu", "out-of-scope"})) {
            EntityCvesDTO entity = cves.entity(EntityKind.HOST, expected[0]).orElseThrow();
            assertEquals(expected[0], expected[1], entity.coverage().state());
            assertEquals(List.of(), entity.findings());
        }
        assertNull(cves.entity(EntityKind.HOST, "hubuntu").orElseThrow().coverage().release());
        assertEquals(Long.valueOf(0), h11.coverage().notAssessed().get("no-entry"));
        assertEquals("libcurl4 names its source version; sudo and chromium are their sources' own binaries", Long.valueOf(0),
                h11.coverage().notAssessed().get("assumed-version"));
    }
}
