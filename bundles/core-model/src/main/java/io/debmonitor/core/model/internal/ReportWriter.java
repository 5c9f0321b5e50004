package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.HistoryEvent;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;

/**
 * Applies one report to one entity on one JDBC connection, set-based (SPEC §1.5–§1.7, §2.6).
 * The report is first applied in memory to the entity's current rows; the database is then
 * brought to that state with bulk lookups, multi-row inserts, batched updates and one delete per
 * chunk, so an unchanged report of thousands of packages costs a handful of statements. Shared
 * rows (packages, versions, sources) are created in name order to keep lock order stable across
 * concurrent writers; a duplicate key from a concurrent creator makes {@link Database} retry.
 */
final class ReportWriter {

    private final Connection c;
    private final KindDescriptor t;
    private final SharedRowIds known;
    private final SharedRowIds.Learned learned;

    /** {@code known}: ids remembered from earlier reports; {@code learned}: what this transaction finds. */
    ReportWriter(Connection connection, KindDescriptor tables, SharedRowIds known, SharedRowIds.Learned learned) {
        this.c = connection;
        this.t = tables;
        this.known = known;
        this.learned = learned;
    }

    /** A row as it is stored, or as the report wants it. Versions are strings until resolved. */
    private static final class Row {
        long packageId;
        final String installed;
        final String upgrade;
        final String type;
        long installedId;
        Long upgradeId;

        Row(String installed, String upgrade, String type) {
            this.installed = installed;
            this.upgrade = upgrade;
            this.type = upgrade == null ? null : type;
        }
    }

    /**
     * A package version named by the report, with the source the report gives it; {@code reported}:
     * that source version came from a reported {@code source_version} (an OS change carries the
     * stored flag over).
     */
    private record VersionRequest(String pkg, String version, String source, String sourceVersion, boolean relink, boolean reported) {

        VersionRequest(String pkg, String version, String source, String sourceVersion, boolean relink) {
            this(pkg, version, source, sourceVersion, relink, sourceVersion != null);
        }
    }

    /** A package version as stored or about to be stored; {@code reported}: its source version came from a report's {@code source_version}. */
    private static final class Version {
        Long id;
        String source;
        String sourceVersion;
        boolean reported;
        boolean relinked;

        Version(Long id, String source, String sourceVersion, boolean reported) {
            this.id = id;
            this.source = source;
            this.sourceVersion = sourceVersion;
            this.reported = reported;
        }
    }

    private record VersionKey(long packageId, String version) {
    }

    /**
     * @param rows   the package rows written (deleted, updated or inserted); 0 for an unchanged report
     * @param events the history events recorded
     */
    record Applied(long rows, long events) {
    }

    /**
     * @param started when the report's transaction started; the time recorded is the entity's last
     *                time instead when that is later (another node's clock, or a report that took the
     *                entity's lock first), so one entity's times and events never go backwards
     */
    Applied apply(String name, ReportDTO report, LocalDateTime started) throws SQLException {
        long osId = findOrCreateOs(report.os());
        Long kernelId = t.runsKernel() && report.kernelVersion() != null ? findOrCreateKernel(osId, report.kernelVersion()) : null;

        String digest = report.updateType() == UpdateType.FULL ? ReportDigest.of(report) : null;
        Entity entity = lockOrCreateEntity(name, osId, kernelId, started);
        LocalDateTime now = entity.previousModified().isAfter(started) ? entity.previousModified() : started;
        if (digest != null && digest.equals(entity.previousDigest())) {
            // the same full report as last time, and no other report since: the rows are already right
            updateEntity(entity.id(), osId, kernelId, report.kernelRelease(), report.digest(), digest, now, new int[3], false);
            return new Applied(0, entity.historySince() == null ? beginHistory(entity.id(), report.updateType(), now) : 0);
        }
        long entityId = entity.id();
        boolean osChanged = entity.previousOsId() != osId;

        Set<String> names = report.updateType() == UpdateType.FULL || osChanged ? null : namesIn(report);
        Map<String, Row> current = loadRows(entityId, names);
        List<VersionRequest> requests = new ArrayList<>();
        if (osChanged) {
            requests.addAll(migrationRequests(entityId));
        }
        Map<String, Row> target = applyInMemory(current, report, requests);

        Map<String, Long> packageIds = findOrCreatePackages(target.keySet(), requests);
        resolveVersions(osId, packageIds, target, requests);

        long written = writeRows(entityId, current, target, osChanged);
        int[] before = counts(current);
        int[] after = counts(target);
        updateEntity(entityId, osId, kernelId, report.kernelRelease(), report.digest(), digest, now,
                new int[] {after[0] - before[0], after[1] - before[1], after[2] - before[2]}, true);
        long events = entity.historySince() == null ? beginHistory(entityId, report.updateType(), now)
                : recordEvents(entityId, current, target, report.updateType(), now);
        return new Applied(written, events);
    }

