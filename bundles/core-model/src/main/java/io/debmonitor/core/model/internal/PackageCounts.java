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
import java.util.function.IntFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/**
 * The fleet-wide package figures that would need an aggregate over every host and image row or
 * every version: per binary package and OS, its versions and its installed, upgradable and
 * security rows; per source package and OS, its versions; the distinct upgrade targets and the
 * totals. On a large fleet (20 M rows) that takes seconds, so it is computed set-based into a
 * {@link Snapshot} kept in memory: one scan of the package versions, one grouped scan of each row
 * table's covering index {@code ix_*_package_package} with no join, and one grouped scan of the
 * source package versions' unique index. The packages and source packages indexes are then
 * filtered, sorted and paged in memory.
 *
 * <p>{@link #get()} returns the current snapshot at once. When the snapshot is older than
 * {@code maxAgeSeconds}, that call also starts one recomputation in the background, so the figures
 * lag the database by at most the maximum age plus one computation, and a fleet nobody looks at
 * is never scanned. Only the first call (after activation) waits for a computation.
 *
 * <p>It is registered under its own class (the package is not exported) so that the packages,
 * source packages and dashboard services share one snapshot.
 */
@Component(service = PackageCounts.class, configurationPid = "io.debmonitor.counts")
@Designate(ocd = PackageCountsConfiguration.class)
public class PackageCounts {

    private static final int VERSIONS = 0;
    private static final int INSTALLED = 1;
    private static final int UPGRADES = 2;
    private static final int SECURITY = 3;
    private static final int FIGURES = 4;

    private final Database database;
    private final BackgroundValue<Snapshot> snapshot;

    @Activate
    public PackageCounts(@Reference Database database, PackageCountsConfiguration config) {
        this(database, maxAge(config.maxAgeSeconds()));
    }

    /** @param maxAge how old a snapshot may get before a call starts recomputing it */
    public PackageCounts(Database database, Duration maxAge) {
        this.database = database;
        this.snapshot = new BackgroundValue<>("package counts", maxAge, this::compute);
    }

    private static Duration maxAge(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("Invalid io.debmonitor.counts configuration: maxAgeSeconds must not be negative.");
        }
        return Duration.ofSeconds(seconds);
    }

    @Deactivate
    public void deactivate() {
        snapshot.close();
    }

    /** @return the current snapshot; computed now on the first call, and refreshed in the background when old */
    Snapshot get() {
        return snapshot.get();
    }

    private Snapshot compute() {
        return database.query(PackageCounts::compute);
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
        for (KindDescriptor t : List.of(KindDescriptor.HOST, KindDescriptor.IMAGE)) {
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
        Map<Long, Counted> sources = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name from source_package"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sources.put(rs.getLong(1), new Counted(rs.getString(2), new int[oses * FIGURES]));
            }
        }
        long sourceVersions = 0;
        try (PreparedStatement ps = c.prepareStatement("select source_package_id, os_id, count(*) from source_package_version"
                + " group by source_package_id, os_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Counted source = sources.get(rs.getLong(1));
                Integer os = osIndex.get(rs.getLong(2));
                if (source != null && os != null) {
                    source.figures[os * FIGURES + VERSIONS] += rs.getInt(3);
                    sourceVersions += rs.getInt(3);
                }
            }
        }
        return new Snapshot(osNames, listed(packages), listed(sources), packages.size(), versions,
                targets.size(), securityTargets.size(), sources.size(), sourceVersions);
    }

    /** @return those with at least one version, by name */
    private static List<Counted> listed(Map<Long, Counted> all) {
        return all.values().stream().filter(p -> p.total(VERSIONS) > 0).sorted(Comparator.comparing(Counted::name)).toList();
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

        /** @return the OS indexes of the snapshot this package has versions on */
        private List<Integer> oses() {
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

    /** The two indexes a snapshot serves. */
    enum Listing {
        PACKAGES, SOURCES
    }

    /** Makes a page item of a package or source package, with its figures on an OS index (or {@link Snapshot#ALL_OSES}). */
    @FunctionalInterface
    interface ItemMaker<T> {
        T make(Counted counted, List<String> oses, int os);
    }

    /** The figures computed at one time; never changed afterwards. */
    static final class Snapshot {

        /** The OS index that stands for all OSes. */
        static final int ALL_OSES = -1;

        private final List<String> osNames;
        private final List<Counted> packages;
        private final List<Counted> sources;
        final long packageTotal;
        final long versionTotal;
        final long upgradeTargets;
        final long securityTargets;
        final long sourcePackages;
        final long sourcePackageVersions;
        private final Map<List<Object>, List<Counted>> orders = new ConcurrentHashMap<>();

        Snapshot(List<String> osNames, List<Counted> packages, List<Counted> sources, long packageTotal,
                long versionTotal, long upgradeTargets, long securityTargets, long sourcePackages, long sourcePackageVersions) {
            this.osNames = List.copyOf(osNames);
            this.packages = packages;
            this.sources = sources;
            this.packageTotal = packageTotal;
            this.versionTotal = versionTotal;
            this.upgradeTargets = upgradeTargets;
            this.securityTargets = securityTargets;
            this.sourcePackages = sourcePackages;
            this.sourcePackageVersions = sourcePackageVersions;
        }

        long packagesWithUpgrades() {
            return packages.stream().filter(p -> p.total(UPGRADES) > 0).count();
        }

        long packagesWithSecurity() {
            return packages.stream().filter(p -> p.total(SECURITY) > 0).count();
        }

        /**
         * One page of the packages or source packages that have a version on {@code os} (any OS
         * when null) and whose name contains {@code q} (ignoring case; all when null). Each sort
         * order, per OS, is computed once per snapshot; a page then costs one pass over it.
         *
         * @param order the request's order, given the OS index; it must depend on the request's
         *              sort key and direction only
         */
        <T> PageDTO<T> page(Listing listing, String q, String os, PageRequest request,
                IntFunction<Comparator<Counted>> order, ItemMaker<T> item) {
            int osIndex = os == null ? ALL_OSES : osNames.indexOf(os);
            if (os != null && osIndex < 0) {
                return new PageDTO<>(request.page(), request.size(), 0, List.of());
            }
            boolean descending = request.sort() != null && request.descending();
            List<Counted> ordered = orders.computeIfAbsent(Arrays.<Object>asList(listing, osIndex, request.sort(), descending),
                    key -> (listing == Listing.PACKAGES ? packages : sources).stream().filter(p -> p.versions(osIndex) > 0)
                            .sorted(order.apply(osIndex)).toList());
            String text = q == null ? null : q.toLowerCase(Locale.ROOT);
            long total = 0;
            List<T> items = new ArrayList<>();
            for (Counted counted : ordered) {
                if (text == null || counted.lowerName.contains(text)) {
                    if (total >= request.offset() && items.size() < request.size()) {
                        items.add(item.make(counted, counted.oses().stream().map(osNames::get).toList(), osIndex));
                    }
                    total++;
                }
            }
            return new PageDTO<>(request.page(), request.size(), total, items);
        }
    }
}
