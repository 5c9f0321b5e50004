package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.DebianVersion;

/**
 * Imports of the tracker's side files (CVE.md §1.5, §1.7), for {@link CveFeedServiceImpl}: the DSA
 * and DLA lists and distributions.json. An import's rows are written under its id in short
 * transactions, invisible to readers (who join the active import of each kind); one transaction
 * then switches; the superseded rows go at the next import. A lease keeps these imports one at a
 * time across nodes. Also the advisory labels of findings, looked up for the findings shown.
 */
final class CveListImports {

    static final String LEASE = "cve-list-import";
    /** Advisories or codenames per transaction. */
    private static final int BATCH = 500;
    private static final String COLUMNS = "id, kind, started, finished, origin, last_modified, sha256, entries, skipped, result, error";
    /** The tables an import's rows are in. */
    private static final List<String> ROW_TABLES = List.of("cve_advisory", "cve_advisory_issue", "cve_advisory_fix", "cve_distribution");
    /** The verdicts of a finding with a fixed version of Debian's that an advisory may have shipped. */
    private static final Set<CveVerdict> WITH_FIX = Set.of(CveVerdict.AFFECTED_FIXED, CveVerdict.FIXED, CveVerdict.RUNNING_AFFECTED,
            CveVerdict.RUNNING_FIXED, CveVerdict.REBOOT_REQUIRED);

    private final Logger logger = LoggerFactory.getLogger(CveListImports.class);
    private final Database database;
    private final Clock clock;
    private final JobLease lease;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();

    CveListImports(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.lease = new JobLease(database, LEASE, Duration.ofMinutes(10), clock);
    }

    CveListImportDTO importList(CveListKind kind, Path file, String origin, Instant lastModified) {
        Objects.requireNonNull(kind, "kind");
        String sha256 = CveFeedServiceImpl.sha256(file);
        String holder = node + "/" + UUID.randomUUID();
        if (!lease.acquire(holder)) {
            throw new IllegalStateException("An advisory list or distributions.json import is already running; try again when it has ended.");
        }
        try {
            cleanUp();
            CveListImportDTO previous = active(kind);
            long id = database.write("cve list import", c -> insert(c, kind, origin, lastModified, sha256));
            if (previous != null && previous.sha256().equals(sha256)) {
                database.write("cve list import", c -> Rows.update(c, "update cve_list_import set result = 'unchanged', finished = ?, entries = ?,"
                        + " skipped = ? where id = ?", now(), previous.entries(), previous.skipped(), id));
                return find(id);
            }
            CveListReader.Summary summary;
            try (InputStream in = Files.newInputStream(file)) {
                Writer writer = new Writer(id, holder);
                summary = kind == CveListKind.DISTRIBUTIONS ? CveListReader.distributions(in, writer::distribution)
                        : CveListReader.advisories(in, kind.name(), writer::advisory);
                writer.flush();
            } catch (IllegalArgumentException | IOException e) {
                String error = e instanceof IOException ? "Cannot read " + file + ": " + e.getMessage() : e.getMessage();
                fail(id, kind, origin, error);
                throw new IllegalArgumentException(error, e);
            } catch (RuntimeException e) {
                fail(id, kind, origin, String.valueOf(e.getMessage()));
                throw e;
            }
            boolean remapped = database.write("cve list switch", c -> {
                lease.renew(c, holder);
                // What judging uses is the static table under the import: a first import that agrees with it changes nothing.
                boolean changed = kind == CveListKind.DISTRIBUTIONS && !CveRules.codenames(mapping(c, id))
                        .equals(CveRules.codenames(previous == null ? Map.of() : mapping(c, previous.id())));
                Rows.update(c, "update cve_list_import set result = 'superseded' where kind = ? and result = 'active'", kind.word());
                Rows.update(c, "update cve_list_import set result = 'active', finished = ?, entries = ?, skipped = ? where id = ?", now(),
                        summary.entries(), summary.skipped(), id);
                if (changed) {
                    // CVE.md §10: the releases a new mapping affects are recomputed; every entity is the simple superset.
                    CveRules.markAll(c);
                }
                return changed;
            });
            logger.info("CVE {} imported from {}: {} entries, {} skipped{}", kind.word(), origin, summary.entries(), summary.skipped(),
                    remapped ? "; the codename mapping changed, every host and image is recomputed" : "");
            return find(id);
        } finally {
            lease.release(holder);
        }
    }

