package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.CveSnapshotDTO;

/** Feed imports (CVE.md §2.3) on both databases: snapshots, the sha256 check, the diff, failures, one import at a time. */
@RunWith(Parameterized.class)
public class CveFeedServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;
    private CveFeedServiceImpl feed;
    private Path dir;

    public CveFeedServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        feed = new CveFeedServiceImpl(db.database);
        dir = Files.createTempDirectory("cve-feed");
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    @Test
    public void importsSwitchWholeSnapshotsAndDiffThem() throws Exception {
        CveSnapshotDTO first = feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals("active", first.result());
        assertEquals(List.of("bookworm", "bullseye", "buster", "sid"), first.releases());
        assertEquals(Long.valueOf(1), first.rowsByRelease().get("buster"));
        assertNull(first.added());
        long rows = first.rowsByRelease().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(rows, db.count("select count(*) from cve_entry"));
        assertEquals(22, db.count("select count(*) from cve_issue"));
        assertEquals("the nodsa text is kept whole", 1, db.count("select count(*) from cve_entry where source_name = 'zlib'"
                + " and release_name = 'bookworm' and nodsa like 'contrib/minizip not built%'"));

        // The same bytes again: checked, nothing imported.
        CveSnapshotDTO again = feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals("unchanged", again.result());
        assertEquals(first.id(), feed.active().orElseThrow().id());
        assertEquals(rows, db.count("select count(*) from cve_entry"));

        // A later feed: one status change (a fix released), one entry gone, one new.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(CveFeedReaderTest.FIXTURE.toFile());
        ObjectNode bullseye = (ObjectNode) document.path("glibc").path("CVE-2025-0395").path("releases").path("bullseye");
        bullseye.put("status", "resolved").put("fixed_version", "2.31-13+deb11u12").remove(List.of("nodsa", "nodsa_reason"));
        ((ObjectNode) document.get("apt")).remove("CVE-2011-3374");
        ((ObjectNode) document.get("sudo")).putObject("CVE-2099-0001").putObject("releases").putObject("bookworm")
                .put("status", "open").put("urgency", "high");
        Path later = dir.resolve("later.json");
        mapper.writeValue(later.toFile(), document);
        CveSnapshotDTO second = feed.importFeed(later, "file:" + later);
        assertEquals("active", second.result());
        assertEquals(Long.valueOf(1), second.added());
        assertEquals(Long.valueOf(2), second.removed());
        assertEquals(Long.valueOf(1), second.changed());
        assertEquals(second.id(), feed.active().orElseThrow().id());
        assertEquals("readers that read the old id just before the switch still find its rows", rows,
                db.count("select count(*) from cve_entry where snapshot_id = " + first.id()));
        assertEquals(List.of("active", "unchanged", "superseded"), feed.history(10).stream().map(CveSnapshotDTO::result).toList());
        // The next import, even one that fails, deletes them first.
        Path duplicate = dir.resolve("duplicate.json");
        Files.writeString(duplicate, "{\"a\": {}, \"a\": {}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> feed.importFeed(duplicate, "file:duplicate"));
        assertTrue(e.getMessage(), e.getMessage().contains("Duplicate field 'a'"));
        assertEquals(0, db.count("select count(*) from cve_entry where snapshot_id = " + first.id()));
        assertEquals(second.id(), feed.active().orElseThrow().id());
        assertEquals(db.count("select count(*) from cve_entry where snapshot_id = " + second.id()),
                second.rowsByRelease().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    public void aFileThatIsNoFeedLeavesTheActiveSnapshot() throws Exception {
        CveSnapshotDTO first = feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        Path truncated = dir.resolve("truncated.json");
        byte[] bytes = Files.readAllBytes(CveFeedReaderTest.FIXTURE);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> feed.importFeed(truncated, "file:truncated"));
        assertTrue(e.getMessage(), e.getMessage().contains("not valid JSON"));
        assertEquals(first.id(), feed.active().orElseThrow().id());
        CveSnapshotDTO failed = feed.history(1).get(0);
        assertEquals("failed", failed.result());
        assertEquals(e.getMessage(), failed.error());
        assertEquals(0, db.count("select count(*) from cve_entry where snapshot_id = " + failed.id()));
        assertThrows(IllegalArgumentException.class, () -> feed.importFeed(dir.resolve("missing.json"), "file:missing"));
    }

    @Test
    public void anImportThatDiedIsCleanedUpByTheNext() throws Exception {
        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("insert into cve_snapshot (id, started, origin, sha256, skipped, result) values (99, '2026-01-01 00:00:00',"
                    + " 'file:x', '" + "0".repeat(64) + "', 0, 'importing')");
            st.executeUpdate("insert into cve_entry (snapshot_id, release_name, source_name, issue, status, next_point_update)"
                    + " values (99, 'sid', 'a', 'CVE-1', 'open', false)");
        }
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals(0, db.count("select count(*) from cve_entry where snapshot_id = 99"));
        assertEquals("failed", feed.history(10).stream().filter(s -> s.id() == 99).findFirst().orElseThrow().result());
    }

    @Test
    public void oneImportAtATime() throws Exception {
        try (var c = db.dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("update job_lease set holder = 'other-node/1', expires = '2999-01-01 00:00:00' where name = 'cve-import'");
        }
        assertThrows(IllegalStateException.class, () -> feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture"));
        assertTrue(feed.active().isEmpty());
    }
}
