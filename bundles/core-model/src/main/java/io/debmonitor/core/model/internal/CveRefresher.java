package io.debmonitor.core.model.internal;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityCvesDTO;

/**
 * Keeps each entity's stored findings ({@code host_cve}, {@code image_cve}) equal to what its CVE
 * tab computes (CVE.md §10). A report that changes an entity's rows, and an import whose diff names
 * one of its sources, add one to the entity's {@code cve_pending}; every {@code refreshSeconds} one
 * node (the {@code cve-refresh} lease) recomputes those entities, one short transaction each, and
 * writes only the findings that changed, with their events. The feed rows are read once per run.
 *
 * <p>An entity's pending count is reset only if no report or import added to it meanwhile, so a
 * change that arrives during the computation is picked up by the next run.
 *
 * <p>Accepting or revoking a CVE exception marks the entities it concerns; an exception that
 * expires marks them at the start of the next run (CveExceptionServiceImpl#lapse), so the stored
 * {@code accepted} and {@code counted} follow the exceptions too.
 */
@Component(service = CveRefresher.class, immediate = true, configurationPid = "io.debmonitor.cve")
@Designate(ocd = CveConfiguration.class)
public class CveRefresher {

    static final String LEASE = "cve-refresh";
    private static final int BATCH = 100;
    private static final Set<CveVerdict> NOT_STORED = Set.of(CveVerdict.NONE, CveVerdict.FIXED, CveVerdict.RUNNING_FIXED);
    private static final Set<CveVerdict> AWAITING_FIX = Set.of(CveVerdict.AFFECTED_OPEN, CveVerdict.NEEDS_TRIAGE, CveVerdict.LIKELY_FIXED_NEWER);
    private static final Set<CveVerdict> FIX_PUBLISHED = Set.of(CveVerdict.AFFECTED_FIXED, CveVerdict.RUNNING_AFFECTED, CveVerdict.REBOOT_REQUIRED);

    private final Logger logger = LoggerFactory.getLogger(CveRefresher.class);
    private final Database database;
    private final Clock clock;
    private final JobLease lease;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private final List<Runnable> onChange = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    /** The lease holder of the run in progress, or null. */
    private volatile String running;
    /** The release map, signed kernel sources and VM image patterns of the configuration; null for tests built without one. */
    private CveRules.Settings settings;
    /** Whether a run compared {@link #settings} with those the stored findings were computed with. */
    private volatile boolean settingsRecorded;
    /** The stored settings fingerprint other than this node's that a run last warned of, or null. */
    private volatile String warnedFingerprint;

    /** What one run did. */
    record Run(long entities, long inserted, long updated, long deleted, long events) {
    }