    /** Per kind: the active import, then the latest one when it is another. */
    List<CveListImportDTO> lists() {
        List<CveListImportDTO> all = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_list_import where result = 'active'"
                    + " or id in (select max(id) from cve_list_import group by kind)")) {
                return Rows.list(ps, CveListImports::dto);
            }
        });
        List<CveListImportDTO> out = new ArrayList<>(all);
        out.sort(Comparator.comparing(CveListImportDTO::kind).thenComparing(i -> !i.result().equals("active"))
                .thenComparing(CveListImportDTO::id));
        return out;
    }

    /** Writes the rows as they stream, a batch per transaction, each renewing the lease. */
    private final class Writer {
        private final long list;
        private final String holder;
        private final List<Object[]> advisories = new ArrayList<>();
        private final List<Object[]> issues = new ArrayList<>();
        private final List<Object[]> fixes = new ArrayList<>();
        private final List<Object[]> distributions = new ArrayList<>();

        Writer(long list, String holder) {
            this.list = list;
            this.holder = holder;
        }

        void advisory(CveListReader.Advisory a) {
            advisories.add(new Object[] {list, a.id(), a.published(), a.source(), a.summary()});
            a.issues().forEach(issue -> issues.add(new Object[] {list, a.id(), issue}));
            a.fixes().forEach(fix -> fixes.add(new Object[] {list, a.id(), fix.release(), fix.source(), fix.version()}));
            if (advisories.size() >= BATCH) {
                flush();
            }
        }

        void distribution(CveListReader.Distribution d) {
            distributions.add(new Object[] {list, d.codename(), d.majorVersion(), d.support()});
            if (distributions.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            List<Object[]> a = List.copyOf(advisories);
            List<Object[]> i = List.copyOf(issues);
            List<Object[]> f = List.copyOf(fixes);
            List<Object[]> d = List.copyOf(distributions);
            advisories.clear();
            issues.clear();
            fixes.clear();
            distributions.clear();
            database.write("cve list rows", c -> {
                lease.renew(c, holder);
                if (!a.isEmpty()) {
                    Sql.insertRows(c, "cve_advisory", "list_id, advisory, published, source_name, summary", 5, a);
                }
                if (!i.isEmpty()) {
                    Sql.insertRows(c, "cve_advisory_issue", "list_id, advisory, issue", 3, i);
                }
                if (!f.isEmpty()) {
                    Sql.insertRows(c, "cve_advisory_fix", "list_id, advisory, release_name, source_name, fixed_version", 5, f);
                }
                if (!d.isEmpty()) {
                    Sql.insertRows(c, "cve_distribution", "list_id, codename, major_version, support", 4, d);
                }
                return null;
            });
        }
    }

    /** @return codename → major version of an import */
    private static Map<String, String> mapping(Connection c, long list) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select codename, major_version from cve_distribution where list_id = ?")) {
            ps.setLong(1, list);
            Rows.list(ps, rs -> out.put(rs.getString(1), rs.getString(2)));
        }
        return out;
    }

    private CveListImportDTO active(CveListKind kind) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_list_import where kind = ? and result = 'active'")) {
                ps.setString(1, kind.word());
                return Rows.list(ps, CveListImports::dto).stream().findFirst().orElse(null);
            }
        });
    }

    private CveListImportDTO find(long id) {
        return database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_list_import where id = ?")) {
                ps.setLong(1, id);
                return Rows.list(ps, CveListImports::dto).get(0);
            }
        });
    }

    /** A failed import: its rows go, its record says why, the active import of its kind stays. */
    private void fail(long id, CveListKind kind, String origin, String error) {
        try {
            deleteRows(List.of(id));
            database.write("cve list import", c -> Rows.update(c, "update cve_list_import set result = 'failed', finished = ?, error = ?"
                    + " where id = ?", now(), error, id));
        } catch (RuntimeException e) {
            logger.warn("Could not record the failed CVE {} import {} (the next import cleans it up): {}", kind.word(), id, e.getMessage());
        }
        logger.warn("CVE {} import from {} failed; the active one stays: {}", kind.word(), origin, error);
    }

    /**
     * Under the lease, before an import: an import that died is failed, and the rows of every import
     * but the active ones go (superseded and failed ones).
     */
    private void cleanUp() {
        database.write("cve list import", c -> Rows.update(c, "update cve_list_import set result = 'failed', finished = ?,"
                + " error = 'interrupted: the import stopped before it ended' where result = 'importing'", now()));
        List<Long> stale = database.query(c -> {
            Set<Long> ids = new TreeSet<>();
            for (String table : ROW_TABLES) {
                try (PreparedStatement ps = c.prepareStatement("select distinct list_id from " + table
                        + " where list_id not in (select id from cve_list_import where result = 'active')")) {
                    ids.addAll(Rows.list(ps, rs -> rs.getLong(1)));
                }
            }
            return List.copyOf(ids);
        });
        deleteRows(stale);
    }

    /** Deletes the rows of these imports, one transaction per import and table. */
    private void deleteRows(List<Long> lists) {
        for (long list : lists) {
            for (String table : ROW_TABLES) {
                database.write("cve list rows delete", c -> Rows.update(c, "delete from " + table + " where list_id = ?", list));
            }
        }
    }

    private long insert(Connection c, CveListKind kind, String origin, Instant lastModified, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into cve_list_import (kind, started, origin, last_modified, sha256, entries,"
                + " skipped, result) values (?, ?, ?, ?, ?, 0, 0, 'importing')", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, kind.word());
            ps.setObject(2, now());
            ps.setString(3, truncate(origin, 1000));
            ps.setObject(4, lastModified == null ? null : LocalDateTime.ofInstant(lastModified, ZoneOffset.UTC));
            ps.setString(5, sha256);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static CveListImportDTO dto(ResultSet rs) throws SQLException {
        return new CveListImportDTO(rs.getLong(1), CveListKind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), Rows.utc(rs, 3),
                Rows.utc(rs, 4), rs.getString(5), Rows.utc(rs, 6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getString(10),
                rs.getString(11));
    }

    /** An advisory that names an issue for a source in a release, with the version its line gives (or null). */
    record Label(String advisory, String version) {
    }

    /**
     * @return the findings with the advisory that names each one's issue for its source and release
     *         (CVE.md §1.7, §8), in the same order; only explained findings with a fixed version of
     *         Debian's are looked up (an advisory lists every issue of the upload, §1.7), and
     *         {@link #best} picks the advisory
     */
    static List<CveFindingDTO> label(Connection c, List<CveFindingDTO> findings) throws SQLException {
        Map<String, Set<String>> issuesByRelease = new TreeMap<>();
        for (CveFindingDTO f : findings) {
            if (labelled(f)) {
                issuesByRelease.computeIfAbsent(f.release(), k -> new TreeSet<>()).add(f.cve());
            }
        }
        if (issuesByRelease.isEmpty()) {
            return findings;
        }
        Map<String, List<Label>> labels = new HashMap<>();
        for (Map.Entry<String, Set<String>> release : issuesByRelease.entrySet()) {
            Sql.selectIn(c, "select i.issue, f.source_name, i.advisory, f.fixed_version from cve_advisory_issue i"
                    + " join cve_list_import l on l.id = i.list_id and l.result = 'active'"
                    + " join cve_advisory_fix f on f.list_id = i.list_id and f.advisory = i.advisory and f.release_name = ?"
                    + " where i.issue in (IN_LIST)", List.of(release.getKey()), release.getValue(),
                    rs -> labels.computeIfAbsent(release.getKey() + "\n" + rs.getString(1) + "\n" + rs.getString(2), k -> new ArrayList<>())
                            .add(new Label(rs.getString(3), rs.getString(4))));
        }
        if (labels.isEmpty()) {
            return findings;
        }
        List<CveFindingDTO> out = new ArrayList<>(findings.size());
        for (CveFindingDTO f : findings) {
            Label label = labelled(f) ? best(labels.get(f.release() + "\n" + f.cve() + "\n" + f.source()), f.fixedVersion()) : null;
            out.add(label == null ? f : withAdvisory(f, label.advisory(), line(label, f.source(), f.release())));
        }
        return out;
    }

    /**
     * @return (release, source) → the best advisory naming the issue, as {@code release + "\n" +
     *         source}; for CVE.md §11.3's rows of Debian's statuses
     * @param fixedVersions the feed's fixed version per (release, source) of the rows that are
     *                      resolved: it picks the advisory; a row without a real one ({@code "0"}) has none
     */
    static Map<String, String> advisories(Connection c, String issue, Map<String, String> fixedVersions) throws SQLException {
        Map<String, List<Label>> labels = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select f.release_name, f.source_name, i.advisory, f.fixed_version"
                + " from cve_advisory_issue i join cve_list_import l on l.id = i.list_id and l.result = 'active'"
                + " join cve_advisory_fix f on f.list_id = i.list_id and f.advisory = i.advisory where i.issue = ?")) {
            ps.setString(1, issue);
            Rows.list(ps, rs -> labels.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2), k -> new ArrayList<>())
                    .add(new Label(rs.getString(3), rs.getString(4))));
        }
        Map<String, String> out = new HashMap<>();
        labels.forEach((key, found) -> {
            String fixed = fixedVersions.get(key);
            Label label = realFix(fixed) ? best(found, fixed) : null;
            if (label != null) {
                out.put(key, label.advisory());
            }
        });
        return out;
    }

    /**
     * Only a finding with a fix Debian published names the advisory that shipped it: an open or
     * untriaged one has none yet, and "not affected" ({@code "0"}) was never fixed (§1.7).
     */
    private static boolean labelled(CveFindingDTO f) {
        if (f.explanation() == null || f.release() == null || !realFix(f.fixedVersion())) {
            return false;
        }
        return WITH_FIX.contains(f.verdict()) || (f.verdict() == CveVerdict.KERNEL_HEADERS_ONLY && WITH_FIX.contains(f.baseVerdict()));
    }

    static boolean realFix(String fixedVersion) {
        return fixedVersion != null && !fixedVersion.equals("0");
    }

    /**
     * @return the advisory whose version is the feed's fixed version, else the one with the lowest
     *         version at or above it (dpkg order; the lower id among equals), else null: an advisory
     *         older than the fix did not ship it
     */
    static Label best(List<Label> labels, String fixedVersion) {
        if (labels == null || labels.isEmpty() || fixedVersion == null) {
            return null;
        }
        for (Label label : labels) {
            if (fixedVersion.equals(label.version())) {
                return label;
            }
        }
        return labels.stream().filter(l -> l.version() != null && DebianVersion.compare(l.version(), fixedVersion) >= 0)
                .min(Comparator.comparing(Label::version, DebianVersion::compare).thenComparing(Label::advisory)).orElse(null);
    }

    /** §8's Advisory line, e.g. {@code DSA-5321-1 (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)}. */
    private static String line(Label label, String source, String release) {
        return label.advisory() + " (" + (label.version() == null ? source + " in " + release : "fixed " + source + " " + label.version() + " in " + release)
                + ")";
    }

    private static CveFindingDTO withAdvisory(CveFindingDTO f, String advisory, String line) {
        CveFindingDTO.Explanation e = f.explanation();
        return new CveFindingDTO(f.cve(), f.source(), f.release(), f.binaries(), f.sourceVersion(), f.provenance(), f.baseVerdict(), f.verdict(),
                f.subState(), f.counted(), f.fix(), f.candidate(), f.fixedVersion(), f.unstableFixedVersion(), f.urgency(), f.nvdDerived(), f.scope(),
                f.nodsa(), f.nodsaReason(), f.nextPointUpdate(), advisory, f.accepted(), new CveFindingDTO.Explanation(e.state(), e.urgency(),
                        e.installed(), e.rule(), e.elsewhere(), e.upgrade(), line, e.data(), e.links()), f.firstSeen(), f.events());
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }
}