    // --- history ------------------------------------------------------------------------------

    /**
     * The entity's first report, or its first since history was added: one baseline event stands
     * for every row it now has, and the entity's history starts now.
     */
    private long beginHistory(long entityId, UpdateType updateType, LocalDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + t.entity() + " set history_since = ? where id = ?")) {
            ps.setObject(1, now);
            ps.setLong(2, entityId);
            ps.executeUpdate();
        }
        List<Object[]> baseline = new ArrayList<>();
        baseline.add(new Object[] {entityId, now, updateType.wireName(), HistoryEvent.BASELINE.wireName(), null, null, null, null, null, null,
            null});
        insertEvents(baseline);
        return 1;
    }

    /** One event per row the report changed, with the row's state before and after. */
    private long recordEvents(long entityId, Map<String, Row> current, Map<String, Row> target, UpdateType updateType, LocalDateTime now)
            throws SQLException {
        Set<String> names = new TreeSet<>(current.keySet());
        names.addAll(target.keySet());
        List<Object[]> events = new ArrayList<>();
        for (String name : names) {
            Row have = current.get(name);
            Row want = target.get(name);
            HistoryEvent event = change(have, want);
            if (event != null) {
                events.add(new Object[] {entityId, now, updateType.wireName(), event.wireName(), name,
                    have == null ? null : have.installed, want == null ? null : want.installed,
                    have == null ? null : have.upgrade, want == null ? null : want.upgrade,
                    have == null ? null : have.type, want == null ? null : want.type});
            }
        }
        insertEvents(events);
        return events.size();
    }

    /** @return what changed from {@code have} to {@code want} (null for no row), or null when nothing did */
    private static HistoryEvent change(Row have, Row want) {
        if (have == null) {
            return HistoryEvent.INSTALLED;
        }
        if (want == null) {
            return HistoryEvent.REMOVED;
        }
        if (!have.installed.equals(want.installed)) {
            return DebianVersion.compare(have.installed, want.installed) > 0 ? HistoryEvent.DOWNGRADED : HistoryEvent.UPGRADED;
        }
        if (Objects.equals(have.upgrade, want.upgrade) && Objects.equals(have.type, want.type)) {
            return null;
        }
        return want.upgrade != null ? HistoryEvent.UPGRADE_OFFERED : HistoryEvent.UPGRADE_WITHDRAWN;
    }

    private void insertEvents(List<Object[]> events) throws SQLException {
        if (!events.isEmpty()) {
            Sql.insertRows(c, t.events(), t.owner() + ", created, update_type, event, package, version_before, version_after,"
                    + " upgrade_before, upgrade_after, upgrade_type_before, upgrade_type_after", 11, events);
        }
    }

    /**
     * Package, upgradable and security counts of some rows. {@code current} holds every row the
     * report can change, so the difference between the two states is the change of the entity's
     * counters, and the counters need no scan of its rows.
     */
    private static int[] counts(Map<String, Row> rows) {
        int[] counts = new int[3];
        for (Row row : rows.values()) {
            counts[0]++;
            if (row.upgrade != null) {
                counts[1]++;
                if ("security".equals(row.type)) {
                    counts[2]++;
                }
            }
        }
        return counts;
    }

    /**
     * Records the report's OS, kernel, time and digest on the locked entity row, and moves its
     * counters; {@code cveChanged}: the report may change the entity's CVE findings (CveRefresher).
     */
    private void updateEntity(long id, long osId, Long kernelId, String release, String manifestDigest, String digest,
                              LocalDateTime now, int[] countChanges, boolean cveChanged) throws SQLException {
        StringBuilder update = new StringBuilder("update " + t.entity() + " set os_id = ?, modified = ?, last_full_digest = ?");
        for (String column : t.reportColumns()) {
            update.append(", ").append(column).append(" = ?");
        }
        update.append(", package_count = package_count + ?, upgrade_count = upgrade_count + ?, security_count = security_count + ?")
                .append(cveChanged ? ", cve_pending = cve_pending + 1" : "").append(" where id = ?");
        try (PreparedStatement up = c.prepareStatement(update.toString())) {
            int i = 1;
            up.setLong(i++, osId);
            up.setObject(i++, now);
            up.setString(i++, digest);
            for (Object value : t.reportValues(kernelId, release, manifestDigest)) {
                up.setObject(i++, value);
            }
            for (int change : countChanges) {
                up.setInt(i++, change);
            }
            up.setLong(i, id);
            up.executeUpdate();
        }
    }

    // --- OS, kernel, entity -------------------------------------------------------------------

    private long findOrCreateOs(String name) throws SQLException {
        Long id = known.os.get(name);
        if (id == null) {
            id = findOrCreateNamed("os", Set.of(name), Map.of()).get(name);
            learned.os.put(name, id);
        }
        return id;
    }

    private long findOrCreateKernel(long osId, String kernel) throws SQLException {
        String key = SharedRowIds.kernelKey(osId, kernel);
        Long id = known.kernels.get(key);
        if (id == null) {
            id = lookUpOrCreateKernel(osId, kernel);
            learned.kernels.put(key, id);
        }
        return id;
    }

    private long lookUpOrCreateKernel(long osId, String kernel) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from kernel where os_id = ? and name = ?")) {
            ps.setLong(1, osId);
            ps.setString(2, kernel);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        String base = KernelSlug.of(kernel);
        Set<String> taken = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select slug from kernel where os_id = ? and slug like ?")) {
            ps.setLong(1, osId);
            ps.setString(2, base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into kernel (name, os_id, slug) values (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, kernel);
            ps.setLong(2, osId);
            ps.setString(3, KernelSlug.unique(base, taken));
            ps.executeUpdate();
            return generatedKey(ps);
        }
    }

    /** The entity row as it was before this report; {@code historySince} null when its history has not begun. */
    private record Entity(long id, long previousOsId, String previousDigest, LocalDateTime previousModified, LocalDateTime historySince) {
    }

    /**
     * Locks the entity row for the rest of the transaction (serialising reports for one entity),
     * creating it when it is new. The report's values are written by {@link #updateEntity} at the
     * end; the digest of a full report is kept until any other report clears it, because that
     * report may change rows that a later identical full report must restore.
     */
    private Entity lockOrCreateEntity(String name, long osId, Long kernelId, LocalDateTime now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, os_id, last_full_digest, modified, history_since from " + t.entity()
                + " where name = ? for update")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Entity(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, LocalDateTime.class),
                            rs.getObject(5, LocalDateTime.class));
                }
            }
        }
        // The report columns are set by updateEntity; only the non-null ones are needed here.
        String insert = "insert into " + t.entity() + " (name, os_id, created, modified"
                + (kernelId != null ? ", kernel_id) values (?, ?, ?, ?, ?)" : ") values (?, ?, ?, ?)");
        try (PreparedStatement ps = c.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setLong(2, osId);
            ps.setObject(3, now);
            ps.setObject(4, now);
            if (kernelId != null) {
                ps.setLong(5, kernelId);
            }
            ps.executeUpdate();
            return new Entity(generatedKey(ps), osId, null, now, null);
        }
    }

    // --- the report, in memory ----------------------------------------------------------------

    /** Package names an incremental report touches; only their rows can change. */
    private static Set<String> namesIn(ReportDTO report) {
        Set<String> names = new TreeSet<>(report.uninstalled());
        report.installed().forEach(item -> names.add(item.name()));
        report.upgradable().forEach(item -> names.add(item.name()));
        return names;
    }

    /** The entity's rows: all of them, or only those of the given package names. */
    private Map<String, Row> loadRows(long entityId, Set<String> names) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        String sql = "select p.id, p.name, iv.id, iv.version, uv.id, uv.version, r.upgrade_type from " + t.rows() + " r"
                + " join package p on p.id = r.package_id"
                + " join package_version iv on iv.id = r.installed_version_id"
                + " left join package_version uv on uv.id = r.upgrade_version_id"
                + " where r." + t.owner() + " = ?";
        Sql.RowReader reader = rs -> {
            Row row = new Row(rs.getString(4), rs.getString(6), rs.getString(7));
            row.packageId = rs.getLong(1);
            row.installedId = rs.getLong(3);
            long upgradeId = rs.getLong(5);
            row.upgradeId = rs.wasNull() ? null : upgradeId;
            rows.put(rs.getString(2), row);
        };
        if (names == null) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, entityId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        } else if (!names.isEmpty()) {
            Sql.selectIn(c, sql + " and p.name in (IN_LIST)", List.of(entityId), names, reader);
        }
        return rows;
    }

    /** After an OS change every row moves to the same package and version string under the new OS (SPEC §1.7). */
    private List<VersionRequest> migrationRequests(long entityId) throws SQLException {
        List<VersionRequest> requests = new ArrayList<>();
        String sql = "select p.name, pv.version, sp.name, spv.version, pv.source_reported from " + t.rows() + " r"
                + " join package p on p.id = r.package_id"
                + " join package_version pv on pv.id = r.installed_version_id or pv.id = r.upgrade_version_id"
                + " join source_package_version spv on spv.id = pv.source_package_version_id"
                + " join source_package sp on sp.id = spv.source_package_id"
                + " where r." + t.owner() + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, entityId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    requests.add(new VersionRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), false,
                            rs.getBoolean(5)));
                }
            }
        }
        return requests;
    }

    /** SPEC §1.6 steps 3–6 on plain maps; records every package version the report names. */
    private static Map<String, Row> applyInMemory(Map<String, Row> current, ReportDTO report, List<VersionRequest> requests) {
        Map<String, Row> rows = new LinkedHashMap<>(current);
        Set<String> listed = new HashSet<>();
        Set<String> upgradable = new HashSet<>();
        for (InstalledDTO item : report.installed()) {
            requests.add(new VersionRequest(item.name(), item.version(), item.source(), item.sourceVersion(), true));
            listed.add(item.name());
            Row row = rows.get(item.name());
            if (row == null || !row.installed.equals(item.version())) {
                rows.put(item.name(), new Row(item.version(), null, null));
            }
        }
        for (String name : report.uninstalled()) {
            rows.remove(name);
        }
        for (UpgradableDTO item : report.upgradable()) {
            requests.add(new VersionRequest(item.name(), item.versionTo(), item.source(), item.sourceVersion(), true));
            listed.add(item.name());
            upgradable.add(item.name());
            Row row = rows.get(item.name());
            if (row != null) {
                boolean noUpgrade = DebianVersion.equal(item.versionTo(), row.installed);
                rows.put(item.name(), noUpgrade ? new Row(row.installed, null, null)
                        : new Row(row.installed, item.versionTo(), item.type()));
            } else {
                // An untracked package: its installed version gets the item's source on creation only.
                requests.add(new VersionRequest(item.name(), item.versionFrom(), item.source(), null, false));
                boolean noUpgrade = DebianVersion.equal(item.versionTo(), item.versionFrom());
                rows.put(item.name(), new Row(item.versionFrom(), noUpgrade ? null : item.versionTo(), item.type()));
            }
        }
        if (report.updateType() == UpdateType.FULL) {
            rows.keySet().retainAll(listed);
            rows.replaceAll((name, row) -> upgradable.contains(name) || row.upgrade == null ? row
                    : new Row(row.installed, null, null));
        }
        return rows;
    }

    // --- shared rows: packages, versions, sources ----------------------------------------------

    private Map<String, Long> findOrCreatePackages(Set<String> rowNames, List<VersionRequest> requests) throws SQLException {
        Set<String> names = new TreeSet<>(rowNames);
        for (VersionRequest request : requests) {
            names.add(request.pkg());
        }
        Map<String, Long> ids = findOrCreateNamed("package", names, known.packages);
        learned.packages.putAll(ids);
        return ids;
    }

    /**
     * Bulk find-or-create for (id, name) tables (os, package, source_package): names in
     * {@code known} need no lookup; the missing names are inserted in sorted order.
     */
    private Map<String, Long> findOrCreateNamed(String table, Set<String> names, Map<String, Long> known) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            Long id = known.get(name);
            if (id != null) {
                ids.put(name, id);
            } else {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return ids;
        }
        String select = "select id, name from " + table + " where name in (IN_LIST)";
        Sql.selectIn(c, select, List.of(), unknown, rs -> ids.put(rs.getString(2), rs.getLong(1)));
        Set<String> missing = new TreeSet<>(unknown);
        missing.removeAll(ids.keySet());
        if (!missing.isEmpty()) {
            List<Object[]> values = new ArrayList<>();
            for (String name : missing) {
                values.add(new Object[] {name});
            }
            Sql.insertSharedRows(c, table, "name", 1, values);
            Sql.selectIn(c, select, List.of(), missing, rs -> ids.put(rs.getString(2), rs.getLong(1)));
            if (!ids.keySet().containsAll(names)) {
                throw Sql.missing(table + " rows");
            }
        }
        return ids;
    }

    /**
     * Looks up every version of the named packages under the OS, creates the missing ones and
     * re-links sources per SPEC §2.6, and resolves the version ids of the target rows.
     */
    private void resolveVersions(long osId, Map<String, Long> packageIds, Map<String, Row> target,
            List<VersionRequest> requests) throws SQLException {
        Map<VersionKey, Version> versions = new HashMap<>();
        Map<VersionKey, Long> sourceVersionOf = new HashMap<>();
        Sql.selectIn(c, "select package_id, version, id, source_package_version_id, source_reported from package_version"
                + " where os_id = ? and package_id in (IN_LIST)", List.of(osId), new TreeSet<>(packageIds.values()), rs -> {
                    VersionKey key = new VersionKey(rs.getLong(1), rs.getString(2));
                    versions.put(key, new Version(rs.getLong(3), null, null, rs.getBoolean(5)));
                    sourceVersionOf.put(key, rs.getLong(4));
                });
        Map<Long, SharedRowIds.SourceVersion> sources = sourceVersions(new TreeSet<>(sourceVersionOf.values()));
        sourceVersionOf.forEach((key, sourceVersionId) -> {
            Version version = versions.get(key);
            version.source = sources.get(sourceVersionId).source();
            version.sourceVersion = sources.get(sourceVersionId).version();
        });

        for (VersionRequest request : requests) {
            VersionKey key = new VersionKey(packageIds.get(request.pkg()), request.version());
            Version version = versions.get(key);
            String sourceVersion = request.sourceVersion() != null ? request.sourceVersion() : request.version();
            boolean reported = request.reported();
            if (version == null) {
                versions.put(key, new Version(null, request.source(), sourceVersion, reported));
            } else if (request.relink() && (!request.source().equals(version.source)
                    || (reported && (!request.sourceVersion().equals(version.sourceVersion) || !version.reported)))) {
                version.source = request.source();
                version.sourceVersion = sourceVersion;
                version.reported = reported;
                version.relinked = version.id != null;
            }
        }
        Map<String, Map<String, Long>> sourceVersionIds = findOrCreateSourceVersions(osId, versions);
        List<Object[]> inserts = new ArrayList<>();
        Map<VersionKey, Version> created = new TreeMap<>((a, b) -> a.packageId() != b.packageId()
                ? Long.compare(a.packageId(), b.packageId()) : a.version().compareTo(b.version()));
        // By id: concurrent reports re-linking the same shared rows lock them in one order.
        TreeMap<Long, Object[]> relinks = new TreeMap<>();
        for (Map.Entry<VersionKey, Version> entry : versions.entrySet()) {
            Version version = entry.getValue();
            if (version.id == null) {
                created.put(entry.getKey(), version);
            } else if (version.relinked) {
                relinks.put(version.id, new Object[] {sourceVersionIds.get(version.source).get(version.sourceVersion), version.reported,
                    version.id});
            }
        }
        for (Map.Entry<VersionKey, Version> entry : created.entrySet()) {
            Version version = entry.getValue();
            inserts.add(new Object[] {entry.getKey().packageId(), entry.getKey().version(), osId,
                sourceVersionIds.get(version.source).get(version.sourceVersion), DebianVersion.sortKey(entry.getKey().version()),
                version.reported});
        }
        if (!inserts.isEmpty()) {
            Sql.insertSharedRows(c, "package_version", "package_id, version, os_id, source_package_version_id, sort_key, source_reported",
                    6, inserts);
            Set<Long> createdPackages = new TreeSet<>();
            created.keySet().forEach(key -> createdPackages.add(key.packageId()));
            Sql.selectIn(c, "select package_id, version, id from package_version where os_id = ? and package_id in (IN_LIST)",
                    List.of(osId), createdPackages, rs -> {
                        Version version = created.get(new VersionKey(rs.getLong(1), rs.getString(2)));
                        if (version != null) {
                            version.id = rs.getLong(3);
                        }
                    });
            if (created.values().stream().anyMatch(version -> version.id == null)) {
                throw Sql.missing("package_version rows");
            }
        }
        if (!relinks.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update package_version set source_package_version_id = ?, source_reported = ? where id = ?")) {
                for (Object[] relink : relinks.values()) {
                    ps.setObject(1, relink[0]);
                    ps.setObject(2, relink[1]);
                    ps.setObject(3, relink[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // Other hosts and images share these versions: the CVE refresher marks them (CveRefresher).
            try (PreparedStatement ps = c.prepareStatement("insert into cve_relinked_version (version_id) values (?)")) {
                for (Object[] relink : relinks.values()) {
                    ps.setObject(1, relink[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (Map.Entry<String, Row> entry : target.entrySet()) {
            Row row = entry.getValue();
            row.packageId = packageIds.get(entry.getKey());
            row.installedId = versions.get(new VersionKey(row.packageId, row.installed)).id;
            row.upgradeId = row.upgrade == null ? null : versions.get(new VersionKey(row.packageId, row.upgrade)).id;
        }
    }

    /** The source name and version behind each source package version id. */
    private Map<Long, SharedRowIds.SourceVersion> sourceVersions(Set<Long> ids) throws SQLException {
        Map<Long, SharedRowIds.SourceVersion> out = new HashMap<>();
        Set<Long> unknown = new TreeSet<>();
        for (Long id : ids) {
            SharedRowIds.SourceVersion known = this.known.sourceVersions.get(id);
            if (known != null) {
                out.put(id, known);
            } else {
                unknown.add(id);
            }
        }
        Sql.selectIn(c, "select spv.id, sp.name, spv.version from source_package_version spv"
                + " join source_package sp on sp.id = spv.source_package_id where spv.id in (IN_LIST)", List.of(), unknown,
                rs -> out.put(rs.getLong(1), new SharedRowIds.SourceVersion(rs.getString(2), rs.getString(3))));
        for (Long id : unknown) {
            learned.sourceVersions.put(id, out.get(id));
        }
        return out;
    }

    /** @return source name → source version → id, for every source the new or re-linked versions need */
    private Map<String, Map<String, Long>> findOrCreateSourceVersions(long osId, Map<VersionKey, Version> versions)
            throws SQLException {
        Map<String, Set<String>> needed = new TreeMap<>();
        for (Version version : versions.values()) {
            if (version.id == null || version.relinked) {
                needed.computeIfAbsent(version.source, k -> new TreeSet<>()).add(version.sourceVersion);
            }
        }
        Map<String, Map<String, Long>> ids = new HashMap<>();
        if (needed.isEmpty()) {
            return ids;
        }
        Map<String, Long> sourceIds = findOrCreateNamed("source_package", needed.keySet(), Map.of());
        Map<Long, String> sourceNames = new HashMap<>();
        sourceIds.forEach((name, id) -> sourceNames.put(id, name));
        String select = "select source_package_id, version, id from source_package_version"
                + " where os_id = ? and source_package_id in (IN_LIST)";
        Sql.RowReader reader = rs -> ids.computeIfAbsent(sourceNames.get(rs.getLong(1)), k -> new HashMap<>())
                .put(rs.getString(2), rs.getLong(3));
        Sql.selectIn(c, select, List.of(osId), new TreeSet<>(sourceIds.values()), reader);
        List<Object[]> inserts = new ArrayList<>();
        Set<Long> insertedSources = new TreeSet<>();
        for (Map.Entry<String, Set<String>> entry : needed.entrySet()) {
            for (String version : entry.getValue()) {
                if (!ids.getOrDefault(entry.getKey(), Map.of()).containsKey(version)) {
                    long sourceId = sourceIds.get(entry.getKey());
                    inserts.add(new Object[] {sourceId, version, osId, DebianVersion.sortKey(version)});
                    insertedSources.add(sourceId);
                }
            }
        }
        if (!inserts.isEmpty()) {
            Sql.insertSharedRows(c, "source_package_version", "source_package_id, version, os_id, sort_key", 4, inserts);
            Sql.selectIn(c, select, List.of(osId), insertedSources, reader);
            for (Map.Entry<String, Set<String>> entry : needed.entrySet()) {
                if (!ids.getOrDefault(entry.getKey(), Map.of()).keySet().containsAll(entry.getValue())) {
                    throw Sql.missing("source_package_version rows");
                }
            }
        }
        return ids;
    }

    // --- the entity's rows --------------------------------------------------------------------

    /** @return the rows deleted, updated and inserted */
    private long writeRows(long entityId, Map<String, Row> current, Map<String, Row> target, boolean osChanged)
            throws SQLException {
        List<Long> deletes = new ArrayList<>();
        for (Map.Entry<String, Row> entry : current.entrySet()) {
            if (!target.containsKey(entry.getKey())) {
                deletes.add(entry.getValue().packageId);
            }
        }
        List<Object[]> inserts = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        for (Map.Entry<String, Row> entry : target.entrySet()) {
            Row want = entry.getValue();
            Row have = current.get(entry.getKey());
            if (have == null) {
                inserts.add(new Object[] {entityId, want.packageId, want.installedId, want.upgradeId, want.type});
            } else if (osChanged || have.installedId != want.installedId || !Objects.equals(have.upgradeId, want.upgradeId)
                    || !Objects.equals(have.type, want.type)) {
                updates.add(want);
            }
        }
        if (!deletes.isEmpty()) {
            Sql.updateIn(c, "delete from " + t.rows() + " where " + t.owner() + " = ? and package_id in (IN_LIST)",
                    List.of(entityId), deletes);
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update " + t.rows()
                    + " set installed_version_id = ?, upgrade_version_id = ?, upgrade_type = ? where "
                    + t.owner() + " = ? and package_id = ?")) {
                for (Row row : updates) {
                    ps.setLong(1, row.installedId);
                    ps.setObject(2, row.upgradeId);
                    ps.setString(3, row.type);
                    ps.setLong(4, entityId);
                    ps.setLong(5, row.packageId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!inserts.isEmpty()) {
            Sql.insertRows(c, t.rows(), t.owner() + ", package_id, installed_version_id, upgrade_version_id, upgrade_type",
                    5, inserts);
        }
        return deletes.size() + updates.size() + inserts.size();
    }

    // --- helpers ------------------------------------------------------------------------------

    private static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("The database returned no generated key");
            }
            return keys.getLong(1);
        }
    }
}
