package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import org.junit.Test;

/** Streaming the Debian Security Tracker feed (CVE.md §1.2, §2.3) with the shared fixture. */
public class CveFeedReaderTest {

    static final Path FIXTURE = Path.of("../../fixtures/cve/dst-fixture.json");

    private final List<CveFeedReader.Entry> entries = new ArrayList<>();
    private final List<CveFeedReader.Issue> issues = new ArrayList<>();

    private CveFeedReader.Summary read(InputStream in) throws Exception {
        return CveFeedReader.read(in, new CveFeedReader.Sink() {
            @Override
            public void issue(CveFeedReader.Issue issue) {
                issues.add(issue);
            }

            @Override
            public void entry(CveFeedReader.Entry entry) {
                entries.add(entry);
            }
        });
    }

    private CveFeedReader.Summary read(String json) throws Exception {
        return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static CveFeedReader.Entry find(List<CveFeedReader.Entry> entries, String release, String source, String issue) {
        return entries.stream().filter(e -> e.release().equals(release) && e.source().equals(source) && e.issue().equals(issue))
                .findFirst().orElse(null);
    }

    @Test
    public void theFixtureStreamsEveryRow() throws Exception {
        CveFeedReader.Summary summary;
        try (InputStream in = Files.newInputStream(FIXTURE)) {
            summary = read(in);
        }
        assertEquals(new TreeSet<>(List.of("bookworm", "bullseye", "buster", "sid")), summary.releases());
        assertEquals(0, summary.skipped());
        assertEquals(22, issues.size());
        assertEquals(summary.rows(), entries.size());
        assertEquals(1L, (long) summary.rowsByRelease().get("buster"));

        CveFeedReader.Entry zlib = find(entries, "bookworm", "zlib", "CVE-2023-45853");
        assertEquals("open", zlib.status());
        assertEquals("ignored", zlib.nodsaReason());
        assertTrue(zlib.nodsa(), zlib.nodsa().startsWith("contrib/minizip not built"));
        assertEquals(Map.of("bookworm", "1:1.2.13.dfsg-1"), zlib.repositories());
        CveFeedReader.Entry queued = find(entries, "bookworm", "openssl", "TEMP-0000000-A1B2C3");
        assertTrue(queued.nextPointUpdate());
        assertEquals("", queued.nodsaReason());
        assertEquals("0", find(entries, "bookworm", "xz-utils", "CVE-2024-3094").fixedVersion());
        CveFeedReader.Issue apt = issues.stream().filter(i -> i.issue().equals("CVE-2011-3374")).findFirst().orElseThrow();
        assertEquals(Long.valueOf(642480), apt.debianbug());
    }

    @Test
    public void gzipIsReadAsIs() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(Files.readAllBytes(FIXTURE));
        }
        CveFeedReader.Summary summary = read(new ByteArrayInputStream(zipped.toByteArray()));
        assertEquals(4, summary.releases().size());
        assertEquals(summary.rows(), entries.size());
    }

    @Test
    public void malformedEntriesAreSkippedAndCounted() throws Exception {
        CveFeedReader.Summary summary = read("{\"a\": {"
                + "\"CVE-1\": {\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\"}, \"trixie\": {\"urgency\": \"low\"}}},"
                + "\"CVE-2\": {\"releases\": []},"
                + "\"CVE-3\": {\"releases\": \"nonsense\"},"
                + "\"CVE-4\": [1, 2],"
                + "\"CVE-5\": {\"releases\": {\"sid\": {\"status\": \"resolved\", \"fixed_version\": \"2\", \"unknown\": {\"x\": 1}}}}}}");
        assertEquals(3, summary.skipped());
        assertEquals(new TreeSet<>(List.of("bookworm", "sid", "trixie")), summary.releases());
        assertEquals(new TreeMap<>(Map.of("bookworm", 1L, "sid", 1L)), summary.rowsByRelease());
    }

    @Test
    public void aDocumentThatIsNoFeedIsRejected() {
        for (String bad : List.of("", "not json", "[]", "{\"a\": []}", "{\"a\": {\"CVE-1\": {\"releases\": {}}}}",
                "{\"a\": {\"CVE-1\": {\"releases\": {\"sid\": {\"status\": \"open\"}}}}", "{} {}")) {
            assertThrows(bad, CveFeedReader.InvalidFeedException.class, () -> read(bad));
        }
    }
}
