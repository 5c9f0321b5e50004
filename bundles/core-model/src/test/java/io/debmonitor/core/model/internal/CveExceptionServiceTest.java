package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveIssueRowDTO;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

/**
 * Exceptions (CVE.md §10) through the real path on both databases: reports applied, the fixture
 * imported, exceptions accepted and revoked, the refresher run, the entity and fleet views read.
 */
@RunWith(Parameterized.class)
public class CveExceptionServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String KERNEL = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";
    private static final InstalledDTO OPENSSL_OLD = new InstalledDTO("libssl3", "3.0.14-1~deb12u2", "openssl", "3.0.14-1~deb12u2");
    private static final InstalledDTO ZLIB = new InstalledDTO("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1");
    private static final String ISSUE = "CVE-2024-9143";
    private static final String IMAGE = "registry.example.org/app:1";
    private static final String ADMIN = "shell:karaf";

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private CveFeedServiceImpl feed;
    private CveServiceImpl cves;
    private CveRefresher refresher;
    private CveFleetServiceImpl fleet;
    private CveExceptionServiceImpl exceptions;
    private Instant inAMonth;

    public CveExceptionServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        feed = new CveFeedServiceImpl(db.database);
        cves = new CveServiceImpl(db.database);
        refresher = new CveRefresher(db.database, Clock.systemUTC());
        // The dashboard's counts are read again on every call: no cache between the assertions.
        fleet = new CveFleetServiceImpl(db.database, feed, refresher, Clock.systemUTC(), Duration.ofHours(24), Duration.ZERO);
        exceptions = new CveExceptionServiceImpl(db.database, new AuditServiceImpl(db.database), Clock.systemUTC());
        inAMonth = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
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

    /** Hosts a (openssl, zlib) and b (openssl) and an image (openssl), the fixture imported, their findings stored. */
    private void fleetWithTheFixture() {
        host("a.example.org", OPENSSL_OLD, ZLIB);
        host("b.example.org", OPENSSL_OLD);
        reports.apply(EntityKind.IMAGE, IMAGE, new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(OPENSSL_OLD), List.of(), List.of()));
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals(3, refresher.refresh().entities());
    }

    private CveFindingDTO finding(EntityKind kind, String entity, String issue, String source) {
        return cves.entity(kind, entity).orElseThrow().findings().stream().filter(f -> f.cve().equals(issue) && f.source().equals(source))
                .findFirst().orElseThrow(() -> new AssertionError("no finding " + issue + " " + source + " on " + entity));
    }

    private EntityCvesPageDTO.Counts counts(String host) {
        return cves.page(EntityKind.HOST, host, CveFilter.DEFAULT, PageRequest.first(10)).orElseThrow().counts();
    }

    /** The stored rows of an entity: issue and source → "verdict counted accepted". */
    private Map<String, String> stored(KindDescriptor t, String entity) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var c = db.dataSource.getConnection(); var ps = c.prepareStatement("select x.issue, x.source_name, x.verdict, x.counted, x.accepted"
                + " from " + t.cves() + " x join " + t.entity() + " e on e.id = x." + t.owner() + " where e.name = ?")) {
            ps.setString(1, entity);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3) + (rs.getBoolean(4) ? " counted" : "")
                            + (rs.getBoolean(5) ? " accepted" : ""));
                }
            }
        }
        return out;
    }

    private long pending(String table, String name) throws Exception {
        return db.count("select cve_pending from " + table + " where name = '" + name + "'");
    }

    private long counted(String host) throws Exception {
        return db.count("select cve_counted from host where name = '" + host + "'");
    }

    @Test
    public void anAcceptedFindingLeavesTheHeadlineButStaysListed() throws Exception {
        fleetWithTheFixture();
        long before = counted("a.example.org");
        assertEquals(before, counts("a.example.org").affected());
        assertTrue(finding(EntityKind.HOST, "a.example.org", ISSUE, "openssl").counted());

        CveExceptionDTO accepted = exceptions.accept(" cve-2024-9143 ", null, EntityKind.HOST, "a.example.org", " Internal host, no TLS peers ",
                inAMonth, ADMIN);
        assertEquals(ISSUE, accepted.issue());
        assertEquals("Internal host, no TLS peers", accepted.reason());
        assertEquals(CveExceptionDTO.State.ACTIVE, accepted.state());
        assertEquals(accepted, exceptions.find(accepted.id()).orElseThrow());
        assertTrue("the host waits for the refresher", pending("host", "a.example.org") > 0);
        assertEquals("only the host the exception names", 0, pending("host", "b.example.org"));
        assertEquals(0, pending("image", IMAGE));

        // The tab judges with the exception at once: same verdict, accepted, not counted.
        CveFindingDTO f = finding(EntityKind.HOST, "a.example.org", ISSUE, "openssl");
        assertEquals(CveVerdict.AFFECTED_FIXED, f.verdict());
        assertFalse(f.counted());
        assertEquals(new CveFindingDTO.Accepted(accepted.id(), "Internal host, no TLS peers", ADMIN, accepted.created(), inAMonth), f.accepted());
        assertEquals("not_offered", f.fix());
        EntityCvesPageDTO.Counts counts = counts("a.example.org");
        assertEquals(before - 1, counts.affected());
        assertEquals(Long.valueOf(1), counts.states().get(CveFilter.ACCEPTED));
        assertFalse("counted under accepted instead", counts.states().containsKey("AFFECTED_FIXED"));
        assertEquals("listed by default", List.of(ISSUE), cves.page(EntityKind.HOST, "a.example.org", new CveFilter(null, null, CveFilter.ACCEPTED,
                null, null, Set.of()), PageRequest.first(10)).orElseThrow().findings().items().stream().map(CveFindingDTO::cve).toList());
        assertTrue(finding(EntityKind.HOST, "b.example.org", ISSUE, "openssl").counted());

        // The refresher stores it accepted: the host's badge and the fleet counts leave it out of the headline.
        assertEquals(1, refresher.refresh().entities());
        assertEquals("AFFECTED_FIXED accepted", stored(KindDescriptor.HOST, "a.example.org").get(ISSUE + " openssl"));
        assertEquals("AFFECTED_FIXED counted", stored(KindDescriptor.HOST, "b.example.org").get(ISSUE + " openssl"));
        assertEquals(before - 1, counted("a.example.org"));
        assertEquals(0, db.count("select count(*) from host_cve_event where issue = '" + ISSUE + "'"));
        assertEquals("nothing left to do", 0, refresher.refresh().entities());

        CveIssueRowDTO row = fleet.issues(CveFilter.DEFAULT, PageRequest.first(50)).items().stream().filter(r -> r.cve().equals(ISSUE))
                .findFirst().orElseThrow();
        assertEquals(Map.of("AFFECTED_FIXED", 2L, CveFilter.ACCEPTED, 1L), row.states());
        assertEquals(2, row.hosts());
        CveIssueRowDTO onlyAccepted = fleet.issues(new CveFilter(null, null, CveFilter.ACCEPTED, null, null, Set.of()), PageRequest.first(50))
                .items().get(0);
        assertEquals(ISSUE, onlyAccepted.cve());
        assertEquals(1, onlyAccepted.hosts() + onlyAccepted.images());
        assertEquals(3, fleet.findings(ISSUE, CveFilter.DEFAULT, PageRequest.first(10)).total());
        var acceptedItems = fleet.findings(ISSUE, new CveFilter(null, null, CveFilter.ACCEPTED, null, null, Set.of()), PageRequest.first(10));
        assertEquals(1, acceptedItems.total());
        assertEquals("a.example.org", acceptedItems.items().get(0).entity().name());
        assertEquals(accepted.id(), acceptedItems.items().get(0).finding().accepted().id());
        Map<String, Long> matrix = fleet.dashboard().matrix().get("not yet assigned");
        assertEquals(Long.valueOf(1), matrix.get("accepted"));
        // openssl on b and the image, and the kernel running on both hosts
        assertEquals(Long.valueOf(4), matrix.get("fix_not_offered"));

        assertEquals(1, db.count("select count(*) from audit_event where action = 'CVE_ACCEPTED' and actor = 'shell:karaf' and target = '"
                + ISSUE + "'"));
    }

    @Test
    public void exceptionsAreScopedBySourceAndEntity() throws Exception {
        // A second source with the same issue: zlib, open with no fix in bookworm.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode document = (ObjectNode) mapper.readTree(CveFeedReaderTest.FIXTURE.toFile());
        ((ObjectNode) document.get("zlib")).set(ISSUE, mapper.readTree("{\"releases\": {\"bookworm\": {\"status\": \"open\","
                + " \"repositories\": {\"bookworm\": \"1:1.2.13.dfsg-1\"}, \"urgency\": \"low\"}}}"));
        Path twoSources = Files.createTempFile("dst-two-sources", ".json");
        try {
            mapper.writeValue(twoSources.toFile(), document);
            host("a.example.org", OPENSSL_OLD, ZLIB);
            host("b.example.org", OPENSSL_OLD);
            reports.apply(EntityKind.IMAGE, IMAGE, new ReportDTO("Debian 12", UpdateType.FULL, null, null, List.of(OPENSSL_OLD), List.of(),
                    List.of()));
            feed.importFeed(twoSources, "file:two-sources");
        } finally {
            Files.delete(twoSources);
        }
        refresher.refresh();
        long before = counted("a.example.org");
        long beforeB = counted("b.example.org");

        // Every host and image, openssl only: zlib's finding of the same issue still counts, so the headline keeps the issue.
        CveExceptionDTO openssl = exceptions.accept(ISSUE, "openssl", null, null, "Fleet-wide: fixed by the next image rebuild", inAMonth, ADMIN);
        assertTrue(pending("host", "b.example.org") > 0);
        assertTrue(pending("image", IMAGE) > 0);
        refresher.refresh();
        assertEquals("AFFECTED_FIXED accepted", stored(KindDescriptor.HOST, "a.example.org").get(ISSUE + " openssl"));
        assertEquals("AFFECTED_OPEN counted", stored(KindDescriptor.HOST, "a.example.org").get(ISSUE + " zlib"));
        assertEquals("AFFECTED_FIXED accepted", stored(KindDescriptor.IMAGE, IMAGE).get(ISSUE + " openssl"));
        assertEquals(before, counted("a.example.org"));
        assertEquals(beforeB - 1, counted("b.example.org"));
        assertNull(finding(EntityKind.HOST, "a.example.org", ISSUE, "zlib").accepted());

        // One host, every source: the more specific exception wins on that host, the fleet-wide one elsewhere.
        CveExceptionDTO onA = exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "Lab host", null, ADMIN);
        refresher.refresh();
        assertEquals(onA.id(), finding(EntityKind.HOST, "a.example.org", ISSUE, "openssl").accepted().id());
        assertEquals(onA.id(), finding(EntityKind.HOST, "a.example.org", ISSUE, "zlib").accepted().id());
        assertEquals(openssl.id(), finding(EntityKind.HOST, "b.example.org", ISSUE, "openssl").accepted().id());
        assertEquals(openssl.id(), finding(EntityKind.IMAGE, IMAGE, ISSUE, "openssl").accepted().id());
        assertEquals("AFFECTED_OPEN accepted", stored(KindDescriptor.HOST, "a.example.org").get(ISSUE + " zlib"));
        assertEquals(before - 1, counted("a.example.org"));
        // Other issues of the same sources are untouched.
        assertEquals("AFFECTED_OPEN counted", stored(KindDescriptor.HOST, "a.example.org").get("CVE-2023-45853 zlib"));

        // The same scope twice is refused; a different one is not.
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> exceptions.accept(ISSUE, "openssl", null, null, "again", null, ADMIN));
        assertEquals(ISSUE + " is already accepted for this scope by exception " + openssl.id() + "; revoke it first to change it.",
                twice.getMessage());
        exceptions.accept(ISSUE, "zlib", null, null, "zlib too", null, ADMIN);
    }

    @Test
    public void expiredExceptionsLapseByThemselves() throws Exception {
        fleetWithTheFixture();
        long before = counted("a.example.org");
        CveExceptionDTO accepted = exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "Until the maintenance window",
                inAMonth, ADMIN);
        refresher.refresh();
        assertEquals(before - 1, counted("a.example.org"));
        assertEquals("the expiry is not due", 0, refresher.refresh().entities());
        assertEquals(0, db.count("select count(*) from cve_exception where lapsed"));

        // The maintenance window has passed.
        try (var c = db.dataSource.getConnection(); var ps = c.prepareStatement("update cve_exception set expires = ? where id = ?")) {
            ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1));
            ps.setLong(2, accepted.id());
            ps.executeUpdate();
        }
        assertNull("the tab no longer applies it", finding(EntityKind.HOST, "a.example.org", ISSUE, "openssl").accepted());
        assertEquals(CveExceptionDTO.State.EXPIRED, exceptions.find(accepted.id()).orElseThrow().state());
        assertEquals(1, refresher.refresh().entities());
        assertEquals("AFFECTED_FIXED counted", stored(KindDescriptor.HOST, "a.example.org").get(ISSUE + " openssl"));
        assertEquals(before, counted("a.example.org"));
        assertEquals(1, db.count("select count(*) from cve_exception where lapsed"));
        assertEquals("lapsed once", 0, refresher.refresh().entities());

        IllegalArgumentException revoke = assertThrows(IllegalArgumentException.class, () -> exceptions.revoke(accepted.id(), ADMIN));
        assertEquals("CVE exception " + accepted.id() + " is expired already.", revoke.getMessage());
        // An expired exception no longer blocks a new one with the same scope.
        exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "Another window", inAMonth, ADMIN);
    }

    @Test
    public void aRevokedExceptionCountsAgain() throws Exception {
        fleetWithTheFixture();
        long before = counted("b.example.org");
        CveExceptionDTO accepted = exceptions.accept(ISSUE, "openssl", null, null, "Reviewed", null, ADMIN);
        refresher.refresh();
        assertEquals(before - 1, counted("b.example.org"));

        CveExceptionDTO revoked = exceptions.revoke(accepted.id(), "ui:alice");
        assertEquals(CveExceptionDTO.State.REVOKED, revoked.state());
        assertEquals("ui:alice", revoked.revokedBy());
        assertNotNull(revoked.revoked());
        assertEquals(revoked, exceptions.find(accepted.id()).orElseThrow());
        assertTrue(pending("host", "a.example.org") > 0);
        assertTrue(pending("host", "b.example.org") > 0);
        assertTrue(pending("image", IMAGE) > 0);
        assertEquals(3, refresher.refresh().entities());
        assertEquals(before, counted("b.example.org"));
        assertEquals("AFFECTED_FIXED counted", stored(KindDescriptor.IMAGE, IMAGE).get(ISSUE + " openssl"));
        assertEquals(1, db.count("select count(*) from audit_event where action = 'CVE_REVOKED' and actor = 'ui:alice'"));

        assertEquals("CVE exception " + accepted.id() + " is revoked already.",
                assertThrows(IllegalArgumentException.class, () -> exceptions.revoke(accepted.id(), ADMIN)).getMessage());
        assertEquals("No CVE exception 999999.", assertThrows(IllegalArgumentException.class, () -> exceptions.revoke(999999, ADMIN)).getMessage());
    }

    @Test
    public void badInputIsRefusedWithAClearMessage() {
        host("a.example.org", OPENSSL_OLD);
        assertEquals("No CVE feed is imported yet: an exception needs the issue in the active snapshot.", refused(ISSUE, null, null, null, "r", null));
        feed.importFeed(CveFeedReaderTest.FIXTURE, "file:fixture");
        assertEquals("'CVE-24-1' is no tracker issue name: CVE-YYYY-NNNN or TEMP-….", refused("CVE-24-1", null, null, null, "r", null));
        assertEquals("CVE-1999-0001 is not in the active CVE feed snapshot.", refused("CVE-1999-0001", null, null, null, "r", null));
        assertEquals("Source package 'zlib' has no entry for " + ISSUE + " in the active CVE feed snapshot; it lists openssl.",
                refused(ISSUE, "zlib", null, null, "r", null));
        assertEquals("No host named 'x.example.org'.", refused(ISSUE, null, EntityKind.HOST, "x.example.org", "r", null));
        assertEquals("No image named 'a.example.org'.", refused(ISSUE, null, EntityKind.IMAGE, "a.example.org", "r", null));
        assertEquals("An exception for one host or image needs both its kind and its name.", refused(ISSUE, null, EntityKind.HOST, " ", "r", null));
        assertEquals("Give a reason for accepting " + ISSUE + ".", refused(ISSUE, null, null, null, "  ", null));
        assertEquals("The reason is longer than 2000 characters.", refused(ISSUE, null, null, null, "x".repeat(2001), null));
        Instant past = Instant.parse("2020-01-01T00:00:00Z");
        assertEquals("The expiry must be in the future, not 2020-01-01T00:00:00Z.", refused(ISSUE, null, null, null, "r", past));
        assertEquals("Invalid expiry '2026-13-01': expected a date, YYYY-MM-DD.",
                assertThrows(IllegalArgumentException.class, () -> CveExceptionService.expiryOf("2026-13-01")).getMessage());
        assertEquals(Instant.parse("2031-07-01T00:00:00Z"), CveExceptionService.expiryOf(" 2031-07-01 "));
        assertEquals(0, new CveExceptionServiceImpl(db.database, new AuditServiceImpl(db.database), cveConfiguration(true))
                .list(CveExceptionFilter.ALL, PageRequest.first(10)).total());
        // A TEMP name keeps its case after the prefix.
        assertEquals("TEMP-0000000-A1B2C3", exceptions.accept("temp-0000000-A1B2C3", "openssl", null, null, "synthetic", null, ADMIN).issue());
    }

    /** PID io.debmonitor.cve with its defaults but {@code enabled}. */
    private static CveConfiguration cveConfiguration(boolean enabled) {
        return (CveConfiguration) java.lang.reflect.Proxy.newProxyInstance(CveConfiguration.class.getClassLoader(),
                new Class<?>[] {CveConfiguration.class}, (proxy, method, args) -> method.getName().equals("enabled") ? enabled
                        : method.getDefaultValue());
    }

    @Test
    public void turnedOffCveCorrelationRefusesExceptionsAsImports() throws Exception {
        fleetWithTheFixture();
        CveExceptionDTO accepted = exceptions.accept(ISSUE, null, null, null, "before it was turned off", null, ADMIN);
        exceptions.modified(cveConfiguration(false));
        for (org.junit.function.ThrowingRunnable refused : List.<org.junit.function.ThrowingRunnable>of(
                () -> exceptions.accept(ISSUE, "openssl", null, null, "r", null, ADMIN), () -> exceptions.revoke(accepted.id(), ADMIN),
                () -> exceptions.list(CveExceptionFilter.ALL, PageRequest.first(10)),
                () -> exceptions.export(CveExceptionService.VexFormat.OPENVEX))) {
            assertEquals(CveFeedServiceImpl.DISABLED, assertThrows(IllegalStateException.class, refused).getMessage());
        }
        assertEquals(1, db.count("select count(*) from cve_exception where revoked is null"));
        exceptions.modified(cveConfiguration(true));
        assertEquals(CveExceptionDTO.State.REVOKED, exceptions.revoke(accepted.id(), ADMIN).state());
    }

    @Test
    public void aStateFilterLeavesAcceptedFindingsToTheAcceptedState() throws Exception {
        fleetWithTheFixture();
        exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "Internal host", null, ADMIN);
        refresher.refresh();
        CveFilter affectedFixed = new CveFilter(null, null, "AFFECTED_FIXED", null, null, Set.of());

        // /cves/: the row's count of a state is what the state's filter lists.
        CveIssueRowDTO all = fleet.issues(CveFilter.DEFAULT, PageRequest.first(50)).items().stream().filter(r -> r.cve().equals(ISSUE))
                .findFirst().orElseThrow();
        assertEquals(Map.of("AFFECTED_FIXED", 2L, CveFilter.ACCEPTED, 1L), all.states());
        CveIssueRowDTO filtered = fleet.issues(affectedFixed, PageRequest.first(50)).items().stream().filter(r -> r.cve().equals(ISSUE))
                .findFirst().orElseThrow();
        assertEquals(Map.of("AFFECTED_FIXED", 2L), filtered.states());
        assertEquals(2, filtered.hosts() + filtered.images());

        // /cves/{id}: the same findings, the accepted one under ACCEPTED only.
        var listed = fleet.findings(ISSUE, affectedFixed, PageRequest.first(10));
        assertEquals(2, listed.total());
        assertEquals(Set.of("b.example.org", IMAGE), Set.copyOf(listed.items().stream().map(i -> i.entity().name()).toList()));
        var accepted = fleet.findings(ISSUE, new CveFilter(null, null, CveFilter.ACCEPTED, null, null, Set.of()), PageRequest.first(10));
        assertEquals(List.of("a.example.org"), accepted.items().stream().map(i -> i.entity().name()).toList());
        assertEquals("with a filter on the entity too", 0, fleet.findings(ISSUE, new CveFilter("a.example", null, "AFFECTED_FIXED", null, null,
                Set.of()), PageRequest.first(10)).total());

        // The host's tab.
        assertTrue(cves.page(EntityKind.HOST, "a.example.org", affectedFixed, PageRequest.first(50)).orElseThrow().findings().items().stream()
                .noneMatch(f -> f.cve().equals(ISSUE)));
        assertTrue(affectedFixed.inState(CveVerdict.AFFECTED_FIXED, null, false));
        assertFalse(affectedFixed.inState(CveVerdict.AFFECTED_FIXED, null, true));
        assertTrue(CveFilter.DEFAULT.inState(CveVerdict.AFFECTED_FIXED, null, true));
    }

    @Test
    public void judgingAppliesTheExceptionsActiveAtTheCallersInstant() throws Exception {
        fleetWithTheFixture();
        CveExceptionDTO accepted = exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "Until the window", inAMonth, ADMIN);
        long id = db.count("select id from host where name = 'a.example.org'");
        try (var c = db.dataSource.getConnection()) {
            assertEquals(List.of(accepted.id()), CveExceptionServiceImpl.active(c, KindDescriptor.HOST, List.of(id), inAMonth.minusMillis(1))
                    .get(id).get(ISSUE).stream().map(CveExceptionServiceImpl.Rule::id).toList());
            assertEquals("lapsed at its expiry", Map.of(), CveExceptionServiceImpl.active(c, KindDescriptor.HOST, List.of(id), inAMonth).get(id));
        }
        // The service's own clock decides the state it reports, and judging at that clock's instant agrees.
        Clock later = Clock.fixed(inAMonth.plusSeconds(1), ZoneOffset.UTC);
        CveExceptionServiceImpl afterwards = new CveExceptionServiceImpl(db.database, new AuditServiceImpl(db.database), later);
        assertEquals(CveExceptionDTO.State.EXPIRED, afterwards.find(accepted.id()).orElseThrow().state());
        try (var c = db.dataSource.getConnection()) {
            assertEquals(Map.of(), CveExceptionServiceImpl.active(c, KindDescriptor.HOST, List.of(id), later.instant()).get(id));
        }
    }

    private String refused(String issue, String source, EntityKind kind, String entity, String reason, Instant expires) {
        return assertThrows(IllegalArgumentException.class, () -> exceptions.accept(issue, source, kind, entity, reason, expires, ADMIN))
                .getMessage();
    }

    @Test
    public void theListFiltersByStateIssueAndEntity() throws Exception {
        fleetWithTheFixture();
        CveExceptionDTO first = exceptions.accept(ISSUE, null, EntityKind.HOST, "a.example.org", "one", inAMonth, ADMIN);
        CveExceptionDTO second = exceptions.accept("CVE-2023-45853", null, null, null, "two", null, ADMIN);
        CveExceptionDTO third = exceptions.accept(ISSUE, null, EntityKind.IMAGE, IMAGE, "three", null, ADMIN);
        exceptions.revoke(third.id(), ADMIN);
        try (var c = db.dataSource.getConnection(); var ps = c.prepareStatement("update cve_exception set expires = ? where id = ?")) {
            ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusDays(1));
            ps.setLong(2, second.id());
            ps.executeUpdate();
        }
        assertEquals(List.of(third.id(), second.id(), first.id()), ids(exceptions.list(CveExceptionFilter.ALL, PageRequest.first(10))));
        assertEquals(List.of(first.id()), ids(exceptions.list(new CveExceptionFilter(null, CveExceptionDTO.State.ACTIVE, null, null),
                PageRequest.first(10))));
        assertEquals(List.of(second.id()), ids(exceptions.list(new CveExceptionFilter(null, CveExceptionDTO.State.EXPIRED, null, null),
                PageRequest.first(10))));
        assertEquals(List.of(third.id()), ids(exceptions.list(new CveExceptionFilter(null, CveExceptionDTO.State.REVOKED, null, null),
                PageRequest.first(10))));
        assertEquals(List.of(third.id(), first.id()), ids(exceptions.list(new CveExceptionFilter(ISSUE, null, null, null), PageRequest.first(10))));
        assertEquals(List.of(first.id()), ids(exceptions.list(new CveExceptionFilter(null, null, EntityKind.HOST, "a.example.org"),
                PageRequest.first(10))));
        assertEquals(List.of(first.id(), second.id(), third.id()), ids(exceptions.list(CveExceptionFilter.ALL,
                new PageRequest(1, 10, "created", false))));
        assertEquals("never-expiring last", List.of(second.id(), first.id(), third.id()), ids(exceptions.list(CveExceptionFilter.ALL,
                new PageRequest(1, 10, "expires", false))));
        PageDTO<CveExceptionDTO> paged = exceptions.list(CveExceptionFilter.ALL, new PageRequest(2, 2, null, false));
        assertEquals(3, paged.total());
        assertEquals(List.of(first.id()), ids(paged));
        assertThrows(IllegalArgumentException.class, () -> exceptions.list(CveExceptionFilter.ALL, new PageRequest(1, 10, "reason", false)));
    }

    private static List<Long> ids(PageDTO<CveExceptionDTO> page) {
        return page.items().stream().map(CveExceptionDTO::id).toList();
    }

    @Test
    public void theActiveExceptionsExportAsOpenVexAndCycloneDxVex() throws Exception {
        fleetWithTheFixture();
        CveExceptionDTO onHost = exceptions.accept(ISSUE, "openssl", EntityKind.HOST, "a.example.org", "Internal only", inAMonth, ADMIN);
        CveExceptionDTO everywhere = exceptions.accept("CVE-2023-45853", null, null, null, "Debian will not fix it", null, "ui:alice");
        CveExceptionDTO onImage = exceptions.accept(ISSUE, null, EntityKind.IMAGE, IMAGE, "Rebuilt next week", null, ADMIN);
        CveExceptionDTO revoked = exceptions.accept("CVE-2024-6387", null, null, null, "Revoked one", null, ADMIN);
        exceptions.revoke(revoked.id(), ADMIN);

        ObjectMapper mapper = new ObjectMapper();
        JsonNode openVex = mapper.readTree(exceptions.export(CveExceptionService.VexFormat.OPENVEX));
        assertEquals("https://openvex.dev/ns/v0.2.0", openVex.get("@context").asText());
        assertTrue(openVex.get("@id").asText().startsWith("urn:uuid:"));
        assertEquals(1, openVex.get("version").asInt());
        assertNotNull(Instant.parse(openVex.get("timestamp").asText()));
        JsonNode statements = openVex.get("statements");
        assertEquals("active exceptions only", 3, statements.size());
        for (JsonNode statement : statements) {
            assertEquals("a risk accepted is no claim of not being affected", "affected", statement.get("status").asText());
            assertFalse(statement.has("justification"));
            assertTrue(statement.get("action_statement").asText().contains("no fix will be applied"));
        }
        JsonNode first = statements.get(0);
        assertEquals(ISSUE, first.get("vulnerability").get("name").asText());
        assertEquals("urn:debmonitor:host:a.example.org", first.get("products").get(0).get("@id").asText());
        assertEquals("pkg:deb/debian/openssl?arch=source", first.get("products").get(0).get("subcomponents").get(0).get("@id").asText());
        assertEquals("Risk accepted in DebMonitor (exception " + onHost.id() + ", by shell:karaf, until " + inAMonth
                + "): no fix will be applied. Reason: Internal only", first.get("action_statement").asText());
        assertEquals(onHost.created().toString(), first.get("timestamp").asText());
        JsonNode second = statements.get(1);
        assertEquals("every source the feed lists for the issue", "pkg:deb/debian/zlib?arch=source", second.get("products").get(0).get("@id").asText());
        assertTrue(second.get("action_statement").asText().contains("(exception " + everywhere.id() + ", by ui:alice, no expiry)"));
        assertEquals("urn:debmonitor:image:registry.example.org/app:1", statements.get(2).get("products").get(0).get("@id").asText());
        assertFalse(statements.get(2).get("products").get(0).has("subcomponents"));

        String cycloneDx = exceptions.export(CveExceptionService.VexFormat.CYCLONEDX);
        List<String> problems = new JsonParser().validate(cycloneDx.getBytes(StandardCharsets.UTF_8), Version.VERSION_15).stream()
                .map(Throwable::getMessage).toList();
        assertEquals(List.of(), problems);
        JsonNode bom = mapper.readTree(cycloneDx);
        assertEquals("1.5", bom.get("specVersion").asText());
        Set<String> refs = new HashSet<>();
        List<JsonNode> components = new ArrayList<>();
        bom.get("components").forEach(components::add);
        for (int i = 0; i < components.size(); i++) {
            JsonNode component = components.get(i);
            assertTrue("bom-refs are unique", refs.add(component.get("bom-ref").asText()));
            if (component.has("components")) {
                component.get("components").forEach(components::add);
            }
        }
        JsonNode vulnerabilities = bom.get("vulnerabilities");
        assertEquals(3, vulnerabilities.size());
        for (JsonNode vulnerability : vulnerabilities) {
            assertEquals("exploitable", vulnerability.get("analysis").get("state").asText());
            assertEquals("will_not_fix", vulnerability.get("analysis").get("response").get(0).asText());
            for (JsonNode affects : vulnerability.get("affects")) {
                assertTrue("affects names a component of the BOM: " + affects, refs.contains(affects.get("ref").asText()));
            }
        }
        JsonNode host = vulnerabilities.get(0);
        assertEquals(ISSUE, host.get("id").asText());
        assertEquals("https://security-tracker.debian.org/tracker/" + ISSUE, host.get("source").get("url").asText());
        assertEquals("urn:debmonitor:host:a.example.org#pkg:deb/debian/openssl?arch=source", host.get("affects").get(0).get("ref").asText());
        assertEquals(inAMonth.toString(), host.get("properties").get(0).get("value").asText());
        assertTrue(host.get("analysis").get("detail").asText().endsWith("Reason: Internal only"));
        assertEquals("pkg:deb/debian/zlib?arch=source", vulnerabilities.get(1).get("affects").get(0).get("ref").asText());
        assertEquals("urn:debmonitor:image:registry.example.org/app:1", vulnerabilities.get(2).get("affects").get(0).get("ref").asText());
        assertEquals("debmonitor-exception-" + onImage.id(), vulnerabilities.get(2).get("bom-ref").asText());
    }

    @Test
    public void namesArePercentEncodedInProductIdentifiers() {
        assertEquals("pkg:deb/debian/libxml%2B%2B2.6?arch=source", CveVex.sourcePurl("libxml++2.6"));
        assertEquals("urn:debmonitor:image:registry.example.org/team/app:1@sha256:ab", CveVex.entityUrn(EntityKind.IMAGE,
                "registry.example.org/team/app:1@sha256:ab"));
        assertEquals("urn:debmonitor:host:a%22b%25c", CveVex.entityUrn(EntityKind.HOST, "a\"b%c"));
    }
}
