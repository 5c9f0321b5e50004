package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.CveFeedReaderTest.find;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;

import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.internal.CveVerdicts.Effective;
import io.debmonitor.core.model.internal.CveVerdicts.Provenance;
import io.debmonitor.core.model.internal.CveVerdicts.Row;

/**
 * The verdict function (CVE.md §4) and normalisation (§3.2–§3.4) on the shared fixture: the
 * version-level cases of fixtures/cve/README.md, by their numbers.
 */
public class CveVerdictsTest {

    private static final List<CveFeedReader.Entry> FEED = new ArrayList<>();

    @BeforeClass
    public static void readFixture() throws Exception {
        try (InputStream in = Files.newInputStream(CveFeedReaderTest.FIXTURE)) {
            CveFeedReader.read(in, new CveFeedReader.Sink() {
                @Override
                public void issue(CveFeedReader.Issue issue) {
                }

                @Override
                public void entry(CveFeedReader.Entry entry) {
                    FEED.add(entry);
                }
            });
        }
    }

    private static CveVerdicts.Result verdict(String release, String source, String issue, String version) {
        return CveVerdicts.verdict(find(FEED, release, source, issue), find(FEED, "sid", source, issue), version, false);
    }

    private static void assertVerdict(CveVerdict verdict, CveSubState subState, CveVerdicts.Result result) {
        assertEquals(verdict, result.verdict());
        assertEquals(subState, result.subState());
    }

