package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet-wide package figures that would need an aggregate over every host and image row:
 * per binary package and OS, its versions and its installed, upgradable and security rows; the
 * distinct upgrade targets; the package and source package totals. On a large fleet (20 M rows)
 * that aggregate takes seconds, so it is computed set-based into a {@link Snapshot} kept in memory:
 * one scan of the package versions, then one grouped scan of each row table's covering index
 * {@code ix_*_package_package}, with no join.
 *
 * <p>{@link #get()} returns the current snapshot at once. When the snapshot is older than
 * {@code maxAgeSeconds}, that call also starts one recomputation in the background, so the figures
 * lag the database by at most the maximum age plus one computation, and a fleet nobody looks at
 * is never scanned. Only the first call (after activation) waits for a computation.
 */
@Component(service = PackageCounts.class, configurationPid = "io.debmonitor.counts")
@Designate(ocd = PackageCountsConfiguration.class)
public class PackageCounts {

    private static final int VERSIONS = 0;
    private static final int INSTALLED = 1;
    private static final int UPGRADES = 2;
    private static final int SECURITY = 3;
    private static final int FIGURES = 4;

    private final Logger logger = LoggerFactory.getLogger(PackageCounts.class);
    private final Database database;
    private final long maxAgeNanos;
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "debmonitor-package-counts");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object firstComputation = new Object();
    private volatile Snapshot current;

    @Activate
    public PackageCounts(@Reference Database database, PackageCountsConfiguration config) {
        this(database, maxAge(config.maxAgeSeconds()));
    }

    /** @param maxAge how old a snapshot may get before a call starts recomputing it */
    public PackageCounts(Database database, Duration maxAge) {
        this.database = database;
        this.maxAgeNanos = maxAge.toNanos();
    }

    private static Duration maxAge(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("Invalid io.debmonitor.counts configuration: maxAgeSeconds must not be negative.");
        }
        return Duration.ofSeconds(seconds);
    }

    @Deactivate
    public void deactivate() {
        refresher.shutdownNow();
    }

    /** @return the current snapshot; computed now on the first call, and refreshed in the background when old */
    Snapshot get() {
        Snapshot snapshot = current;
        if (snapshot == null) {
            synchronized (firstComputation) {
                if (current == null) {
                    current = compute();
                }
                return current;
            }
        }
        if (System.nanoTime() - snapshot.computedAt > maxAgeNanos && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(this::refresh);
            } catch (RejectedExecutionException e) {
                refreshing.set(false);
            }
        }
        return snapshot;
    }

    /** Replaces the snapshot with a new one computed now, and returns it. */
    Snapshot recompute() {
        Snapshot snapshot = compute();
        current = snapshot;
        return snapshot;
    }

    private void refresh() {
        try {
            current = compute();
        } catch (RuntimeException e) {
            logger.warn("Package counts could not be recomputed; pages keep the previous ones: {}", e.toString());
        } finally {
            refreshing.set(false);
        }
    }

    private Snapshot compute() {
        long started = System.nanoTime();
        Snapshot snapshot = database.query(PackageCounts::compute);
        logger.debug("Package counts of {} packages computed in {} ms", snapshot.packages.size(),
                (System.nanoTime() - started) / 1_000_000);
        return snapshot;
    }

    private static Snapshot compute(Connection c) throws SQLException {
        Map<Long, Integer> osIndex = new HashMap<>();
        List<String> osNames = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name from os order by name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                osIndex.put(rs.getLong(1), osNames.size());
                osNames.add(rs.getString(2));
            }
        }
        int oses = osNames.size();
        Map<Long, Counted> packages = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name from package"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                packages.put(rs.getLong(1), new Counted(rs.getString(2), new int[oses * FIGURES]));
            }
        }
        // Each version's package and OS, by version id, so the rows' installed versions are
        // resolved in memory rather than by a join over millions of rows.
        long[] versionIds = new long[1024];
        Counted[] versionPackage = new Counted[versionIds.length];
        int[] versionOs = new int[versionIds.length];
        int versions = 0;
        try (PreparedStatement ps = c.prepareStatement("select id, package_id, os_id from package_version order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (versions == versionIds.length) {
                    versionIds = Arrays.copyOf(versionIds, versions * 2);
                    versionPackage = Arrays.copyOf(versionPackage, versions * 2);
                    versionOs = Arrays.copyOf(versionOs, versions * 2);
                }
                Counted pkg = packages.get(rs.getLong(2));
                Integer os = osIndex.get(rs.getLong(3));
                versionIds[versions] = rs.getLong(1);
                versionPackage[versions] = os == null ? null : pkg;
                versionOs[versions] = os == null ? 0 : os;
                if (pkg != null && os != null) {
                    pkg.figures[os * FIGURES + VERSIONS]++;
                }
                versions++;
            }
        }
        Set<Long> targets = new HashSet<>();
        Set<Long> securityTargets = new HashSet<>();
        for (EntityTables t : List.of(EntityTables.HOST, EntityTables.IMAGE)) {
            // Grouped by every column of the covering index, in its order: one pass over the
            // index, no table access, no sort.
            try (PreparedStatement ps = c.prepareStatement("select installed_version_id, upgrade_version_id,"
                    + " case when upgrade_type = 'security' then 1 else 0 end, count(*) from " + t.rows()
                    + " group by package_id, installed_version_id, upgrade_version_id, upgrade_type");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int v = Arrays.binarySearch(versionIds, 0, versions, rs.getLong(1));
                    if (v < 0 || versionPackage[v] == null) {
                        continue; // a version created after it was read: the next snapshot counts it
                    }
                    long upgrade = rs.getLong(2);
                    boolean upgradable = !rs.wasNull();
                    boolean security = upgradable && rs.getInt(3) == 1;
                    int rows = rs.getInt(4);
                    int[] figures = versionPackage[v].figures;
                    int at = versionOs[v] * FIGURES;
                    figures[at + INSTALLED] += rows;
                    if (upgradable) {
                        figures[at + UPGRADES] += rows;
                        targets.add(upgrade);
                    }
                    if (security) {
                        figures[at + SECURITY] += rows;
                        securityTargets.add(upgrade);
                    }
                }
            }
        }
        long sourcePackages = count(c, "select count(*) from source_package");
        long sourceVersions = count(c, "select count(*) from source_package_version");
        List<Counted> listed = packages.values().stream().filter(p -> p.total(VERSIONS) > 0)
                .sorted(Comparator.comparing(Counted::name)).toList();
        return new Snapshot(System.nanoTime(), osNames, listed, packages.size(), versions, targets.size(),
                securityTargets.size(), sourcePackages, sourceVersions);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return Rows.count(ps);
        }
    }

    /** One binary package's figures, per OS of the snapshot. */
    static final class Counted {
        private final String name;
        private final String lowerName;
        private final int[] figures;

        Counted(String name, int[] figures) {
            this.name = name;
            String lower = name.toLowerCase(Locale.ROOT);
            this.lowerName = lower.equals(name) ? name : lower;
            this.figures = figures;
        }

        String name() {
            return name;
        }

        /** @return true when the name contains {@code lowerText}, ignoring case */
        boolean nameContains(String lowerText) {
            return lowerName.contains(lowerText);
        }

        /** @return the OS indexes of the snapshot this package has versions on */
        List<Integer> oses() {
            List<Integer> out = new ArrayList<>();
            for (int os = 0; os < figures.length / FIGURES; os++) {
                if (figures[os * FIGURES + VERSIONS] > 0) {
                    out.add(os);
                }
            }
            return out;
        }

        long versions(int os) {
            return figure(os, VERSIONS);
        }

        long installed(int os) {
            return figure(os, INSTALLED);
        }

        long upgrades(int os) {
            return figure(os, UPGRADES);
        }

        long security(int os) {
            return figure(os, SECURITY);
        }

        /** @param os an OS index, or {@link Snapshot#ALL_OSES} for the sum over all */
        private long figure(int os, int figure) {
            return os == Snapshot.ALL_OSES ? total(figure) : figures[os * FIGURES + figure];
        }

        private long total(int figure) {
            long sum = 0;
            for (int i = figure; i < figures.length; i += FIGURES) {
                sum += figures[i];
            }
            return sum;
        }
    }

    /** The figures computed at one time; never changed afterwards. */
    static final class Snapshot {

        /** The OS index that stands for all OSes. */
        static final int ALL_OSES = -1;

        private final long computedAt;
        private final List<String> osNames;
        private final List<Counted> packages;
        final long packageTotal;
        final long versionTotal;
        final long upgradeTargets;
        final long securityTargets;
        final long sourcePackages;
        final long sourcePackageVersions;
        private final Map<Object, Object> derived = new ConcurrentHashMap<>();

        Snapshot(long computedAt, List<String> osNames, List<Counted> packages, long packageTotal, long versionTotal,
                long upgradeTargets, long securityTargets, long sourcePackages, long sourcePackageVersions) {
            this.computedAt = computedAt;
            this.osNames = List.copyOf(osNames);
            this.packages = packages;
            this.packageTotal = packageTotal;
            this.versionTotal = versionTotal;
            this.upgradeTargets = upgradeTargets;
            this.securityTargets = securityTargets;
            this.sourcePackages = sourcePackages;
            this.sourcePackageVersions = sourcePackageVersions;
        }

        /** @return the packages that have at least one version, by name */
        List<Counted> packages() {
            return packages;
        }

        /** @return the OS index of {@code name}, or -2 when the snapshot does not know it */
        int os(String name) {
            int at = osNames.indexOf(name);
            return at < 0 ? -2 : at;
        }

        String osName(int os) {
            return osNames.get(os);
        }

        private long packagesWith(int figure) {
            return packages.stream().filter(p -> p.total(figure) > 0).count();
        }

        long packagesWithUpgrades() {
            return packagesWith(UPGRADES);
        }

        long packagesWithSecurity() {
            return packagesWith(SECURITY);
        }

        /**
         * A value derived from this snapshot (such as a sort order), computed once per key; keys
         * must come from a small fixed set, as the values live as long as the snapshot.
         */
        @SuppressWarnings("unchecked")
        <T> T derived(Object key, Supplier<T> value) {
            return (T) derived.computeIfAbsent(key, k -> value.get());
        }
    }
}
