package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.ReportServiceTest.report;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.ActivityListener;
import io.debmonitor.core.model.api.AsOfDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HistoryEventDTO;
import io.debmonitor.core.model.api.HistoryFilter;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.RolloutDTO;
import io.debmonitor.core.model.api.UpdateType;

/** Package history (issue #13) on both databases: events written by reports, past states, rollouts, retention. */
@RunWith(Parameterized.class)
public class HistoryServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final String HOST = "db1001.example.org";

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;
    private HistoryServiceImpl history;
    private final List<String> heard = new ArrayList<>();

    public HistoryServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        reports.listeners = List.of(new ActivityListener() {
            @Override
            public void historyRecorded(EntityKind k, long events) {
                heard.add(k + " " + events);
            }
        });
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        history = new HistoryServiceImpl(db.database);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    /** Applies a report and returns the events it recorded, as "event package before>after upgrade-before>after type". */
    private List<String> apply(EntityKind kind, String name, ReportDTO report) {
        long before = history.timeline(kind, name, HistoryFilter.ALL, PageRequest.first(1)).total();
        reports.apply(kind, name, report);
        List<HistoryEventDTO> all = history.timeline(kind, name, HistoryFilter.ALL, new PageRequest(1, 10_000, null, false)).items();
        List<String> out = new ArrayList<>();
        for (HistoryEventDTO e : all.subList(0, (int) (all.size() - before))) {
            out.add(0, e.event().wireName() + (e.packageName() == null ? "" : " " + e.packageName() + " " + e.versionBefore() + ">"
                    + e.versionAfter() + " " + e.upgradeBefore() + ">" + e.upgradeAfter() + " " + e.upgradeTypeAfter()) + " " + e.updateType());
        }
        out.sort(null);
        return out;
    }

    @Test
    public void eachChangeThroughEachUpdateTypeRecordsExactlyItsEvents() {
        // A first report records one baseline, not one event per package.
        assertEquals(List.of("baseline full"), apply(EntityKind.HOST, HOST,
                report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=2", "c=1", "d=1"), List.of(), List.of("d 1>2"))));
        assertEquals(List.of("HOST 1"), heard);
        // An unchanged full report records none.
        assertEquals(List.of(), apply(EntityKind.HOST, HOST,
                report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=2", "c=1", "d=1"), List.of(), List.of("d 1>2"))));
        assertEquals(List.of(
                "downgraded b 2>1 null>null null full",
                "installed e null>3 null>null null full",
                "removed c 1>null null>null null full",
                "upgrade_offered a 1>1 null>2 security full",
                "upgrade_withdrawn d 1>1 2>null null full"),
                apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "d=1", "e=3"), List.of(),
                        List.of("a 1>2 security"))));
        // An upgradable report offers, re-types and withdraws upgrades, and may add an untracked package.
        assertEquals(List.of(
                "installed f null>1 null>2 null upgradable",
                "upgrade_offered a 1>1 2>3 null upgradable",
                "upgrade_offered e 3>3 null>4 null upgradable"),
                apply(EntityKind.HOST, HOST, report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(),
                        List.of("a 1>3", "e 3>4", "f 1>2", "b 1>1"))));
        // A dpkg hook installs, upgrades (which withdraws the offer) and removes.
        assertEquals(List.of(
                "installed g null>1 null>null null dpkg_hook",
                "removed f 1>null 2>null null dpkg_hook",
                "upgraded a 1>3 3>null null dpkg_hook"),
                apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=3", "g=1"), List.of("f"), List.of())));
        // The same version again records nothing.
        assertEquals(List.of(), apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=3"), List.of(), List.of())));
        assertEquals(List.of("baseline full"), apply(EntityKind.IMAGE, "registry.example.org/app:1",
                report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of())));
        assertEquals(List.of("HOST 1", "HOST 5", "HOST 3", "HOST 3", "IMAGE 1"), heard);

        // The timeline filters by package and period, newest first.
        List<HistoryEventDTO> a = history.timeline(EntityKind.HOST, HOST, new HistoryFilter("a", null, null), PageRequest.first(10)).items();
        assertEquals(List.of("upgraded", "upgrade_offered", "upgrade_offered"), a.stream().map(e -> e.event().wireName()).toList());
        Instant last = a.get(0).created();
        // Reports applied within one millisecond share their time: the expected counts follow the recorded times.
        long atOrAfter = a.stream().filter(e -> !e.created().isBefore(last)).count();
        assertEquals(atOrAfter, history.timeline(EntityKind.HOST, HOST, new HistoryFilter("a", last, null), PageRequest.first(10)).total());
        assertEquals(a.size() - atOrAfter, history.timeline(EntityKind.HOST, HOST, new HistoryFilter("a", null, last), PageRequest.first(10)).total());
        assertEquals(0, history.timeline(EntityKind.HOST, "unknown.example.org", HistoryFilter.ALL, PageRequest.first(10)).total());
    }

    @Test
    public void asOfGivesTheExactEarlierStateAfterASequenceOfReports() throws Exception {
        Instant beforeHistory = stamp();
        List<ReportDTO> sequence = List.of(
                report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "c=1"), List.of(), List.of("c 1>2 security")),
                report(UpdateType.DPKG_HOOK, "Debian 12", List.of("c=2", "d=1"), List.of("b"), List.of()),
                report(UpdateType.UPGRADABLE, "Debian 12", List.of(), List.of(), List.of("a 1>1.1", "d 1>2")),
                report(UpdateType.FULL, "Debian 13", List.of("a=1.1", "d=1", "e=5"), List.of(), List.of("d 1>2")),
                report(UpdateType.FULL, "Debian 13", List.of("a=1.1", "d=1", "e=5"), List.of(), List.of("d 1>2")),
                report(UpdateType.FULL, "Debian 13", List.of("a=0.9"), List.of(), List.of()));
        Map<Instant, List<PackageRowDTO>> states = new LinkedHashMap<>();
        for (ReportDTO report : sequence) {
            reports.apply(EntityKind.HOST, HOST, report);
            states.put(stamp(), entities.rows(EntityKind.HOST, HOST));
        }
        states.forEach((when, rows) -> {
            AsOfDTO asOf = history.asOf(EntityKind.HOST, HOST, when).orElseThrow();
            assertTrue(asOf.known());
            assertEquals("as of " + when, rows, asOf.rows());
        });
        AsOfDTO before = history.asOf(EntityKind.HOST, HOST, beforeHistory).orElseThrow();
        assertFalse("never a guess before history began", before.known());
        assertEquals(List.of(), before.rows());
        assertTrue(before.knownSince().isAfter(beforeHistory));
        assertTrue(history.asOf(EntityKind.HOST, "unknown.example.org", beforeHistory).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> history.asOf(EntityKind.HOST, HOST, Instant.now().plusSeconds(60)));

        // Deleting the host deletes its history.
        assertTrue(entities.delete(EntityKind.HOST, HOST) >= 0);
        assertEquals(0, db.count("select count(*) from host_event"));
    }

    @Test
    public void anEntitysTimesNeverGoBackwards() throws Exception {
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        // The last report came from a node whose clock runs a minute ahead (or took the lock first).
        LocalDateTime ahead = LocalDateTime.now(ZoneOffset.UTC).plusMinutes(1).truncatedTo(ChronoUnit.MILLIS);
        execute("update host set modified = ?", ahead);
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=2"), List.of(), List.of()));
        HistoryEventDTO upgrade = history.timeline(EntityKind.HOST, HOST, HistoryFilter.ALL, PageRequest.first(1)).items().get(0);
        assertEquals("upgraded", upgrade.event().wireName());
        assertEquals(ahead.toInstant(ZoneOffset.UTC), upgrade.created());
        assertEquals(upgrade.created(), entities.find(EntityKind.HOST, HOST).orElseThrow().modified());
    }

    @Test
    public void aHostStoredBeforeHistoryBeginsItWithItsNextReport() throws Exception {
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        execute("delete from host_event");
        execute("update host set history_since = null");
        Instant legacy = stamp();
        assertFalse(history.asOf(EntityKind.HOST, HOST, legacy).orElseThrow().known());
        // Even an unchanged full report begins it, once.
        assertEquals(List.of("baseline full"), apply(EntityKind.HOST, HOST,
                report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of())));
        assertEquals(List.of(), apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of())));
        assertEquals(List.of(new PackageRowDTO("a", "1", null, null)), history.asOf(EntityKind.HOST, HOST, stamp()).orElseThrow().rows());
    }

    @Test
    public void retentionPruningDeletesOnlyWhatIsOlder() throws Exception {
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=2"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("b=2"), List.of(), List.of()));
        reports.apply(EntityKind.IMAGE, "registry.example.org/app:1", report(UpdateType.FULL, "Debian 12", List.of("a=1"), List.of(), List.of()));
        // The baseline and a's upgrade happened 500 days ago, b's upgrade yesterday.
        LocalDateTime old = LocalDateTime.now(ZoneOffset.UTC).minusDays(500);
        execute("update host set history_since = ?", old);
        execute("update host_event set created = ? where event = 'baseline' or package = 'a'", old);
        execute("update host_event set created = ? where package = 'b'", LocalDateTime.now(ZoneOffset.UTC).minusDays(1));
        execute("update image_event set created = ?", old);
        Instant beforeRetention = Instant.now().minus(450, ChronoUnit.DAYS);
        assertTrue(history.asOf(EntityKind.HOST, HOST, beforeRetention).orElseThrow().known());

        GarbageCollectionServiceImpl gc = new GarbageCollectionServiceImpl(db.database, new AuditServiceImpl(db.database),
                GarbageCollectionTest.config(1000));
        assertEquals(3L, gc.run("test", true).steps().get(7).count());
        assertEquals(3L, gc.run("test", false).steps().get(7).count());
        assertEquals(List.of("upgraded b"), history.timeline(EntityKind.HOST, HOST, HistoryFilter.ALL, PageRequest.first(10)).items()
                .stream().map(e -> e.event().wireName() + " " + e.packageName()).toList());
        assertEquals(0, db.count("select count(*) from image_event"));
        AsOfDTO pruned = history.asOf(EntityKind.HOST, HOST, beforeRetention).orElseThrow();
        assertFalse("past retention the state is unknown", pruned.known());
        assertTrue(pruned.knownSince().isAfter(beforeRetention));
        assertEquals(List.of(new PackageRowDTO("a", "2", null, null), new PackageRowDTO("b", "1", null, null)),
                history.asOf(EntityKind.HOST, HOST, Instant.now().minus(2, ChronoUnit.DAYS)).orElseThrow().rows());
    }

    @Test
    public void garbageCollectionDeletesAStaleHostsHistoryInBatches() throws Exception {
        reports.apply(EntityKind.HOST, HOST, report(UpdateType.FULL, "Debian 12", List.of("a=0"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "live.example.org", report(UpdateType.FULL, "Debian 12", List.of("a=0"), List.of(), List.of()));
        for (int i = 1; i <= 24; i++) {
            reports.apply(EntityKind.HOST, HOST, report(UpdateType.DPKG_HOOK, "Debian 12", List.of("a=" + i), List.of(), List.of()));
        }
        assertEquals(26, db.count("select count(*) from host_event"));
        execute("update host set modified = ? where name = ?", LocalDateTime.now(ZoneOffset.UTC).minusDays(16), HOST);
        GarbageCollectionServiceImpl gc = new GarbageCollectionServiceImpl(db.database, new AuditServiceImpl(db.database),
                GarbageCollectionTest.config(10));
        assertEquals(1L, gc.run("test", false).steps().get(1).count());
        assertEquals("only the live host's baseline is left", 1, db.count("select count(*) from host_event"));
    }

    @Test
    public void rolloutCountsHostsPerVersionAtEachDaysEnd() throws Exception {
        reports.apply(EntityKind.HOST, "h1", report(UpdateType.FULL, "Debian 12", List.of("openssl=3.0.11"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "h1", report(UpdateType.DPKG_HOOK, "Debian 12", List.of("openssl=3.0.15"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "h2", report(UpdateType.FULL, "Debian 12", List.of("openssl=3.0.11"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "h3", report(UpdateType.FULL, "Debian 12", List.of("openssl=3.0.11", "x=1"), List.of(), List.of()));
        reports.apply(EntityKind.HOST, "h3", report(UpdateType.DPKG_HOOK, "Debian 12", List.of(), List.of("openssl"), List.of()));
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        // h1 and h3 began three days ago; h1 upgraded yesterday, h3 removed it two days ago; h2 is new today.
        execute("update host set history_since = ?, created = ? where name in ('h1', 'h3')", now.minusDays(3), now.minusDays(3));
        execute("update host_event set created = ? where event = 'baseline' and host_id in (select id from host where name in ('h1', 'h3'))",
                now.minusDays(3));
        execute("update host_event set created = ? where event = 'upgraded'", now.minusDays(1));
        execute("update host_event set created = ? where event = 'removed'", now.minusDays(2));

        RolloutDTO rollout = history.rollout(EntityKind.HOST, "openssl", 4);
        assertEquals(List.of("3.0.11", "3.0.15"), rollout.versions());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(List.of(
                new RolloutDTO.Day(today.minusDays(3), List.of(2L, 0L), 0),
                new RolloutDTO.Day(today.minusDays(2), List.of(1L, 0L), 0),
                new RolloutDTO.Day(today.minusDays(1), List.of(0L, 1L), 0),
                new RolloutDTO.Day(today, List.of(1L, 1L), 0)), rollout.days());
        assertEquals(List.of(), history.rollout(EntityKind.HOST, "nothing", 7).versions());
        // A host stored before history was recorded: unknown on past days, counted today from its rows.
        execute("update host set history_since = null, created = ? where name = 'h2'", now.minusDays(3));
        List<RolloutDTO.Day> days = history.rollout(EntityKind.HOST, "openssl", 2).days();
        assertEquals(new RolloutDTO.Day(today.minusDays(1), List.of(0L, 1L), 1), days.get(0));
        assertEquals(new RolloutDTO.Day(today, List.of(1L, 1L), 0), days.get(1));
        assertThrows(IllegalArgumentException.class, () -> history.rollout(EntityKind.HOST, "openssl", 0));
    }

    @Test
    public void keysetReadsWalkWholeTablesInKeyOrder() {
        for (String host : List.of("e.example.org", "a.example.org", "c.example.org", "b.example.org", "d.example.org")) {
            reports.apply(EntityKind.HOST, host, report(UpdateType.FULL, "Debian 12", List.of("p5=1", "p1=1", "p3=1"), List.of(),
                    List.of("p5 1>2 security")));
        }
        List<String> walked = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> chunk = entities.list(EntityKind.HOST, io.debmonitor.core.model.api.EntityFilter.ALL, PageRequest.keyset(after, 2))
                    .items().stream().map(io.debmonitor.core.model.api.EntityDTO::name).toList();
            walked.addAll(chunk);
            if (chunk.size() < 2) {
                break;
            }
            after = chunk.get(1);
        }
        assertEquals(List.of("a.example.org", "b.example.org", "c.example.org", "d.example.org", "e.example.org"), walked);
        assertEquals(List.of("p3", "p5"), entities.rows(EntityKind.HOST, "a.example.org", new io.debmonitor.core.model.api.RowFilter(null,
                io.debmonitor.core.model.api.UpgradeFilter.ALL), PageRequest.keyset("p1", 5)).items().stream().map(PackageRowDTO::name).toList());

        for (int i = 2; i <= 4; i++) {
            reports.apply(EntityKind.HOST, "a.example.org", report(UpdateType.DPKG_HOOK, "Debian 12", List.of("p1=" + i), List.of(), List.of()));
        }
        List<HistoryEventDTO> newest = history.timeline(EntityKind.HOST, "a.example.org", HistoryFilter.ALL, PageRequest.keyset(null, 2)).items();
        assertEquals(List.of("4", "3"), newest.stream().map(HistoryEventDTO::versionAfter).toList());
        List<HistoryEventDTO> older = history.timeline(EntityKind.HOST, "a.example.org", HistoryFilter.ALL,
                PageRequest.keyset(Long.toString(newest.get(1).id()), 2)).items();
        assertEquals(List.of("2", "baseline"), older.stream().map(e -> e.versionAfter() == null ? e.event().wireName() : e.versionAfter()).toList());
        assertThrows(IllegalArgumentException.class, () -> history.timeline(EntityKind.HOST, "a.example.org", HistoryFilter.ALL,
                PageRequest.keyset("x", 2)));
    }

    /** @return a time after everything stored so far, once the clock has moved past it */
    private static Instant stamp() {
        Instant stamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(stamp)) {
            Thread.onSpinWait();
        }
        return stamp;
    }

    private void execute(String sql, Object... parameters) throws Exception {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.executeUpdate();
        }
    }
}