    @Test
    public void fixtureCases() {
        // 1-3: openssl CVE-2024-9143 on bookworm
        CveVerdicts.Result one = verdict("bookworm", "openssl", "CVE-2024-9143", "3.0.14-1~deb12u2");
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, one);
        assertEquals("3.0.15-1~deb12u1", one.fixedVersion());
        assertEquals("3.3.2-2", one.unstableFixedVersion());
        assertVerdict(CveVerdict.FIXED, null, verdict("bookworm", "openssl", "CVE-2024-9143", "3.0.15-1~deb12u1"));
        // 4, 7, 8, 15
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bookworm", "glibc", "CVE-2025-0395", "2.36-9+deb12u9"));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bookworm", "glibc", "CVE-2023-4911", "2.36-9+deb12u2"));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bookworm", "curl", "CVE-2024-2398", "7.88.1-10+deb12u5"));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bookworm", "openssh", "CVE-2024-6387", "1:9.2p1-2+deb12u2"));
        // 9, 10, 11
        assertVerdict(CveVerdict.FIXED, null, verdict("bookworm", "curl", "CVE-2024-2398", "7.88.1-10+deb12u14"));
        assertVerdict(CveVerdict.FIXED, null, verdict("bookworm", "curl", "CVE-2024-9681", "7.88.1-10+deb12u14"));
        CveVerdicts.Result ten = verdict("bookworm", "curl", "CVE-2025-10966", "7.88.1-10+deb12u14");
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, ten);
        assertEquals("8.17.0~rc2-1", ten.unstableFixedVersion());
        assertVerdict(CveVerdict.NOT_AFFECTED, null, verdict("bookworm", "curl", "CVE-2024-6197", "7.88.1-10+deb12u5"));
        // 12, 13, 14
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.WONT_FIX, verdict("bookworm", "zlib", "CVE-2023-45853", "1:1.2.13.dfsg-1"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, verdict("bookworm", "systemd", "CVE-2023-31439", "252.39-1~deb12u1"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, verdict("bookworm", "gcc-12", "CVE-2023-4039", "12.2.0-14"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, verdict("bookworm", "apt", "CVE-2011-3374", "2.6.1"));
        assertVerdict(CveVerdict.NOT_AFFECTED, null, verdict("bookworm", "xz-utils", "CVE-2024-3094", "5.4.1-0.2"));
        // 23, 24, 26 on bullseye
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.FIX_DEFERRED, verdict("bullseye", "glibc", "CVE-2025-0395", "2.31-13+deb11u11"));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bullseye", "curl", "CVE-2024-2398", "7.74.0-1.3+deb11u11"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.WONT_FIX, verdict("bullseye", "curl", "CVE-2024-9681", "7.74.0-1.3+deb11u11"));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bullseye", "sudo", "CVE-2023-22809", "1.9.5p2-3"));
        // 32 (synthetic): undetermined; the other synthetic entry: fix queued for the point release
        assertVerdict(CveVerdict.NEEDS_TRIAGE, null, verdict("bookworm", "glibc", "TEMP-0000000-D3B0C1", "2.36-9+deb12u10"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.FIX_QUEUED_POINT_RELEASE,
                verdict("bookworm", "openssl", "TEMP-0000000-A1B2C3", "3.0.15-1~deb12u1"));
        // No entry for the release: no finding.
        assertVerdict(CveVerdict.NONE, null, verdict("bullseye", "glibc", "CVE-2023-4911", "2.31-13"));
    }

    @Test
    public void openEntriesAtOrAboveTheUnstableFixNeedReview() {
        // curl CVE-2025-10966 is open on bookworm, fixed in unstable 8.17.0~rc2-1: a backport at that version.
        assertVerdict(CveVerdict.LIKELY_FIXED_NEWER, null, verdict("bookworm", "curl", "CVE-2025-10966", "8.17.0~rc2-1"));
        assertVerdict(CveVerdict.AFFECTED_OPEN, CveSubState.NEGLIGIBLE, verdict("bookworm", "curl", "CVE-2025-10966", "8.17.0~rc1-1"));
    }

    @Test
    public void versionsThatCannotBeJudgedAreUncertain() {
        assertFalse(CveVerdicts.validVersion(""));
        assertFalse(CveVerdicts.validVersion("abc-1"));
        assertFalse(CveVerdicts.validVersion("1:x"));
        assertTrue(CveVerdicts.validVersion("1:9.2p1-2"));
        assertVerdict(CveVerdict.UNCERTAIN_VERSION, null, verdict("bookworm", "openssl", "CVE-2024-9143", "git-snapshot"));
        // §3.4: openssh without its epoch, where Debian lists only epoch-1 versions.
        CveFeedReader.Entry openssh = find(FEED, "bookworm", "openssh", "CVE-2024-6387");
        List<String> listed = new ArrayList<>(openssh.repositories().values());
        listed.add(openssh.fixedVersion());
        assertTrue(CveVerdicts.epochLost("9.2p1-2+deb12u3", listed));
        assertFalse(CveVerdicts.epochLost("1:9.2p1-2+deb12u3", listed));
        assertFalse(CveVerdicts.epochLost("9.2p1-2", List.of("0", "9.2p1-2+deb12u3")));
        assertVerdict(CveVerdict.UNCERTAIN_VERSION, null, CveVerdicts.verdict(openssh, null, "9.2p1-2+deb12u3", true));
    }

    @Test
    public void sourceVersionsAreNormalisedWithTheirProvenance() {
        // Reported by our client.
        Row libssl = new Row("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2", true);
        assertEquals(Provenance.REPORTED, CveVerdicts.effective(List.of(libssl)).get(0).provenance());
        // A binNMU whose source version was not reported: the +bN goes.
        Row libc = new Row("libc6", "2.36-9+deb12u9+b1", "glibc", "2.36-9+deb12u9+b1", false);
        Effective binnmu = CveVerdicts.effective(List.of(libc)).get(0);
        assertEquals("2.36-9+deb12u9", binnmu.version());
        assertEquals(Provenance.BINNMU_STRIPPED, binnmu.provenance());
        // samba's libldb2 is versioned on its own: its source version is the samba binary's.
        Row libldb2 = new Row("libldb2", "2:2.6.2+samba4.17.12+dfsg-0+deb12u1", "samba", "2:2.6.2+samba4.17.12+dfsg-0+deb12u1", false);
        Row samba = new Row("samba", "2:4.17.12+dfsg-0+deb12u1", "samba", "2:4.17.12+dfsg-0+deb12u1", false);
        List<Effective> group = CveVerdicts.effective(List.of(libldb2, samba));
        assertEquals("2:4.17.12+dfsg-0+deb12u1", group.get(0).version());
        assertEquals(Provenance.SIBLING, group.get(0).provenance());
        assertEquals("samba", group.get(0).from());
        assertEquals(Provenance.ASSUMED, group.get(1).provenance());
        assertEquals("2:4.17.12+dfsg-0+deb12u1", CveVerdicts.groupVersion(group));
        assertEquals(Provenance.ASSUMED, CveVerdicts.groupProvenance(group));
        // Without the sibling rule libldb2 would be a false positive against samba's fix 2:4.3.7+dfsg-1.
        assertVerdict(CveVerdict.FIXED, null, verdict("bookworm", "samba", "CVE-2016-2111", CveVerdicts.groupVersion(group)));
        assertVerdict(CveVerdict.AFFECTED_FIXED, null, verdict("bookworm", "samba", "CVE-2016-2111", libldb2.version()));
        // A binary of another source that reported its version passes it on.
        Row bin = new Row("libcurl4", "7.88.1-10+deb12u5+b1", "curl", "7.88.1-10+deb12u5+b1", false);
        Row curl = new Row("curl", "7.88.1-10+deb12u5", "curl", "7.88.1-10+deb12u5", true);
        List<Effective> curlGroup = CveVerdicts.effective(List.of(bin, curl));
        assertEquals(Provenance.BINNMU_STRIPPED, curlGroup.get(0).provenance());
        assertEquals("7.88.1-10+deb12u5", CveVerdicts.groupVersion(curlGroup));
        assertEquals(Provenance.BINNMU_STRIPPED, CveVerdicts.groupProvenance(curlGroup));
    }
}
