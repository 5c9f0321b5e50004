package io.debmonitor.core.model.internal;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.ActivityListener;
import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.GarbageCollectionService;
import io.debmonitor.core.model.api.GcRunDTO;
import io.debmonitor.core.model.api.GcRunningException;
import io.debmonitor.core.model.api.GcStepDTO;

/**
 * SPEC §2.8. Stale entities go first, each in transactions of at most {@code batchSize} rows
 * that lock the entity and re-check that it is still stale, so a host that reports during the
 * run keeps its new data. Orphans go next, in id order, each batch re-checking the anti-join in
 * its deleting statement; a report that starts using an orphan concurrently either commits first
 * (the orphan is no longer one) or has its write refused by a foreign key and is retried by
 * {@link Database#write}, recreating the row.
 */
@Component(service = GarbageCollectionService.class, configurationPid = "io.debmonitor.gc")
@Designate(ocd = GarbageCollectionConfiguration.class)
public class GarbageCollectionServiceImpl implements GarbageCollectionService {

    static final String LEASE = "gc";
    /** The name prefix of an entity whose rows a run is deleting over several transactions. */
    static final String DETACHED = "gc-detached ";

    private final Logger logger = LoggerFactory.getLogger(GarbageCollectionServiceImpl.class);
    private final Database database;
    private final AuditService audit;
    private final Clock clock;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private volatile Settings settings;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ActivityListener> listeners = List.of();

    record Settings(int hostMaxAgeDays, int imageMaxAgeDays, int historyRetentionDays, int batchSize, int batchPauseMillis,
            int leaseSeconds) {
        static Settings of(GarbageCollectionConfiguration config) {
            Settings s = new Settings(config.hostMaxAgeDays(), config.imageMaxAgeDays(), config.historyRetentionDays(), config.batchSize(),
                    config.batchPauseMillis(), config.leaseSeconds());
            if (s.hostMaxAgeDays < 1 || s.imageMaxAgeDays < 1 || s.historyRetentionDays < 1) {
                throw new IllegalArgumentException(
                        "io.debmonitor.gc: hostMaxAgeDays, imageMaxAgeDays and historyRetentionDays must be at least 1 day.");
            }
            if (s.batchSize < 10 || s.batchSize > 100_000) {
                throw new IllegalArgumentException("io.debmonitor.gc: batchSize must lie between 10 and 100000, not " + s.batchSize + ".");
            }
            if (s.batchPauseMillis < 0 || s.batchPauseMillis > 10_000) {
                throw new IllegalArgumentException("io.debmonitor.gc: batchPauseMillis must lie between 0 and 10000, not "
                        + s.batchPauseMillis + ".");
            }
            if (s.leaseSeconds < 30) {
                throw new IllegalArgumentException("io.debmonitor.gc: leaseSeconds must be at least 30, not " + s.leaseSeconds + ".");
            }
            return s;
        }
    }

    /** An orphan kind: its table and the condition (on the table's own name) that makes a row one. */
    private record Orphans(String type, String table, String unused) {
    }

    /** The eighth step's type. */
    static final String HISTORY_STEP = "history events";

    /** SPEC §2.8's order: stale images, then stale hosts. */
    private static final List<KindDescriptor> STALE_ORDER = List.of(KindDescriptor.IMAGE, KindDescriptor.HOST);

    private static final List<Orphans> ORPHANS = List.of(
            new Orphans("package versions", "package_version", KindDescriptor.ALL.stream().map(KindDescriptor::rows)
                    .flatMap(rows -> Arrays.stream(new String[] {"installed_version_id", "upgrade_version_id"})
                            .map(column -> "not exists (select 1 from " + rows + " r where r." + column + " = package_version.id)"))
                    .collect(Collectors.joining(" and "))),
            new Orphans("packages", "package", "not exists (select 1 from package_version pv where pv.package_id = package.id)"),
            new Orphans("source package versions", "source_package_version",
                    "not exists (select 1 from package_version pv where pv.source_package_version_id = source_package_version.id)"),
            new Orphans("source packages", "source_package",
                    "not exists (select 1 from source_package_version v where v.source_package_id = source_package.id)"),
            new Orphans("kernels", "kernel", "not exists (select 1 from host h where h.kernel_id = kernel.id)"));