    /** The active snapshot is no longer the one the run judges with: its findings must not be written. */
    private static final class SnapshotSwitched extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SnapshotSwitched() {
            super(null, null, false, false);
        }
    }

    /** A stored finding's columns that the refresher compares. */
    private record Stored(String verdict, String subState, String fix, String urgency, boolean counted, boolean primary, boolean accepted) {
    }

    @Activate
    public CveRefresher(@Reference Database database, CveConfiguration config) {
        this(database, Clock.systemUTC());
        // Malformed settings fail the activation; valid ones apply to every reader on this node at once.
        settings = CveRules.Settings.of(config);
        database.cveSettings(settings);
        if (!config.enabled()) {
            // Entities stay marked: turned on again, the refresher catches up with them.
            logger.info("cve: CVE correlation is turned off (io.debmonitor.cve, enabled = false); findings are not recomputed");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "debmonitor-cve-refresher");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::scheduled, config.refreshSeconds(), config.refreshSeconds(), TimeUnit.SECONDS);
    }

    CveRefresher(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.lease = new JobLease(database, LEASE, Duration.ofMinutes(10), clock);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            // An interrupted run may fail to release its lease: released here, other nodes need not wait for it to expire.
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                logger.warn("cve: the refresher did not stop within 10 s");
            }
            String holder = running;
            if (holder != null) {
                lease.release(holder);
            }
        }
    }

    /** Runs {@code listener} after each run that changed stored findings on this node. */
    void onChange(Runnable listener) {
        onChange.add(listener);
    }

    void removeOnChange(Runnable listener) {
        onChange.remove(listener);
    }

    private void scheduled() {
        try {
            refresh();
        } catch (RuntimeException e) {
            logger.warn("cve: refreshing findings failed; the next run retries: {}", e.toString());
        }
    }

    /** @return what this run did; nothing when another node holds the lease or no feed is imported */
    Run refresh() {
        if (settings != null && !settingsRecorded) {
            // The first run after activation: settings other than those the stored findings were computed with mark every entity.
            CveRules.markIfChanged(database, settings);
            settingsRecorded = true;
        }
        // Exceptions that expired since the last run mark their entities, once each (CVE.md §10: they lapse by themselves).
        CveExceptionServiceImpl.lapse(database, clock.instant());
        long due = database.query(c -> Rows.count(c, "select (select count(*) from host where cve_pending > 0)"
                + " + (select count(*) from image where cve_pending > 0)"));
        if (due == 0) {
            return new Run(0, 0, 0, 0, 0);
        }
        String holder = node + "/" + UUID.randomUUID();
        if (!lease.acquire(holder)) {
            return new Run(0, 0, 0, 0, 0);
        }
        running = holder;
        try {
            if (!currentSettings()) {
                return new Run(0, 0, 0, 0, 0);
            }
            CveServiceImpl.FeedCache cache = database.query(database::cveFeed);
            if (cache.snapshot() == null) {
                return new Run(0, 0, 0, 0, 0);
            }
            long started = System.nanoTime();
            long[] totals = new long[5];
            markRelinked(holder);
            runs:
            for (KindDescriptor t : KindDescriptor.ALL) {
                long after = 0;
                while (true) {
                    long from = after;
                    List<long[]> batch = database.query(c -> {
                        try (PreparedStatement ps = c.prepareStatement("select id, cve_pending from " + t.entity()
                                + " where cve_pending > 0 and id > ? order by id limit ?")) {
                            Rows.bind(ps, List.of(from, BATCH));
                            return Rows.list(ps, rs -> new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    });
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (long[] entity : batch) {
                        long[] one;
                        try {
                            one = refresh(t, entity[0], entity[1], cache, holder);
                        } catch (SnapshotSwitched e) {
                            logger.info("cve: a new feed snapshot became active during the run; the next run goes on with it");
                            break runs;
                        } catch (IllegalStateException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            if (Thread.currentThread().isInterrupted()) {
                                throw e;
                            }
                            // One entity that cannot be judged must not stop the others; it stays pending.
                            logger.warn("cve: the findings of {} {} could not be refreshed: {}", t.entity(), entity[0], e.toString());
                            continue;
                        }
                        for (int i = 0; i < one.length; i++) {
                            totals[i] += one[i];
                        }
                    }
                    after = batch.get(batch.size() - 1)[0];
                    if (due >= 1000) {
                        logger.info("cve: refreshed the findings of {} of about {} hosts and images", totals[0], due);
                    }
                }
            }
            Run run = new Run(totals[0], totals[1], totals[2], totals[3], totals[4]);
            logger.info("cve: refreshed the findings of {} hosts and images in {} ms: {} new, {} changed, {} gone, {} events", run.entities(),
                    (System.nanoTime() - started) / 1_000_000, run.inserted(), run.updated(), run.deleted(), run.events());
            if (run.inserted() + run.updated() + run.deleted() > 0) {
                onChange.forEach(Runnable::run);
            }
            return run;
        } finally {
            lease.release(holder);
            running = null;
        }
    }

    /**
     * During a rolling change of the release map, signed kernel sources or VM image patterns, a node
     * that still has the old ones must not recompute what a node with the new ones marked: the
     * findings would keep the old rules, and the updated node would find the fingerprint already
     * recorded. Such a node skips its runs until it has the recorded settings (a warning once per
     * change); a node with the current ones refreshes.
     *
     * @return true when this node judges with the settings the stored findings are computed with
     */
    private boolean currentSettings() {
        String stored = database.query(CveRules::storedFingerprint);
        if (stored.equals(database.cveSettings().fingerprint())) {
            warnedFingerprint = null;
            return true;
        }
        if (!stored.equals(warnedFingerprint)) {
            warnedFingerprint = stored;
            logger.warn("cve: this node's release map, signed kernel sources or VM image patterns (io.debmonitor.cve) differ from those"
                    + " another node recorded for the stored findings; it leaves refreshing them to the nodes configured alike until"
                    + " its configuration is the same");
        }
        return false;
    }

    /** Marks the hosts and images whose package versions reports re-linked to another source version, then forgets those versions. */
    private void markRelinked(String holder) {
        while (true) {
            int marked = database.writeInBackground("cve relinked versions", c -> {
                lease.renew(c, holder);
                List<long[]> relinked;
                try (PreparedStatement ps = c.prepareStatement("select id, version_id from cve_relinked_version order by id limit ?")) {
                    Rows.bind(ps, List.of(BATCH));
                    relinked = Rows.list(ps, rs -> new long[] {rs.getLong(1), rs.getLong(2)});
                }
                if (relinked.isEmpty()) {
                    return -1;
                }
                Set<Long> versions = new java.util.TreeSet<>();
                relinked.forEach(r -> versions.add(r[1]));
                for (KindDescriptor t : KindDescriptor.ALL) {
                    for (String column : List.of("installed_version_id", "upgrade_version_id")) {
                        Sql.updateIn(c, "update " + t.entity() + " set cve_pending = cve_pending + 1 where id in (select r." + t.owner()
                                + " from " + t.rows() + " r where r." + column + " in (IN_LIST))", List.of(), versions);
                    }
                }
                return Rows.update(c, "delete from cve_relinked_version where id <= ?", relinked.get(relinked.size() - 1)[0]);
            });
            if (marked < 0) {
                return;
            }
        }
    }

    /** @return {entities, inserted, updated, deleted, events} */
    private long[] refresh(KindDescriptor t, long id, long pending, CveServiceImpl.FeedCache cache, String holder) {
        CveServiceImpl.Input input = database.query(c -> CveServiceImpl.read(c, t, id, cache, null));
        if (input == null) {
            return new long[5];
        }
        EntityCvesDTO computed = CveServiceImpl.findings(t, input, false, false);
        Map<String, Stored> wanted = stored(computed.findings());
        long counted = computed.findings().stream().filter(CveFindingDTO::counted).map(CveFindingDTO::cve).distinct().count();
        long fixable = computed.findings().stream().filter(f -> "available".equals(f.fix()) && f.accepted() == null).map(CveFindingDTO::cve)
                .distinct().count();
        long notAssessed = computed.coverage().sources().size();
        return database.writeInBackground("cve refresh " + t.entity() + " " + id, c -> {
            lease.renew(c, holder);
            LocalDateTime since;
            try (PreparedStatement ps = c.prepareStatement("select cve_since, id from " + t.entity() + " where id = ? for update")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new long[5];
                    }
                    since = rs.getObject(1, LocalDateTime.class);
                }
            }
            // The switch takes this entity's row lock to mark it: checked under the lock, a run judging with the
            // previous snapshot never clears a mark the new one set.
            if (!Long.valueOf(cache.snapshot().id()).equals(Rows.id(c, "select id from cve_snapshot where result = 'active'"))) {
                throw new SnapshotSwitched();
            }
            LocalDateTime now = LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
            Map<String, Stored> existing = existing(c, t, id);
            long[] counts = write(c, t, id, existing, wanted, since == null ? null : now, now);
            // History begins once the entity is judged: findings of a release the feed starts to cover are first seen, not new.
            boolean covered = computed.coverage().state().equals("covered");
            Rows.update(c, "update " + t.entity() + " set cve_since = coalesce(cve_since, ?), cve_coverage = ?, cve_counted = ?, cve_fixable = ?,"
                    + " cve_not_assessed = ?, cve_coverage_detail = ?, cve_pending = case when cve_pending = ? then 0 else cve_pending end"
                    + " where id = ?", covered ? now : null, computed.coverage().state(), counted, fixable, notAssessed,
                    CveServiceImpl.storedCoverage(computed.coverage()), pending, id);
            return new long[] {1, counts[0], counts[1], counts[2], counts[3]};
        });
    }

    /** The findings to store, by issue and source; per issue, the most severe row is the primary one. */
    private static Map<String, Stored> stored(List<CveFindingDTO> findings) {
        Map<String, CveFindingDTO> primary = new HashMap<>();
        for (CveFindingDTO f : findings) {
            if (!NOT_STORED.contains(f.verdict())) {
                primary.merge(f.cve(), f, (a, b) -> severity(b) > severity(a) ? b : a);
            }
        }
        Map<String, Stored> out = new LinkedHashMap<>();
        for (CveFindingDTO f : findings) {
            if (!NOT_STORED.contains(f.verdict())) {
                out.put(f.cve() + "\n" + f.source(), new Stored(f.verdict().name(), f.subState() == null ? null : f.subState().name(), f.fix(),
                        f.urgency(), f.counted(), primary.get(f.cve()) == f, f.accepted() != null));
            }
        }
        return out;
    }

    /**
     * Visible by default before hidden, counted before not counted, not accepted before accepted, a
     * fix available before one not offered, then by urgency.
     */
    private static int severity(CveFindingDTO f) {
        return (CveFilter.DEFAULT.visible(f.verdict(), f.subState()) ? 1000 : 0) + (f.counted() ? 100 : 0) + (f.accepted() == null ? 50 : 0)
                + ("available".equals(f.fix()) ? 10 : 0) + CveServiceImpl.urgencyRank(f.urgency());
    }

    private static Map<String, Stored> existing(Connection c, KindDescriptor t, long id) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select issue, source_name, verdict, sub_state, fix, urgency, counted, primary_row, accepted from "
                + t.cves() + " where " + t.owner() + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "\n" + rs.getString(2), new Stored(rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9)));
                }
            }
        }
        return out;
    }

    /**
     * Writes the difference between the stored and the wanted findings.
     *
     * @param eventsAt when to record events, or null for an entity's first refresh (none recorded)
     * @return {inserted, updated, deleted, events}
     */
    private static long[] write(Connection c, KindDescriptor t, long id, Map<String, Stored> existing, Map<String, Stored> wanted,
            LocalDateTime eventsAt, LocalDateTime now) throws SQLException {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> deletes = new ArrayList<>();
        List<Object[]> events = new ArrayList<>();
        for (Map.Entry<String, Stored> e : wanted.entrySet()) {
            String[] key = e.getKey().split("\n", 2);
            Stored after = e.getValue();
            Stored before = existing.get(e.getKey());
            if (before == null) {
                inserts.add(new Object[] {id, key[0], key[1], after.verdict(), after.subState(), after.fix(), after.urgency(), after.counted(),
                        after.primary(), after.accepted(), now, now});
            } else if (!before.equals(after)) {
                updates.add(new Object[] {after.verdict(), after.subState(), after.fix(), after.urgency(), after.counted(), after.primary(),
                        after.accepted(), now, id, key[0], key[1]});
            }
            String event = event(before, after);
            if (event != null) {
                events.add(new Object[] {id, eventsAt, key[0], key[1], event, before == null ? null : state(before), state(after)});
            }
        }
        for (Map.Entry<String, Stored> e : existing.entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                String[] key = e.getKey().split("\n", 2);
                deletes.add(new Object[] {id, key[0], key[1]});
                if (isFinding(e.getValue())) {
                    events.add(new Object[] {id, eventsAt, key[0], key[1], "fixed", state(e.getValue()), null});
                }
            }
        }
        batch(c, "insert into " + t.cves() + " (" + t.owner() + ", issue, source_name, verdict, sub_state, fix, urgency, counted, primary_row,"
                + " accepted, first_seen, changed) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts);
        batch(c, "update " + t.cves() + " set verdict = ?, sub_state = ?, fix = ?, urgency = ?, counted = ?, primary_row = ?, accepted = ?,"
                + " changed = ?"
                + " where " + t.owner() + " = ? and issue = ? and source_name = ?", updates);
        batch(c, "delete from " + t.cves() + " where " + t.owner() + " = ? and issue = ? and source_name = ?", deletes);
        if (eventsAt == null) {
            events.clear();
        }
        batch(c, "insert into " + t.cveEvents() + " (" + t.owner() + ", created, issue, source_name, event, verdict_before, verdict_after)"
                + " values (?, ?, ?, ?, ?, ?, ?)", events);
        return new long[] {inserts.size(), updates.size(), deletes.size(), events.size()};
    }

    /** Stored, and not Debian's "never affected": what history calls a finding. */
    private static boolean isFinding(Stored stored) {
        return stored != null && !stored.verdict().equals(CveVerdict.NOT_AFFECTED.name());
    }

    /**
     * CVE.md §10: {@code new} when a finding appears, {@code fixed} when it stops being one,
     * {@code fix_released} when Debian publishes a fix for an open or untriaged one, {@code
     * state_changed} for another change of state; null when the state is the same (a change of
     * fix availability or urgency alone is no event).
     */
    private static String event(Stored before, Stored after) {
        if (!isFinding(before)) {
            return isFinding(after) ? "new" : null;
        }
        if (!isFinding(after)) {
            return "fixed";
        }
        if (state(before).equals(state(after))) {
            return null;
        }
        return AWAITING_FIX.contains(CveVerdict.valueOf(before.verdict())) && FIX_PUBLISHED.contains(CveVerdict.valueOf(after.verdict()))
                ? "fix_released" : "state_changed";
    }

    /** The verdict, or the sub-state of an open one, as events and state counts name it. */
    private static String state(Stored stored) {
        return stored.subState() != null ? stored.subState() : stored.verdict();
    }

    private static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                Rows.bind(ps, java.util.Arrays.asList(row));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
