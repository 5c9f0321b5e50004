package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/**
 * Imports of the Debian Security Tracker feed (CVE.md §2.3). The rows of a new snapshot are
 * written in short transactions under its id, invisible to readers, who use the snapshot whose
 * result is {@code active}; one transaction then switches, and the rows of the superseded
 * snapshot are deleted in batches. A lease row keeps imports one at a time across nodes.
 */
@Component(service = CveFeedService.class, configurationPid = "io.debmonitor.cve")
public class CveFeedServiceImpl implements CveFeedService {

    /** Why imports, fetches and exception writes are refused while CVE correlation is off. */
    static final String DISABLED = "CVE correlation is turned off (io.debmonitor.cve, enabled = false): imports, fetches and exceptions are refused.";

    static final String LEASE = "cve-import";
    /** Rows per insert statement and transaction. */
    private static final int BATCH = 500;
    /** Sources per delete when a superseded snapshot's rows go. */
    private static final int DELETE_SOURCES = 100;
    private static final long LEASE_MINUTES = 60;
    private static final String COLUMNS = "id, started, finished, origin, sha256, result, releases, row_counts, skipped, error, added, removed,"
            + " changed, last_modified";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Logger logger = LoggerFactory.getLogger(CveFeedServiceImpl.class);
    private final Database database;
    private final Clock clock;
    private final JobLease lease;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    /** The side files' imports (DSA, DLA, distributions.json). */
    private final CveListImports lists;
    private volatile boolean enabled = true;

    @Activate
    public CveFeedServiceImpl(@Reference Database database, CveConfiguration config) {
        this(database, Clock.systemUTC());
        modified(config);
    }

    /** Tests: enabled. */
    CveFeedServiceImpl(Database database) {
        this(database, Clock.systemUTC());
    }

    CveFeedServiceImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.lease = new JobLease(database, LEASE, Duration.ofMinutes(LEASE_MINUTES), clock);
        this.lists = new CveListImports(database, clock);
    }

    /** Only {@code enabled} is read here: a change of it applies without re-creating the service and those that use it. */
    @Modified
    void modified(CveConfiguration config) {
        enabled = config.enabled();
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public CveSnapshotDTO importFeed(Path file, String origin, Instant lastModified) {
        if (!enabled) {
            throw new IllegalStateException(DISABLED);
        }
        String sha256 = sha256(file);
        String holder = node + "/" + UUID.randomUUID();
        if (!lease.acquire(holder)) {
            throw new IllegalStateException("A CVE feed import is already running; try again when it has ended.");
        }
        try {
            cleanUp();
            Optional<CveSnapshotDTO> previous = active();
            long id = database.write("cve snapshot", c -> insertSnapshot(c, origin, sha256, lastModified));
            if (previous.isPresent() && previous.get().sha256().equals(sha256)) {
                CveSnapshotDTO active = previous.get();
                database.write("cve snapshot", c -> Rows.update(c, "update cve_snapshot set result = 'unchanged', finished = ?, releases = ?,"
                        + " row_counts = ?, skipped = ? where id = ?", now(), String.join(",", active.releases()), counts(active.rowsByRelease()),
                        active.skipped(), id));
                return find(id);
            }
            CveFeedReader.Summary summary;
            try (InputStream in = Files.newInputStream(file)) {
                BatchWriter writer = new BatchWriter(id, holder);
                summary = CveFeedReader.read(in, writer);
                writer.flush();
            } catch (CveFeedReader.InvalidFeedException | IOException e) {
                String error = e instanceof IOException ? "Cannot read " + file + ": " + e.getMessage() : e.getMessage();
                fail(id, origin, error);
                throw new IllegalArgumentException(error);
            } catch (RuntimeException e) {
                fail(id, origin, e.getMessage());
                throw e;
            }
            long[] diff = previous.isEmpty() ? null : database.query(c -> diff(c, previous.get().id(), id));
            database.write("cve snapshot switch", c -> {
                lease.renew(c, holder);
                Rows.update(c, "update cve_snapshot set result = 'superseded' where result = 'active'");
                markPending(c, previous.orElse(null), id, summary.releases());
                return Rows.update(c, "update cve_snapshot set result = 'active', finished = ?, releases = ?, row_counts = ?, skipped = ?,"
                        + " added = ?, removed = ?, changed = ? where id = ?", now(), String.join(",", summary.releases()),
                        counts(summary.rowsByRelease()), summary.skipped(), diff == null ? null : diff[0], diff == null ? null : diff[1],
                        diff == null ? null : diff[2], id);
            });
            // The superseded rows stay until the next import: a reader that read the old id just before the switch finds them whole.
            CveSnapshotDTO imported = find(id);
            logger.info("CVE feed imported from {}: {} rows in releases {}, {} skipped{}", origin, summary.rows(), summary.releases(),
                    summary.skipped(), diff == null ? "" : ", " + diff[0] + " added, " + diff[1] + " removed, " + diff[2] + " changed");
            return imported;
        } finally {
            lease.release(holder);
        }
    }

    @Override
    public CveListImportDTO importList(CveListKind kind, Path file, String origin, Instant lastModified) {
        if (!enabled) {
            throw new IllegalStateException(DISABLED);
        }
        return lists.importList(kind, file, origin, lastModified);
    }

    @Override
    public List<CveListImportDTO> lists() {
        return lists.lists();
    }

    @Override
    public Optional<CveSnapshotDTO> active() {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_snapshot where result = 'active'")) {
                return Rows.list(ps, CveFeedServiceImpl::snapshot).stream().findFirst();
            }
        });
    }

    @Override
    public List<CveSnapshotDTO> history(int limit) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_snapshot order by id desc limit ?")) {
                ps.setInt(1, limit);
                return Rows.list(ps, CveFeedServiceImpl::snapshot);
            }
        });
    }

    private CveSnapshotDTO find(long id) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_snapshot where id = ?")) {
                ps.setLong(1, id);
                return Rows.list(ps, CveFeedServiceImpl::snapshot).get(0);
            }
        });
    }

    /** A failed import: its rows go, its record says why, the active snapshot stays. */
    private void fail(long id, String origin, String error) {
        try {
            deleteRows(id);
            database.write("cve snapshot", c -> Rows.update(c, "update cve_snapshot set result = 'failed', finished = ?, error = ? where id = ?",
                    now(), error, id));
        } catch (RuntimeException e) {
            logger.warn("Could not record the failed CVE feed import {} (the next import cleans it up): {}", id, e.getMessage());
        }
        logger.warn("CVE feed import from {} failed; the active snapshot stays: {}", origin, error);
    }

    /**
     * Under the lease, before an import: the rows of every snapshot but the active one go (the
     * superseded one, and any that an import which died left behind), and such an import is failed.
     */
    private void cleanUp() {
        database.write("cve snapshot", c -> Rows.update(c, "update cve_snapshot set result = 'failed', finished = ?,"
                + " error = 'interrupted: the import stopped before it ended' where result = 'importing'", now()));
        List<Long> stale = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select distinct snapshot_id from cve_entry where snapshot_id not in"
                    + " (select id from cve_snapshot where result = 'active') union select distinct snapshot_id from cve_issue"
                    + " where snapshot_id not in (select id from cve_snapshot where result = 'active')")) {
                return Rows.list(ps, rs -> rs.getLong(1));
            }
        });
        for (long snapshot : new java.util.TreeSet<>(stale)) {
            deleteRows(snapshot);
        }
    }

    /** Writes the rows as they stream, a batch per transaction, each renewing the lease. */
    private final class BatchWriter implements CveFeedReader.Sink {
        private final long snapshot;
        private final String holder;
        private final List<Object[]> entries = new ArrayList<>();
        private final List<Object[]> issues = new ArrayList<>();

        BatchWriter(long snapshot, String holder) {
            this.snapshot = snapshot;
            this.holder = holder;
        }

        @Override
        public void issue(CveFeedReader.Issue issue) {
            issues.add(new Object[] {snapshot, issue.source(), issue.issue(), issue.description(), truncate(issue.scope(), 64),
                issue.debianbug()});
            if (issues.size() >= BATCH) {
                flush();
            }
        }

        @Override
        public void entry(CveFeedReader.Entry e) {
            entries.add(new Object[] {snapshot, e.release(), e.source(), e.issue(), e.status(), e.fixedVersion(), e.urgency(), e.nodsa(),
                e.nodsaReason(), e.nextPointUpdate(), repositories(e.repositories())});
            if (entries.size() >= BATCH) {
                flush();
            }
        }

        /** Writes what is buffered; called at the end too. */
        void flush() {
            if (entries.isEmpty() && issues.isEmpty()) {
                return;
            }
            List<Object[]> e = new ArrayList<>(entries);
            List<Object[]> i = new ArrayList<>(issues);
            entries.clear();
            issues.clear();
            database.write("cve rows", c -> {
                lease.renew(c, holder);
                if (!i.isEmpty()) {
                    Sql.insertRows(c, "cve_issue", "snapshot_id, source_name, issue, description, scope, debianbug", 6, i);
                }
                if (!e.isEmpty()) {
                    Sql.insertRows(c, "cve_entry", "snapshot_id, release_name, source_name, issue, status, fixed_version, urgency, nodsa,"
                            + " nodsa_reason, next_point_update, repositories", 11, e);
                }
                return null;
            });
        }
    }

    /** @return {added, removed, changed} between two snapshots' rows */
    private static final String SAME = "o.release_name = n.release_name and o.source_name = n.source_name and o.issue = n.issue";
    private static final String ADDED = "from cve_entry n where n.snapshot_id = ? and not exists (select 1 from cve_entry o"
            + " where o.snapshot_id = ? and " + SAME + ")";
    private static final String REMOVED = "from cve_entry o where o.snapshot_id = ? and not exists (select 1 from cve_entry n"
            + " where n.snapshot_id = ? and " + SAME + ")";
    private static final String CHANGED = "from cve_entry n join cve_entry o on o.snapshot_id = ? and " + SAME
            + " where n.snapshot_id = ? and (n.status <> o.status or coalesce(n.fixed_version, '~') <> coalesce(o.fixed_version, '~')"
            + " or coalesce(n.urgency, '~') <> coalesce(o.urgency, '~') or coalesce(n.nodsa_reason, '~') <> coalesce(o.nodsa_reason, '~')"
            + " or n.next_point_update <> o.next_point_update)";
    /** Not part of the diff's counts (CVE.md §2.3), but the versions Debian lists decide epoch and vendor checks (§3.4, §9). */
    private static final String REPOSITORIES_CHANGED = "from cve_entry n join cve_entry o on o.snapshot_id = ? and " + SAME
            + " where n.snapshot_id = ? and coalesce(n.repositories, '~') <> coalesce(o.repositories, '~')";

    private static long[] diff(Connection c, long old, long current) throws SQLException {
        return new long[] {Rows.count(c, "select count(*) " + ADDED, current, old), Rows.count(c, "select count(*) " + REMOVED, old, current),
                Rows.count(c, "select count(*) " + CHANGED, old, current)};
    }

    /**
     * CVE.md §10: the entities whose findings the new snapshot may change wait for the refresher:
     * those with a row of a source in the diff, every host when {@code linux} changed (hosts are
     * judged on their running kernel), every entity on the first import or when the releases
     * present changed.
     *
     * @return the entities marked
     */
    private long markPending(Connection c, CveSnapshotDTO previous, long current, java.util.Collection<String> releases) throws SQLException {
        java.util.Set<String> sources = new java.util.TreeSet<>();
        boolean all = previous == null || !new java.util.TreeSet<>(previous.releases()).equals(new java.util.TreeSet<>(releases));
        if (!all) {
            for (String sql : List.of("select distinct n.source_name " + ADDED, "select distinct o.source_name " + REMOVED,
                    "select distinct n.source_name " + CHANGED, "select distinct n.source_name " + REPOSITORIES_CHANGED)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    boolean addedFirst = sql.endsWith(ADDED);
                    Rows.bind(ps, addedFirst ? List.of(current, previous.id()) : List.of(previous.id(), current));
                    sources.addAll(Rows.list(ps, rs -> rs.getString(1)));
                }
            }
            if (sources.contains("linux")) {
                sources.addAll(CveRules.of(database.cveSettings()).kernelWrapperSources(c));
            }
        }
        long marked = 0;
        for (KindDescriptor t : KindDescriptor.ALL) {
            if (all || (t.runsKernel() && sources.contains("linux"))) {
                marked += Rows.update(c, "update " + t.entity() + " set cve_pending = cve_pending + 1");
            } else if (!sources.isEmpty()) {
                marked += Sql.updateIn(c, "update " + t.entity() + " set cve_pending = cve_pending + 1 where id in (select r." + t.owner()
                        + " from " + t.rows() + " r join package_version pv on pv.id = r.installed_version_id"
                        + " join source_package_version spv on spv.id = pv.source_package_version_id"
                        + " join source_package sp on sp.id = spv.source_package_id where sp.name in (IN_LIST))", List.of(), sources);
            }
        }
        return marked;
    }

    /** Deletes a snapshot's rows a hundred sources per transaction. */
    private void deleteRows(long snapshot) {
        List<String> sources = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select source_name from cve_issue where snapshot_id = ? union select source_name from cve_entry where snapshot_id = ?")) {
                ps.setLong(1, snapshot);
                ps.setLong(2, snapshot);
                return Rows.list(ps, rs -> rs.getString(1));
            }
        });
        for (int from = 0; from < sources.size(); from += DELETE_SOURCES) {
            List<String> batch = sources.subList(from, Math.min(sources.size(), from + DELETE_SOURCES));
            database.write("cve rows delete", c -> {
                for (String table : List.of("cve_entry", "cve_issue")) {
                    Sql.updateIn(c, "delete from " + table + " where snapshot_id = ? and source_name in (IN_LIST)", List.of(snapshot), batch);
                }
                return null;
            });
        }
    }

    private long insertSnapshot(Connection c, String origin, String sha256, Instant lastModified) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into cve_snapshot (started, origin, sha256, skipped, result, last_modified)"
                + " values (?, ?, ?, 0, 'importing', ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, now());
            ps.setString(2, truncate(origin, 1000));
            ps.setString(3, sha256);
            ps.setObject(4, lastModified == null ? null : LocalDateTime.ofInstant(lastModified, java.time.ZoneOffset.UTC));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static CveSnapshotDTO snapshot(ResultSet rs) throws SQLException {
        String releases = rs.getString(7);
        Map<String, Long> counts = new LinkedHashMap<>();
        String rowCounts = rs.getString(8);
        if (rowCounts != null && !rowCounts.isEmpty()) {
            for (String pair : rowCounts.split(",")) {
                String[] kv = pair.split("=", 2);
                counts.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return new CveSnapshotDTO(rs.getLong(1), Rows.utc(rs, 2), Rows.utc(rs, 3), rs.getString(4), Rows.utc(rs, 14), rs.getString(5),
                rs.getString(6), releases == null || releases.isEmpty() ? List.of() : List.of(releases.split(",")), counts, rs.getLong(9),
                rs.getString(10), nullableLong(rs, 11), nullableLong(rs, 12), nullableLong(rs, 13));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static String repositories(Map<String, String> repositories) {
        if (repositories.isEmpty()) {
            return null;
        }
        try {
            String json = MAPPER.writeValueAsString(repositories);
            // Only shown and used for the epoch check: an absurdly long list is dropped, never cut into invalid JSON.
            return json.length() <= 2000 ? json : null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings always serialises", e);
        }
    }

    private static String counts(Map<String, Long> rowsByRelease) {
        return rowsByRelease.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * @return the file's sha256, lower-case hex: the feed and the side files are deduplicated by it
     * @throws IllegalArgumentException when the file cannot be read
     */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }
}