    @Activate
    public GarbageCollectionServiceImpl(@Reference Database database, @Reference AuditService audit,
            GarbageCollectionConfiguration config) {
        this(database, audit, config, Clock.systemUTC());
    }

    GarbageCollectionServiceImpl(Database database, AuditService audit, GarbageCollectionConfiguration config, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.settings = Settings.of(config);
    }

    @Modified
    void modified(GarbageCollectionConfiguration config) {
        settings = Settings.of(config);
    }

    @Override
    public GcRunDTO run(String actor, boolean dryRun) {
        if (dryRun) {
            return audited(actor, dryRun(settings));
        }
        String holder = holder();
        if (!acquire(holder)) {
            throw new GcRunningException();
        }
        return collectAndRelease(holder, actor, null);
    }

    @Override
    public Optional<GcRunDTO> runScheduled(Instant slot) {
        String holder = holder();
        LocalDateTime at = LocalDateTime.ofInstant(slot, ZoneOffset.UTC);
        Boolean resumed = acquireSlot(holder, at);
        if (resumed == null) {
            return Optional.empty();
        }
        logger.info("gc: {} slot {} as {}", resumed ? "resuming" : "starting", slot, holder);
        GcRunDTO run = collectAndRelease(holder, "gc:schedule", at);
        logger.info("gc: slot {} done by {}", slot, holder);
        return Optional.of(run);
    }

    private GcRunDTO audited(String actor, GcRunDTO run) {
        audit.record(actor, run.dryRun() ? AuditAction.GC_DRY_RUN : AuditAction.GC_RUN, null,
                (run.dryRun() ? "would delete " : "deleted ") + summary(run.steps()) + " in "
                        + Duration.between(run.started(), run.finished()).toMillis() + " ms");
        return run;
    }

    private static String summary(List<GcStepDTO> steps) {
        return steps.stream().map(step -> step.count() + " " + step.type() + (step.rows() > 0 ? " (" + step.rows() + " package rows)" : ""))
                .collect(Collectors.joining(", "));
    }

