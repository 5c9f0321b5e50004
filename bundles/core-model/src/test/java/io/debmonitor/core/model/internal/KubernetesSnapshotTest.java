package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesSnapshotDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;
import io.debmonitor.core.model.v1.KubernetesSnapshotReader;

/**
 * SPEC §1.8 on both databases, through the real services: images are reported (some with a
 * manifest digest), snapshots applied, and the rows read back as the UI and REST layers read them.
 * Also the image digest that reports store, and the entity name rule.
 */
@RunWith(Parameterized.class)
public class KubernetesSnapshotTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String APP = "registry.example.org/team/app";
    private static final String D1 = digest('1');
    private static final String D2 = digest('2');
    private static final String D3 = digest('3');

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;
    private KubernetesServiceImpl kubernetes;

    public KubernetesSnapshotTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        kubernetes = new KubernetesServiceImpl(db.database);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    private static String digest(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private static ReportDTO imageReport(UpdateType type, String digest) {
        return new ReportDTO("Debian 12", type, null, null, List.of(new InstalledDTO("libc6", "2.36-9+deb12u4", "glibc", null)),
                List.of(), List.of(), digest);
    }

    /** Reports an image (a full report) carrying {@code digest}; waits until the next report must be strictly newer. */
    private void image(String name, String digest) {
        reports.apply(EntityKind.IMAGE, name, imageReport(UpdateType.FULL, digest));
        untilTheClockPasses(entities.find(EntityKind.IMAGE, name).orElseThrow().modified());
    }

    /** Waits until the millisecond clock that stamps reports and snapshots is past {@code stamp}. */
    private static void untilTheClockPasses(Instant stamp) {
        while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(stamp)) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Pairs (image, namespace, containers) in the given order, as a snapshot without errors. */
    private static KubernetesSnapshotDTO snapshot(String cluster, Object... triples) {
        Map<String, Map<String, Integer>> images = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            images.computeIfAbsent((String) triples[i], k -> new LinkedHashMap<>()).put((String) triples[i + 1], (Integer) triples[i + 2]);
        }
        return new KubernetesSnapshotDTO(cluster, images, List.of());
    }

    private List<KubernetesRowDTO> rows(String cluster) {
        return kubernetes.list(cluster, null, null, PageRequest.first(1000)).items();
    }

    /** Rows as "namespace image containers", in the default order. */
    private List<String> summary(String cluster) {
        return rows(cluster).stream().map(r -> r.namespace() + " " + r.image() + " " + r.containers()).collect(Collectors.toList());
    }

    /** Which stored image a single-reference snapshot of cluster {@code probe} resolves to, or null when missing. */
    private String resolve(String reference) {
        List<String> missing = kubernetes.apply(snapshot("probe", reference, "ns", 1));
        List<KubernetesRowDTO> rows = rows("probe");
        if (!missing.isEmpty()) {
            assertEquals(List.of(reference), missing);
            assertEquals(List.of(), rows);
            return null;
        }
        assertEquals(1, rows.size());
        return rows.get(0).image();
    }

    private EntityDTO find(EntityKind kind, String name) {
        return entities.find(kind, name).orElseThrow();
    }

    // --- snapshots ----------------------------------------------------------------------------

    @Test
    public void storesTheStoredImagesPairsAndListsTheMissingOnes() throws Exception {
        image(APP + ":1", null);
        image(APP + ":2", null);
        reports.apply(EntityKind.HOST, "web01.example.org", new ReportDTO("Debian 12", UpdateType.FULL, "#1 SMP", null,
                List.of(), List.of(), List.of()));

        Instant before = Instant.now().minusSeconds(1);
        List<String> missing = kubernetes.apply(snapshot("eqiad", APP + ":1", "mw-web", 40, APP + ":1", "mw-api", 12,
                "registry.example.org/team/unknown:1.0", "tools", 1, "web01.example.org", "web", 3,
                "REGISTRY.example.org/team/app:2", "web", 4, APP + ":2", "web", 0));

        assertEquals(List.of("registry.example.org/team/unknown:1.0", "web01.example.org", "REGISTRY.example.org/team/app:2"), missing);
        assertEquals(List.of("mw-api " + APP + ":1 12", "mw-web " + APP + ":1 40", "web " + APP + ":2 0"), summary("eqiad"));
        for (KubernetesRowDTO row : rows("eqiad")) {
            assertEquals("eqiad", row.cluster());
            assertEquals("Debian 12", row.os());
            assertTrue(row.modified().isAfter(before));
        }
        assertEquals(rows("eqiad").subList(0, 2), kubernetes.ofImage(APP + ":1"));
        assertEquals(52, find(EntityKind.IMAGE, APP + ":1").containers());
        assertEquals(0, find(EntityKind.IMAGE, APP + ":2").containers());
    }

    @Test
    public void theNextSnapshotUpdatesInsertsAndDeletesOnlyThatClustersRows() throws Exception {
        image(APP + ":1", null);
        image(APP + ":2", null);
        image(APP + ":3", null);
        kubernetes.apply(snapshot("prod", APP + ":1", "web", 40, APP + ":1", "api", 12, APP + ":2", "web", 1));
        kubernetes.apply(snapshot("dev", APP + ":1", "web", 3, APP + ":2", "web", 2));
        List<KubernetesRowDTO> prodBefore = rows("prod");
        List<KubernetesRowDTO> devBefore = rows("dev");
        prodBefore.forEach(row -> untilTheClockPasses(row.modified()));

        assertEquals(List.of(), kubernetes.apply(snapshot("prod", APP + ":1", "web", 41, APP + ":3", "batch", 2, APP + ":2", "web", 1)));

        assertEquals(List.of("batch " + APP + ":3 2", "web " + APP + ":1 41", "web " + APP + ":2 1"), summary("prod"));
        Instant earlier = prodBefore.get(0).modified();
        for (KubernetesRowDTO row : rows("prod")) {
            assertTrue(row + " is newer than " + earlier, row.modified().isAfter(earlier));
        }
        assertEquals(devBefore, rows("dev"));
        // The surviving rows were updated in place: created stays, modified moves.
        assertEquals(2, db.count("select count(*) from kubernetes_image where cluster = 'prod' and namespace = 'web' and created < modified"));
        assertEquals(1, db.count("select count(*) from kubernetes_image where cluster = 'prod' and namespace = 'batch' and created = modified"));
        assertEquals(41 + 3, find(EntityKind.IMAGE, APP + ":1").containers());
        assertEquals(1 + 2, find(EntityKind.IMAGE, APP + ":2").containers());
        assertEquals(2, find(EntityKind.IMAGE, APP + ":3").containers());

        assertEquals(List.of(), kubernetes.apply(snapshot("prod")));
        assertEquals(List.of(), rows("prod"));
        assertEquals(devBefore, rows("dev"));
        assertEquals(3, find(EntityKind.IMAGE, APP + ":1").containers());
    }

    @Test
    public void missingAndErroredPairsLoseTheirRows() throws Exception {
        image(APP + ":1", null);
        image(APP + ":2", null);
        kubernetes.apply(snapshot("prod", APP + ":1", "web", 5, APP + ":1", "api", 2, APP + ":2", "web", 1));
        KubernetesSnapshotDTO next = new KubernetesSnapshotReader().read(("{\"cluster\": \"prod\", \"images\": {"
                + "\"" + APP + ":1\": {\"web\": 6, \"api\": -2}, \"" + APP + ":2\": {\"web\": \"1\"}, \"" + APP + ":9\": {\"web\": 1}}}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(2, next.errors().size());

        assertEquals(List.of(APP + ":9"), kubernetes.apply(next));

        assertEquals(List.of("web " + APP + ":1 6"), summary("prod"));
        assertEquals(List.of(), kubernetes.ofImage(APP + ":2"));
    }

    @Test
    public void keysResolvingToOneImageInOneNamespaceAddUp() throws Exception {
        image(APP + ":1", D1);

        assertEquals(List.of(), kubernetes.apply(snapshot("prod", APP + ":1", "web", 2, APP + "@" + D1, "web", 3,
                APP + "@" + D1, "api", 1, APP + ":1@" + D1, "web", 4)));

        assertEquals(List.of("api " + APP + ":1 1", "web " + APP + ":1 9"), summary("prod"));
        assertEquals(10, find(EntityKind.IMAGE, APP + ":1").containers());
    }

    @Test
    public void aSummedCountNeverOverflows() throws Exception {
        // SPEC §4: containers >= 0. Each count alone is valid (§1.8); their sum exceeds an int.
        image(APP + ":1", D1);

        kubernetes.apply(snapshot("prod", APP + ":1", "web", Integer.MAX_VALUE, APP + "@" + D1, "web", 1));

        for (KubernetesRowDTO row : rows("prod")) {
            assertTrue(row.toString(), row.containers() >= 0);
        }
        assertTrue(find(EntityKind.IMAGE, APP + ":1").containers() >= 0);
    }

    // --- digest references --------------------------------------------------------------------

    @Test
    public void aDigestReferenceNamesTheImageWhoseLastReportCarriedIt() throws Exception {
        image(APP + ":1", D1);
        image(APP + ":2", D2);
        image("registry.example.org/team/other:1", D3);
        image(APP + ":3", "sha256:" + "a".repeat(64));

        assertEquals(APP + ":1", resolve(APP + "@" + D1));
        assertEquals(APP + ":2", resolve(APP + "@" + D2));
        // The digest outranks the tag: the image was pushed as :1 and the pod names it as :7.
        assertEquals(APP + ":1", resolve(APP + ":7@" + D1));
        // Only images of the same repository count.
        assertNull(resolve(APP + "@" + D3));
        assertNull(resolve("registry.example.org/team/ap@" + D1));
        // Digests are compared byte-exactly.
        assertEquals(APP + ":3", resolve(APP + "@sha256:" + "a".repeat(64)));
        assertNull(resolve(APP + "@sha256:" + "A".repeat(64)));
    }

    @Test
    public void theSameTagIsPreferredThenTheNewestReport() throws Exception {
        image(APP + ":1.0", D1);
        image(APP + ":latest", D1);
        image(APP + ":stable", D1);

        assertEquals(APP + ":1.0", resolve(APP + ":1.0@" + D1));
        assertEquals(APP + ":latest", resolve(APP + ":latest@" + D1));
        assertEquals(APP + ":stable", resolve(APP + "@" + D1));
        assertEquals(APP + ":stable", resolve(APP + ":nope@" + D1));

        image(APP + ":1.0", D1);
        assertEquals(APP + ":1.0", resolve(APP + "@" + D1));
    }

    @Test
    public void withoutACarrierATaggedReferenceFallsBackToItsTag() throws Exception {
        image(APP + ":1", null);
        image(APP + ":2", D2);

        assertEquals(APP + ":1", resolve(APP + ":1@" + D1));
        assertNull(resolve(APP + "@" + D1));
        assertNull(resolve(APP + ":3@" + D1));
        // The tag now holds another build: its packages are not what the pod runs.
        assertNull(resolve(APP + ":2@" + D1));
        // Not a digest at all: only an image of exactly that name would do.
        assertNull(resolve(APP + ":1@latest"));
    }

    @Test
    public void aStoredImageNamedByTheReferenceItselfWins() throws Exception {
        image(APP + ":1", D1);
        image(APP + "@" + D1, D2);

        assertEquals(APP + "@" + D1, resolve(APP + "@" + D1));
    }

    @Test
    public void aRegistryPortIsNotATag() throws Exception {
        String repository = "registry.example.org:5000/team/app";
        image(repository + ":1", D1);

        assertEquals(repository + ":1", resolve(repository + "@" + D1));
        assertNull("another build of the tag", resolve(repository + ":1@" + D2));
    }

    @Test
    public void aRegistryHostIsNotARepository() throws Exception {
        image("registry.example.org:5000/team/app:1", D1);

        // Repository "registry.example.org"; the stored image's ':' after it is a port, not a tag.
        assertNull(resolve("registry.example.org@" + D1));
    }

    @Test
    public void anUntaggedImageIsInItsRepository() throws Exception {
        image(APP, D1);

        assertEquals(APP, resolve(APP + "@" + D1));
    }

    @Test
    public void aClearedDigestNoLongerResolves() throws Exception {
        image(APP + ":1", D1);
        assertEquals(APP + ":1", resolve(APP + "@" + D1));

        image(APP + ":1", null);

        assertNull(resolve(APP + "@" + D1));
    }

    // --- the digest that image reports store --------------------------------------------------

    @Test
    public void everyImageReportReplacesTheStoredDigest() throws Exception {
        String name = APP + ":1";
        reports.apply(EntityKind.IMAGE, name, imageReport(UpdateType.FULL, D1));
        assertEquals(D1, find(EntityKind.IMAGE, name).digest());

        // The same full report again takes the unchanged-report shortcut, which still records the digest.
        reports.apply(EntityKind.IMAGE, name, imageReport(UpdateType.FULL, D2));
        assertEquals(D2, find(EntityKind.IMAGE, name).digest());
        reports.apply(EntityKind.IMAGE, name, imageReport(UpdateType.FULL, null));
        assertNull(find(EntityKind.IMAGE, name).digest());

        reports.apply(EntityKind.IMAGE, name, imageReport(UpdateType.PARTIAL, D3));
        assertEquals(D3, find(EntityKind.IMAGE, name).digest());
        reports.apply(EntityKind.IMAGE, name, new ReportDTO("Debian 12", UpdateType.UPGRADABLE, null, null, List.of(), List.of(),
                List.of(new UpgradableDTO("libc6", "2.36-9+deb12u4", "2.36-9+deb12u10", "glibc", null, "security"))));
        EntityDTO entity = find(EntityKind.IMAGE, name);
        assertNull(entity.digest());
        assertEquals(1, entity.packages());
        assertEquals(1, entity.security());
    }

    @Test
    public void aHostStoresNoDigest() throws Exception {
        String name = "web01.example.org";
        ReportDTO report = new ReportDTO("Debian 12", UpdateType.FULL, "#1 SMP", "6.1.0-18-amd64", List.of(), List.of(), List.of(), D1);
        reports.apply(EntityKind.HOST, name, report);
        reports.apply(EntityKind.HOST, name, report);
        image(name, D2);

        EntityDTO host = find(EntityKind.HOST, name);
        assertNull(host.digest());
        assertEquals("#1 SMP", host.kernel());
        assertEquals("6.1.0-18-amd64", host.kernelRelease());
        assertEquals(D2, find(EntityKind.IMAGE, name).digest());
    }

    // --- names --------------------------------------------------------------------------------

    @Test
    public void aHostNameIsOnePathSegment() throws Exception {
        for (String good : List.of("web01.example.org", "h", "host:8080", "x".repeat(255), "日本.example")) {
            entities.checkName(EntityKind.HOST, good);
        }
        for (String bad : List.of("a/b", "/a", "a/", "/", "")) {
            assertThrows(bad, InvalidReportException.class, () -> entities.checkName(EntityKind.HOST, bad));
        }
    }

    @Test
    public void anImageReferenceHasNoEmptySegment() throws Exception {
        for (String good : List.of(APP + ":1", "debian", "registry.example.org:5000/a/b/c:1@" + D1, "a/b")) {
            entities.checkName(EntityKind.IMAGE, good);
        }
        for (String bad : List.of("/a", "a/", "/", "a//b", "//a", "registry.example.org//app:1", "")) {
            assertThrows(bad, InvalidReportException.class, () -> entities.checkName(EntityKind.IMAGE, bad));
        }
    }

    @Test
    public void bothKindsRefuseWhitespaceControlCharactersAndLongNames() {
        for (EntityKind kind : EntityKind.values()) {
            for (String bad : List.of("a b", " a", "a\t", "a\u00a0b", "a\u2003b", "a\u0000", "a\u007f", "a\nb", "x".repeat(256))) {
                assertThrows(kind + " " + bad, InvalidReportException.class, () -> entities.checkName(kind, bad));
            }
        }
    }
}