    private String holder() {
        return node + "/" + UUID.randomUUID();
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    // --- the lease ----------------------------------------------------------------------------

    /**
     * Takes the lease if it is free. Expiry uses each node's clock: nodes must keep time (NTP) well
     * within {@code leaseSeconds}.
     */
    private boolean acquire(String holder) {
        LocalDateTime now = now();
        return database.writeInBackground("gc lease", c -> Rows.update(c, "update job_lease set holder = ?, expires = ?"
                + " where name = ? and (expires is null or expires < ?)", holder, now.plusSeconds(settings.leaseSeconds()), LEASE, now) == 1);
    }

    /**
     * Takes the lease for a scheduled slot if it is free and the slot (or a later one) is not done.
     *
     * @return null when not taken; true when a run for this slot had started and its runner's lease
     *         expired (it died), false for a fresh start
     */
    private Boolean acquireSlot(String holder, LocalDateTime slot) {
        LocalDateTime now = now();
        return database.writeInBackground("gc lease", c -> {
            LocalDateTime started;
            try (PreparedStatement ps = c.prepareStatement("select last_slot from job_lease where name = ?")) {
                ps.setString(1, LEASE);
                started = Rows.list(ps, rs -> rs.getObject(1, LocalDateTime.class)).get(0);
            }
            int taken = Rows.update(c, "update job_lease set holder = ?, expires = ?, last_slot = ? where name = ?"
                    + " and (expires is null or expires < ?) and (slot_done is null or slot_done < ?)",
                    holder, now.plusSeconds(settings.leaseSeconds()), slot, LEASE, now, slot);
            return taken == 1 ? (Boolean) slot.equals(started) : null;
        });
    }

    /** Renews the lease inside a batch's transaction; a run that lost it stops before deleting more. */
    private void renew(Connection c, String holder) throws SQLException {
        if (Rows.update(c, "update job_lease set expires = ? where name = ? and holder = ?",
                now().plusSeconds(settings.leaseSeconds()), LEASE, holder) != 1) {
            throw new IllegalStateException("gc: the lease expired or was taken over; stopping this run");
        }
    }

    /** Gives the lease back; a scheduled run that completed marks its slot done. */
    private void release(String holder, LocalDateTime doneSlot) {
        database.writeInBackground("gc lease", c -> doneSlot == null
                ? Rows.update(c, "update job_lease set holder = null, expires = null where name = ? and holder = ?", LEASE, holder)
                : Rows.update(c, "update job_lease set holder = null, expires = null, slot_done = ? where name = ? and holder = ?",
                        doneSlot, LEASE, holder));
    }

    // --- a run --------------------------------------------------------------------------------

    /** @param slot the scheduled slot this run serves, marked done when the run completes; null for a manual run */
    private GcRunDTO collectAndRelease(String holder, String actor, LocalDateTime slot) {
        Instant started = clock.instant();
        Settings s = settings;
        LocalDateTime now = now();
        List<GcStepDTO> steps = new ArrayList<>();
        boolean completed = false;
        try {
            for (KindDescriptor t : STALE_ORDER) {
                steps.add(step(deleteStale(t, now.minusDays(t.gcMaxAgeDays().applyAsInt(s)), holder, s)));
            }
            for (Orphans orphans : ORPHANS) {
                steps.add(step(new GcStepDTO(orphans.type(), deleteOrphans(orphans, holder, s), 0)));
            }
            steps.add(step(new GcStepDTO(HISTORY_STEP, pruneHistory(now.minusDays(s.historyRetentionDays()), holder, s), 0)));
            completed = true;
        } catch (RuntimeException e) {
            // What the failed run deleted before it stopped is committed: metrics count it too.
            GcRunDTO partial = new GcRunDTO(false, started, clock.instant(), List.copyOf(steps));
            ActivityListeners.tell(listeners, listener -> listener.gcRun(partial));
            audit.record(actor, AuditAction.GC_RUN, null, "failed after " + Duration.between(started, clock.instant()).toMillis()
                    + " ms, having deleted " + (steps.isEmpty() ? "nothing" : summary(steps)) + ": " + e.getMessage());
            throw e;
        } finally {
            database.sharedRowIds().forgetAll();
            try {
                // A failed scheduled run leaves its slot pending: a watchdog resumes it.
                release(holder, completed ? slot : null);
            } catch (RuntimeException e) {
                logger.warn("gc: could not release the lease, which expires by itself within {} s: {}", s.leaseSeconds(), e.getMessage());
            }
        }
        GcRunDTO run = new GcRunDTO(false, started, clock.instant(), steps);
        ActivityListeners.tell(listeners, listener -> listener.gcRun(run));
        return audited(actor, run);
    }

    private GcStepDTO step(GcStepDTO step) {
        if (step.rows() > 0) {
            logger.info("gc: deleted {} {} ({} package rows)", step.count(), step.type(), step.rows());
        } else {
            logger.info("gc: deleted {} {}", step.count(), step.type());
        }
        return step;
    }

    /** What makes an entity of this kind stale, on the entity table aliased {@code e}. */
    private static String stale(KindDescriptor t) {
        return "e.modified < ?" + (t.inUse().isEmpty() ? "" : " and not " + t.inUse());
    }

    private GcStepDTO deleteStale(KindDescriptor t, LocalDateTime cutoff, String holder, Settings s) {
        long entities = 0;
        long rows = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<Long> ids = database.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("select e.id from " + t.entity() + " e where e.id > ? and "
                        + stale(t) + " order by e.id limit ?")) {
                    Rows.bind(ps, List.of(from, cutoff, s.batchSize()));
                    return Rows.list(ps, rs -> rs.getLong(1));
                }
            });
            if (ids.isEmpty()) {
                return new GcStepDTO(t.entity() + "s", entities, rows);
            }
            for (long id : ids) {
                long[] deleted = deleteEntity(t, id, cutoff, holder, s.batchSize(), s.batchPauseMillis());
                entities += deleted[0];
                rows += deleted[1];
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /**
     * Deletes one stale entity: its rows a batch per transaction, then itself. Each transaction
     * locks the entity and re-checks that it is stale, so one that reported before the first batch
     * is kept whole; after the first batch it is detached, and a new report starts a new entity.
     *
     * @return {entities deleted (0 or 1), rows deleted}
     */
    private long[] deleteEntity(KindDescriptor t, long id, LocalDateTime cutoff, String holder, int batchSize, int batchPauseMillis) {
        long rows = 0;
        while (true) {
            long[] batch = database.writeInBackground("gc " + t.entity() + " " + id, c -> {
                renew(c, holder);
                if (Rows.id(c, "select e.id from " + t.entity() + " e where e.id = ? and " + stale(t) + " for update", id, cutoff) == null) {
                    return new long[] {0, 0, 1};
                }
                Long lastEvent = Rows.id(c, "select id from " + t.events() + " where " + t.owner() + " = ? order by id limit 1 offset ?",
                        id, batchSize - 1);
                if (lastEvent != null) {
                    Rows.update(c, "delete from " + t.events() + " where " + t.owner() + " = ? and id <= ?", id, lastEvent);
                    detach(c, t, id);
                    return new long[] {0, 0, 0};
                }
                if (Rows.update(c, "delete from " + t.events() + " where " + t.owner() + " = ?", id) > 0) {
                    detach(c, t, id);
                    return new long[] {0, 0, 0};
                }
                Long last = Rows.id(c, "select package_id from " + t.rows() + " where " + t.owner() + " = ? order by package_id limit 1 offset ?",
                        id, batchSize - 1);
                if (last == null) {
                    long deleted = Rows.update(c, "delete from " + t.rows() + " where " + t.owner() + " = ?", id);
                    Rows.update(c, "delete from " + t.entity() + " where id = ?", id);
                    return new long[] {1, deleted, 1};
                }
                long deleted = Rows.update(c, "delete from " + t.rows() + " where " + t.owner() + " = ? and package_id <= ?", id, last);
                detach(c, t, id);
                return new long[] {0, deleted, 0};
            });
            rows += batch[1];
            pause(batchPauseMillis);
            if (batch[2] == 1) {
                return new long[] {batch[0], rows};
            }
        }
    }

    /**
     * Renames an entity whose deletion spans transactions to a name no report or DELETE can use
     * (names have no whitespace): a report arriving between batches creates a new entity instead
     * of reviving a half-deleted one.
     */
    private static void detach(Connection c, KindDescriptor t, long id) throws SQLException {
        Rows.update(c, "update " + t.entity() + " set name = ? where id = ?", DETACHED + id, id);
    }

    /**
     * The eighth step: deletes the history events older than {@code cutoff}, a batch per
     * transaction. The horizon moves first, so that no reader takes the history being pruned for
     * whole.
     */
    private long pruneHistory(LocalDateTime cutoff, String holder, Settings s) {
        database.writeInBackground("gc history horizon", c -> {
            renew(c, holder);
            return Rows.update(c, "update history_horizon set pruned_before = ? where id = 1 and (pruned_before is null or pruned_before < ?)",
                    cutoff, cutoff);
        });
        long deleted = 0;
        List<String> tables = STALE_ORDER.stream().flatMap(t -> java.util.stream.Stream.of(t.events(), t.cveEvents())).toList();
        for (String table : tables) {
            while (true) {
                long n = database.writeInBackground("gc " + table, c -> {
                    renew(c, holder);
                    List<Long> ids;
                    try (PreparedStatement ps = c.prepareStatement("select id from " + table + " where created < ? order by created, id limit ?")) {
                        Rows.bind(ps, List.of(cutoff, s.batchSize()));
                        ids = Rows.list(ps, rs -> rs.getLong(1));
                    }
                    // -1: nothing older is left (a batch whose rows a concurrent delete took deletes 0 and goes on)
                    return ids.isEmpty() ? -1L
                            : (long) Rows.update(c, "delete from " + table + " where id in ("
                                    + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")");
                });
                if (n < 0) {
                    break;
                }
                deleted += n;
                pause(s.batchPauseMillis());
            }
        }
        return deleted;
    }

    private long deleteOrphans(Orphans orphans, String holder, Settings s) {
        long deleted = 0;
        long after = 0;
        String table = orphans.table();
        while (true) {
            long from = after;
            long[] batch = database.writeDeletingSharedRows("gc " + orphans.type(), c -> {
                renew(c, holder);
                List<Long> ids;
                try (PreparedStatement ps = c.prepareStatement("select id from " + table + " where id > ? and " + orphans.unused()
                        + " order by id limit ?")) {
                    Rows.bind(ps, List.of(from, s.batchSize()));
                    ids = Rows.list(ps, rs -> rs.getLong(1));
                }
                if (ids.isEmpty()) {
                    return new long[] {0, -1};
                }
                String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
                long n = Rows.update(c, "delete from " + table + " where id in (" + in + ") and " + orphans.unused());
                return new long[] {n, ids.get(ids.size() - 1)};
            });
            if (batch[1] < 0) {
                return deleted;
            }
            if (batch[0] > 0) {
                // A report holding a remembered id of a deleted row would spend one of its attempts on it.
                database.sharedRowIds().forgetAll();
            }
            deleted += batch[0];
            after = batch[1];
            pause(s.batchPauseMillis());
        }
    }

    /** Leaves the database to reports for a moment; an interrupted run stops at the next batch boundary. */
    private static void pause(int millis) {
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("gc: interrupted; stopping this run", e);
        }
    }

    // --- the dry run --------------------------------------------------------------------------

    /**
     * Counts what a run would delete now. A package version survives a run when a row of an
     * entity that survives references it; the other orphan counts follow from that.
     */
    private GcRunDTO dryRun(Settings s) {
        Instant started = clock.instant();
        LocalDateTime now = now();
        List<GcStepDTO> steps = database.query(c -> {
            List<GcStepDTO> out = new ArrayList<>();
            for (KindDescriptor t : STALE_ORDER) {
                LocalDateTime cutoff = now.minusDays(t.gcMaxAgeDays().applyAsInt(s));
                out.add(new GcStepDTO(t.entity() + "s", Rows.count(c, "select count(*) from " + t.entity() + " e where " + stale(t), cutoff),
                        Rows.count(c, "select count(*) from " + t.rows() + " r join " + t.entity() + " e on e.id = r." + t.owner()
                                + " where " + stale(t), cutoff)));
            }
            StringBuilder live = new StringBuilder();
            List<Object> liveParameters = new ArrayList<>();
            for (String column : List.of("installed_version_id", "upgrade_version_id")) {
                for (KindDescriptor t : STALE_ORDER) {
                    live.append(live.length() == 0 ? "(" : " or ").append("exists (select 1 from ").append(t.rows()).append(" r join ")
                            .append(t.entity()).append(" e on e.id = r.").append(t.owner()).append(" where r.").append(column)
                            .append(" = pv.id and not (").append(stale(t)).append("))");
                    liveParameters.add(now.minusDays(t.gcMaxAgeDays().applyAsInt(s)));
                }
            }
            live.append(')');
            Object[] p = liveParameters.toArray();
            out.add(new GcStepDTO("package versions", Rows.count(c, "select count(*) from package_version pv where not " + live, p), 0));
            out.add(new GcStepDTO("packages", Rows.count(c, "select count(*) from package x where not exists (select 1 from package_version pv"
                    + " where pv.package_id = x.id and " + live + ")", p), 0));
            out.add(new GcStepDTO("source package versions", Rows.count(c, "select count(*) from source_package_version x where not exists"
                    + " (select 1 from package_version pv where pv.source_package_version_id = x.id and " + live + ")", p), 0));
            out.add(new GcStepDTO("source packages", Rows.count(c, "select count(*) from source_package x where not exists"
                    + " (select 1 from source_package_version v join package_version pv on pv.source_package_version_id = v.id"
                    + " where v.source_package_id = x.id and " + live + ")", p), 0));
            out.add(new GcStepDTO("kernels", Rows.count(c, "select count(*) from kernel x where not exists"
                    + " (select 1 from host h where h.kernel_id = x.id and h.modified >= ?)",
                    now.minusDays(KindDescriptor.HOST.gcMaxAgeDays().applyAsInt(s))), 0));
            long events = 0;
            for (KindDescriptor t : STALE_ORDER) {
                for (String table : List.of(t.events(), t.cveEvents())) {
                    events += Rows.count(c, "select count(*) from " + table + " where created < ?", now.minusDays(s.historyRetentionDays()));
                }
            }
            out.add(new GcStepDTO(HISTORY_STEP, events, 0));
            return out;
        });
        for (GcStepDTO step : steps) {
            logger.info("gc: dry run would delete {} {}", step.count(), step.type());
        }
        return new GcRunDTO(true, started, clock.instant(), steps);
    }
}
