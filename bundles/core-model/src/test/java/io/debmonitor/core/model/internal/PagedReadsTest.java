package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.Fleet.TEXT;
import static io.debmonitor.core.model.internal.Fleet.VERSION;
import static io.debmonitor.core.model.internal.Fleet.assertPages;
import static io.debmonitor.core.model.internal.Fleet.by;
import static io.debmonitor.core.model.internal.Fleet.matches;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.SourcePackageService;
import io.debmonitor.core.model.api.SourcePackageSummaryDTO;
import io.debmonitor.core.model.api.SourceVersionDTO;
import io.debmonitor.core.model.api.UpgradeFilter;

/**
 * Differential tests of every paged read of SPEC §5.2: each page, sort and filter the services
 * offer is compared with the same table computed in Java from a plain read of every row.
 */
@RunWith(Parameterized.class)
public class PagedReadsTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final List<String> QUERIES = Arrays.asList(null, "EXAMPLE.ORG", "debian 1", "_a%", "%", "1", "no such thing");

    private final String kind;
    private TestDatabase db;
    private PackageCounts counts;
    private EntityServiceImpl entities;
    private PackageServiceImpl packages;
    private SourcePackageServiceImpl sources;
    private KernelServiceImpl kernels;
    private KubernetesServiceImpl kubernetes;
    private Fleet.Tables fleet;

    public PagedReadsTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        Fleet.seed(new ReportServiceImpl(db.database), db.dataSource);
        counts = new PackageCounts(db.database, Duration.ofHours(1));
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        packages = new PackageServiceImpl(db.database, counts);
        sources = new SourcePackageServiceImpl(db.database, counts);
        kernels = new KernelServiceImpl(db.database);
        kubernetes = new KubernetesServiceImpl(db.database);
        fleet = Fleet.load(db.dataSource);
    }

    @After
    public void tearDown() throws Exception {
        counts.deactivate();
        db.close();
    }

    private static List<String> sorts(Set<String> keys) {
        List<String> out = new ArrayList<>();
        out.add(null);
        out.addAll(new TreeSet<>(keys));
        return out;
    }

    // --- hosts and images -------------------------------------------------------------------------

    @Test
    public void entityListsMatchThePlainComputation() {
        for (EntityKind k : EntityKind.values()) {
            String notApplicable = k == EntityKind.HOST ? "containers" : "kernel";
            for (String sort : sorts(EntityService.LIST_SORT_KEYS)) {
                if (notApplicable.equals(sort)) {
                    assertThrows(IllegalArgumentException.class, () -> entities.list(k, EntityFilter.ALL, new PageRequest(1, 10, sort, false)));
                    continue;
                }
                for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                    assertPages(k + " sorted by " + sort + (desc ? " desc" : ""), expectedEntities(k, EntityFilter.ALL, sort, desc),
                            (page, size) -> entities.list(k, EntityFilter.ALL, new PageRequest(page, size, sort, desc)));
                }
            }
            List<EntityFilter> filters = new ArrayList<>();
            for (String q : QUERIES) {
                filters.add(new EntityFilter(q, null, UpgradeFilter.ALL, null));
            }
            for (String os : List.of("Debian 12", "debian 12", "Nope")) {
                filters.add(new EntityFilter(null, os, UpgradeFilter.ALL, null));
            }
            for (UpgradeFilter upgrades : UpgradeFilter.values()) {
                filters.add(new EntityFilter(null, null, upgrades, null));
                filters.add(new EntityFilter("example", "Debian 12", upgrades, null));
            }
            if (k == EntityKind.IMAGE) {
                filters.add(new EntityFilter(null, null, UpgradeFilter.ALL, true));
                filters.add(new EntityFilter(null, null, UpgradeFilter.ALL, false));
                filters.add(new EntityFilter("registry", null, UpgradeFilter.UPGRADABLE, true));
            }
            for (EntityFilter filter : filters) {
                for (String sort : Arrays.asList(null, "name", k == EntityKind.HOST ? "kernel" : "containers")) {
                    Fleet.assertSomePages(k + " " + filter + " by " + sort, expectedEntities(k, filter, sort, true),
                            (page, size) -> entities.list(k, filter, new PageRequest(page, size, sort, true)));
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> entities.list(EntityKind.HOST, new EntityFilter(null, null, UpgradeFilter.ALL, true), PageRequest.first(10)));
        assertThrows(IllegalArgumentException.class,
                () -> entities.list(EntityKind.HOST, EntityFilter.ALL, new PageRequest(1, 10, "bogus", false)));
    }

    private List<EntityDTO> expectedEntities(EntityKind k, EntityFilter filter, String sort, boolean desc) {
        Comparator<EntityDTO> byName = Comparator.comparing(EntityDTO::name);
        Comparator<EntityDTO> order = sort == null
                ? Comparator.comparingLong(EntityDTO::security).reversed().thenComparing(Comparator.comparingLong(EntityDTO::upgrades).reversed())
                        .thenComparing(Comparator.comparingLong(EntityDTO::packages).reversed()).thenComparing(byName)
                : switch (sort) {
                    case "name" -> by(EntityDTO::name, TEXT, desc);
                    case "os" -> by(EntityDTO::os, TEXT, desc).thenComparing(byName);
                    case "kernel" -> by(EntityDTO::kernel, TEXT, desc).thenComparing(byName);
                    case "modified" -> by(EntityDTO::modified, Comparator.<java.time.Instant>naturalOrder(), desc).thenComparing(byName);
                    case "packages" -> by(EntityDTO::packages, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    case "upgrades" -> by(EntityDTO::upgrades, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    case "security" -> by(EntityDTO::security, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    case "cves" -> by(EntityDTO::cves, Comparator.<Long>naturalOrder(), desc)
                            .thenComparing(by(EntityDTO::cvesFixable, Comparator.<Long>naturalOrder(), desc)).thenComparing(byName);
                    default -> by(EntityDTO::containers, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                };
        return fleet.entities.stream().filter(e -> e.kind() == k)
                .filter(e -> filter.inUse() == null || filter.inUse() == fleet.kubernetes.stream().anyMatch(x -> x.imageId() == e.id()))
                .map(fleet::dto)
                .filter(e -> filter.q() == null || matches(e.name(), filter.q()) || matches(e.os(), filter.q()))
                .filter(e -> filter.os() == null || filter.os().equals(e.os()))
                .filter(e -> filter.upgrades() == UpgradeFilter.ALL || (filter.upgrades() == UpgradeFilter.UPGRADABLE ? e.upgrades() : e.security()) > 0)
                .sorted(order).toList();
    }

    @Test
    public void findGivesTheListedEntity() {
        for (Fleet.Entity e : fleet.entities) {
            assertEquals(fleet.dto(e), entities.find(e.kind(), e.name()).orElseThrow());
        }
        assertTrue(entities.find(EntityKind.IMAGE, "db02.example.org").isEmpty());
        assertTrue(entities.find(EntityKind.HOST, "WEB01.example.org").isEmpty());
    }

    @Test
    public void entityRowsMatchThePlainComputation() {
        List<RowFilter> filters = new ArrayList<>();
        for (UpgradeFilter upgrades : UpgradeFilter.values()) {
            filters.add(new RowFilter(null, upgrades));
        }
        for (String q : List.of("LIB", "_case%", "%", "nothing")) {
            filters.add(new RowFilter(q, UpgradeFilter.ALL));
        }
        filters.add(new RowFilter("l", UpgradeFilter.UPGRADABLE));
        for (Fleet.Entity e : fleet.entities) {
            for (String sort : sorts(EntityService.ROW_SORT_KEYS)) {
                for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                    assertPages(e.name() + " by " + sort + (desc ? " desc" : ""), expectedRows(e, RowFilter.ALL, sort, desc),
                            (page, size) -> entities.rows(e.kind(), e.name(), RowFilter.ALL, new PageRequest(page, size, sort, desc)));
                }
            }
            for (RowFilter filter : filters) {
                for (String sort : Arrays.asList(null, "version")) {
                    Fleet.assertPage(e.name() + " " + filter, expectedRows(e, filter, sort, false), 1, 1000,
                            (page, size) -> entities.rows(e.kind(), e.name(), filter, new PageRequest(page, size, sort, false)));
                }
            }
        }
        assertEquals(0, entities.rows(EntityKind.IMAGE, "db02.example.org", RowFilter.ALL, PageRequest.first(10)).total());
        assertThrows(IllegalArgumentException.class,
                () -> entities.rows(EntityKind.HOST, "web01.example.org", RowFilter.ALL, new PageRequest(1, 10, "os", false)));
    }

    private List<PackageRowDTO> expectedRows(Fleet.Entity e, RowFilter filter, String sort, boolean desc) {
        Comparator<PackageRowDTO> byName = Comparator.comparing(PackageRowDTO::name);
        Comparator<PackageRowDTO> order = sort == null
                ? Comparator.<PackageRowDTO>comparingInt(r -> r.upgrade() == null ? 2 : r.isSecurityUpgrade() ? 0 : 1).thenComparing(byName)
                : switch (sort) {
                    case "name" -> by(PackageRowDTO::name, TEXT, desc);
                    case "version" -> by(PackageRowDTO::version, VERSION, desc).thenComparing(byName);
                    case "upgrade" -> by(PackageRowDTO::upgrade, VERSION, desc).thenComparing(byName);
                    default -> by(PackageRowDTO::upgradeType, TEXT, desc).thenComparing(byName);
                };
        return fleet.rowsOf(e).stream()
                .map(r -> new PackageRowDTO(fleet.packages.get(r.packageId()), fleet.version(r.installedId()), fleet.version(r.upgradeId()),
                        r.type()))
                .filter(r -> matches(r.name(), filter.q()))
                .filter(r -> filter.upgrades() == UpgradeFilter.ALL
                        || (filter.upgrades() == UpgradeFilter.UPGRADABLE ? r.upgrade() != null : r.isSecurityUpgrade()))
                .sorted(order).toList();
    }

    // --- binary packages ----------------------------------------------------------------------------

    @Test
    public void packageIndexMatchesThePlainComputation() {
        for (String sort : sorts(PackageService.LIST_SORT_KEYS)) {
            for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                for (String os : Arrays.asList(null, "Debian 12", "Ubuntu 22.04")) {
                    assertPages("packages on " + os + " by " + sort + (desc ? " desc" : ""), expectedPackages(null, os, sort, desc),
                            (page, size) -> packages.list(null, os, new PageRequest(page, size, sort, desc)));
                }
            }
        }
        for (String q : QUERIES) {
            for (String os : Arrays.asList(null, "Debian 11", "Nope")) {
                Fleet.assertSomePages("packages " + q + " on " + os, expectedPackages(q, os, "installed", true),
                        (page, size) -> packages.list(q, os, new PageRequest(page, size, "installed", true)));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> packages.list(null, null, new PageRequest(1, 10, "os", false)));
    }

    private List<PackageSummaryDTO> expectedPackages(String q, String os, String sort, boolean desc) {
        List<PackageSummaryDTO> all = new ArrayList<>();
        for (Map.Entry<Long, String> p : fleet.packages.entrySet()) {
            List<Fleet.Version> versions = fleet.versions.values().stream().filter(v -> v.ownerId() == p.getKey()).toList();
            Predicate<Long> onOs = osId -> os == null || fleet.oses.get(osId).equals(os);
            List<Fleet.Row> rows = fleet.rows.stream()
                    .filter(r -> r.packageId() == p.getKey() && onOs.test(fleet.versions.get(r.installedId()).osId())).toList();
            long onThisOs = versions.stream().filter(v -> onOs.test(v.osId())).count();
            if (onThisOs == 0 || !matches(p.getValue(), q)) {
                continue;
            }
            all.add(new PackageSummaryDTO(p.getValue(), onThisOs,
                    versions.stream().map(v -> fleet.oses.get(v.osId())).distinct().sorted().toList(), rows.size(),
                    rows.stream().filter(Fleet.Row::upgradable).count(), rows.stream().filter(Fleet.Row::security).count()));
        }
        Comparator<PackageSummaryDTO> byName = Comparator.comparing(PackageSummaryDTO::name);
        Comparator<PackageSummaryDTO> order = sort == null
                ? Comparator.comparingLong(PackageSummaryDTO::security).reversed()
                        .thenComparing(Comparator.comparingLong(PackageSummaryDTO::upgrades).reversed())
                        .thenComparing(Comparator.comparingLong(PackageSummaryDTO::installed).reversed()).thenComparing(byName)
                : switch (sort) {
                    case "name" -> by(PackageSummaryDTO::name, TEXT, desc);
                    case "versions" -> by(PackageSummaryDTO::versions, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    case "installed" -> by(PackageSummaryDTO::installed, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    case "upgrades" -> by(PackageSummaryDTO::upgrades, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                    default -> by(PackageSummaryDTO::security, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
                };
        return all.stream().sorted(order).toList();
    }

    @Test
    public void packageHoldersMatchThePlainComputation() {
        List<HolderFilter> filters = new ArrayList<>();
        filters.add(HolderFilter.ALL);
        for (String os : List.of("Debian 12", "Nope")) {
            filters.add(new HolderFilter(null, os, null, null, UpgradeFilter.ALL));
        }
        for (EntityKind k : EntityKind.values()) {
            filters.add(new HolderFilter(null, null, null, k, UpgradeFilter.ALL));
            filters.add(new HolderFilter(null, "Debian 11", null, k, UpgradeFilter.ALL));
        }
        for (String version : List.of("1.10", "1.0~rc1", "1:1.2.11.dfsg-2", "3.0.11-1")) {
            filters.add(new HolderFilter(null, null, version, null, UpgradeFilter.ALL));
        }
        for (UpgradeFilter upgrades : List.of(UpgradeFilter.UPGRADABLE, UpgradeFilter.SECURITY)) {
            filters.add(new HolderFilter(null, null, null, null, upgrades));
        }
        for (String q : List.of("WEB01", "_a%", "registry", "nothing")) {
            filters.add(new HolderFilter(q, null, null, null, UpgradeFilter.ALL));
        }
        filters.add(new HolderFilter("example", "Debian 12", null, EntityKind.HOST, UpgradeFilter.UPGRADABLE));
        List<String> names = new ArrayList<>(new TreeSet<>(fleet.packages.values()));
        names.add("no-such-package");
        for (String name : names) {
            for (String sort : sorts(PackageService.HOLDER_SORT_KEYS)) {
                for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                    assertPages(name + " holders by " + sort + (desc ? " desc" : ""), expectedHolders(name, HolderFilter.ALL, sort, desc),
                            (page, size) -> packages.holders(name, HolderFilter.ALL, new PageRequest(page, size, sort, desc)));
                }
            }
            for (HolderFilter filter : filters) {
                for (String sort : Arrays.asList(null, "upgrade")) {
                    Fleet.assertSomePages(name + " holders " + filter + " by " + sort, expectedHolders(name, filter, sort, false),
                            (page, size) -> packages.holders(name, filter, new PageRequest(page, size, sort, false)));
                }
            }
            assertEquals(name, expectedSources(name), packages.sources(name));
        }
        assertThrows(IllegalArgumentException.class,
                () -> packages.holders("libc6", HolderFilter.ALL, new PageRequest(1, 10, "kind", false)));
    }

    private List<PackageHolderDTO> expectedHolders(String name, HolderFilter filter, String sort, boolean desc) {
        Comparator<PackageHolderDTO> byName = Comparator.comparing(PackageHolderDTO::name).thenComparing(PackageHolderDTO::kind);
        Comparator<PackageHolderDTO> order = sort == null
                ? Comparator.comparing(PackageHolderDTO::os).thenComparing(PackageHolderDTO::version, VERSION).thenComparing(byName)
                : switch (sort) {
                    case "os" -> by(PackageHolderDTO::os, TEXT, desc).thenComparing(byName);
                    case "version" -> by(PackageHolderDTO::version, VERSION, desc).thenComparing(byName);
                    case "name" -> by(PackageHolderDTO::name, TEXT, desc).thenComparing(PackageHolderDTO::kind);
                    case "upgrade" -> by(PackageHolderDTO::upgrade, VERSION, desc).thenComparing(byName);
                    default -> by(PackageHolderDTO::upgradeType, TEXT, desc).thenComparing(byName);
                };
        return fleet.rows.stream().filter(r -> name.equals(fleet.packages.get(r.packageId())))
                .filter(r -> filter.upgrades() == UpgradeFilter.ALL || (filter.upgrades() == UpgradeFilter.UPGRADABLE ? r.upgradable() : r.security()))
                .map(r -> {
                    Fleet.Version installed = fleet.versions.get(r.installedId());
                    return new PackageHolderDTO(fleet.oses.get(installed.osId()), installed.version(), r.kind(), fleet.entity(r).name(),
                            fleet.version(r.upgradeId()), r.type());
                })
                .filter(h -> matches(h.name(), filter.q()))
                .filter(h -> filter.os() == null || filter.os().equals(h.os()))
                .filter(h -> filter.version() == null || filter.version().equals(h.version()))
                .filter(h -> filter.kind() == null || filter.kind() == h.kind())
                .sorted(order).toList();
    }

    private List<String> expectedSources(String name) {
        return fleet.versions.values().stream().filter(v -> name.equals(fleet.packages.get(v.ownerId())))
                .map(v -> fleet.sources.get(fleet.sourceVersions.get(v.sourceVersionId()).ownerId())).distinct().sorted().toList();
    }

    @Test
    public void packageVersionCountsCoverEveryRow() {
        for (String name : fleet.packages.values()) {
            long installed = packages.versions(name).stream().mapToLong(v -> v.installed()).sum();
            assertEquals(name, expectedHolders(name, HolderFilter.ALL, null, false).size(), installed);
            List<String> order = packages.versions(name).stream().map(v -> v.os() + " " + v.version()).toList();
            List<String> sorted = packages.versions(name).stream()
                    .sorted(Comparator.comparing((io.debmonitor.core.model.api.PackageVersionCountDTO v) -> v.os())
                            .thenComparing(v -> v.version(), VERSION))
                    .map(v -> v.os() + " " + v.version()).toList();
            assertEquals(sorted, order);
        }
    }

    // --- source packages ----------------------------------------------------------------------------

    @Test
    public void sourcePackagesMatchThePlainComputation() {
        for (String sort : sorts(SourcePackageService.LIST_SORT_KEYS)) {
            for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                for (String q : QUERIES) {
                    for (String os : Arrays.asList(null, "Debian 12", "Nope")) {
                        assertPages("sources " + q + " on " + os + " by " + sort + (desc ? " desc" : ""),
                                expectedSourcePackages(q, os, sort, desc),
                                (page, size) -> sources.list(q, os, new PageRequest(page, size, sort, desc)));
                    }
                }
            }
        }
        List<String> names = new ArrayList<>(new TreeSet<>(fleet.sources.values()));
        names.add("no-such-source");
        for (String name : names) {
            for (String sort : sorts(SourcePackageService.VERSION_SORT_KEYS)) {
                for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                    for (String os : Arrays.asList(null, "Debian 11", "Nope")) {
                        assertPages(name + " versions on " + os + " by " + sort + (desc ? " desc" : ""),
                                expectedSourceVersions(name, os, sort, desc),
                                (page, size) -> sources.versions(name, os, new PageRequest(page, size, sort, desc)));
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> sources.list(null, null, new PageRequest(1, 10, "os", false)));
        assertThrows(IllegalArgumentException.class, () -> sources.versions("glibc", null, new PageRequest(1, 10, "name", false)));
    }

    private List<SourcePackageSummaryDTO> expectedSourcePackages(String q, String os, String sort, boolean desc) {
        List<SourcePackageSummaryDTO> all = new ArrayList<>();
        for (Map.Entry<Long, String> sp : fleet.sources.entrySet()) {
            List<Fleet.Version> versions = fleet.sourceVersions.values().stream().filter(v -> v.ownerId() == sp.getKey()).toList();
            long onOs = versions.stream().filter(v -> os == null || fleet.oses.get(v.osId()).equals(os)).count();
            if (onOs > 0 && matches(sp.getValue(), q)) {
                all.add(new SourcePackageSummaryDTO(sp.getValue(), onOs,
                        versions.stream().map(v -> fleet.oses.get(v.osId())).distinct().sorted().toList()));
            }
        }
        Comparator<SourcePackageSummaryDTO> byName = Comparator.comparing(SourcePackageSummaryDTO::name);
        Comparator<SourcePackageSummaryDTO> order = sort == null ? byName
                : sort.equals("name") ? by(SourcePackageSummaryDTO::name, TEXT, desc)
                : by(SourcePackageSummaryDTO::versions, Comparator.<Long>naturalOrder(), desc).thenComparing(byName);
        return all.stream().sorted(order).toList();
    }

    private List<SourceVersionDTO> expectedSourceVersions(String name, String os, String sort, boolean desc) {
        Comparator<SourceVersionDTO> byOs = Comparator.comparing(SourceVersionDTO::os);
        Comparator<SourceVersionDTO> byVersion = Comparator.comparing(SourceVersionDTO::version, VERSION);
        Comparator<SourceVersionDTO> order = sort == null ? byOs.thenComparing(byVersion)
                : sort.equals("os") ? by(SourceVersionDTO::os, TEXT, desc).thenComparing(byVersion)
                : by(SourceVersionDTO::version, VERSION, desc).thenComparing(byOs);
        return fleet.sourceVersions.values().stream()
                .filter(v -> name.equals(fleet.sources.get(v.ownerId())))
                .filter(v -> os == null || os.equals(fleet.oses.get(v.osId())))
                .map(v -> new SourceVersionDTO(fleet.oses.get(v.osId()), v.version(), fleet.versions.values().stream()
                        .filter(pv -> Objects.equals(pv.sourceVersionId(), v.id())).map(pv -> fleet.packages.get(pv.ownerId()))
                        .distinct().sorted().toList()))
                .sorted(order).toList();
    }

    // --- kernels --------------------------------------------------------------------------------

    @Test
    public void kernelsMatchThePlainComputation() {
        assertTrue("the fleet has kernels with equal names on several OSes",
                fleet.kernels.values().stream().map(Fleet.Kernel::name).distinct().count() < fleet.kernels.size());
        for (String sort : sorts(KernelService.LIST_SORT_KEYS)) {
            for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                for (String q : List.of("", "SMP DEBIAN", "_dyn", "nothing")) {
                    for (String os : Arrays.asList(null, "Debian 12", "Nope")) {
                        String query = q.isEmpty() ? null : q;
                        assertPages("kernels " + q + " on " + os + " by " + sort + (desc ? " desc" : ""), expectedKernels(query, os, sort, desc),
                                (page, size) -> kernels.list(query, os, new PageRequest(page, size, sort, desc)));
                    }
                }
            }
        }
        for (KernelDTO kernel : expectedKernels(null, null, null, false)) {
            assertEquals(Optional.of(kernel), kernels.find(kernel.key()));
            for (String sort : sorts(KernelService.HOST_SORT_KEYS)) {
                for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                    for (String q : Arrays.asList(null, "WEB", "_a%")) {
                        assertPages("hosts of " + kernel.key() + " " + q + " by " + sort + (desc ? " desc" : ""),
                                expectedKernelHosts(kernel, q, sort, desc),
                                (page, size) -> kernels.hosts(kernel.key(), q, new PageRequest(page, size, sort, desc)));
                    }
                }
            }
        }
        KernelDTO any = expectedKernels(null, null, null, false).get(0);
        for (String bad : Arrays.asList(null, "", "_", "x_" + any.slug(), any.osId() + "_", "_" + any.slug(), any.key() + "x",
                "-1_" + any.slug(), " " + any.key(), "99999999999999999999_" + any.slug(), "999_" + any.slug(), any.slug())) {
            assertEquals(bad, Optional.empty(), kernels.find(bad));
            assertEquals(bad, 0, kernels.hosts(bad, null, PageRequest.first(10)).total());
        }
        assertThrows(IllegalArgumentException.class, () -> kernels.list(null, null, new PageRequest(1, 10, "slug", false)));
        assertThrows(IllegalArgumentException.class, () -> kernels.hosts(any.key(), null, new PageRequest(1, 10, "os", false)));
    }

    private List<KernelDTO> expectedKernels(String q, String os, String sort, boolean desc) {
        Comparator<KernelDTO> tie = Comparator.comparing(KernelDTO::os).thenComparing(KernelDTO::name);
        Comparator<KernelDTO> order = sort == null ? tie : switch (sort) {
            case "os" -> by(KernelDTO::os, TEXT, desc).thenComparing(KernelDTO::name);
            case "name" -> by(KernelDTO::name, TEXT, desc).thenComparing(KernelDTO::os);
            default -> by(KernelDTO::hosts, Comparator.<Long>naturalOrder(), desc).thenComparing(tie);
        };
        return fleet.kernels.values().stream()
                .map(k -> new KernelDTO(k.osId(), k.slug(), fleet.oses.get(k.osId()), k.name(),
                        fleet.entities.stream().filter(e -> Objects.equals(e.kernelId(), k.id())).count()))
                .filter(k -> matches(k.name(), q) && (os == null || os.equals(k.os())))
                .sorted(order).toList();
    }

    private List<EntityDTO> expectedKernelHosts(KernelDTO kernel, String q, String sort, boolean desc) {
        Comparator<EntityDTO> byName = Comparator.comparing(EntityDTO::name);
        Comparator<EntityDTO> order = sort == null ? byName : switch (sort) {
            case "name" -> by(EntityDTO::name, TEXT, desc);
            case "release" -> by(EntityDTO::kernelRelease, TEXT, desc).thenComparing(byName);
            default -> by(EntityDTO::modified, Comparator.<java.time.Instant>naturalOrder(), desc).thenComparing(byName);
        };
        return fleet.entities.stream()
                .filter(e -> e.kernelId() != null && fleet.kernels.get(e.kernelId()).osId() == kernel.osId()
                        && fleet.kernels.get(e.kernelId()).slug().equals(kernel.slug()))
                .map(fleet::dto).filter(e -> matches(e.name(), q)).sorted(order).toList();
    }

    // --- kubernetes -----------------------------------------------------------------------------

    @Test
    public void kubernetesRowsMatchThePlainComputation() {
        for (String sort : sorts(KubernetesService.LIST_SORT_KEYS)) {
            for (boolean desc : sort == null ? List.of(false) : List.of(false, true)) {
                assertPages("kubernetes by " + sort + (desc ? " desc" : ""), expectedKubernetes(null, null, null, sort, desc),
                        (page, size) -> kubernetes.list(null, null, null, new PageRequest(page, size, sort, desc)));
            }
        }
        for (String cluster : Arrays.asList(null, "prod", "PROD")) {
            for (String namespace : Arrays.asList(null, "web", "tools")) {
                for (String q : Arrays.asList(null, "REGISTRY.example.org/app", ":", "nothing")) {
                    Fleet.assertSomePages("kubernetes " + cluster + "/" + namespace + " " + q, expectedKubernetes(cluster, namespace, q, "containers", true),
                            (page, size) -> kubernetes.list(cluster, namespace, q, new PageRequest(page, size, "containers", true)));
                }
            }
        }
        for (String image : List.of("registry.example.org/app:1", "web01.example.org", "docker.io/library/debian:12", "unknown")) {
            assertEquals(image, expectedKubernetes(null, null, null, null, false).stream().filter(k -> k.image().equals(image)).toList(),
                    kubernetes.ofImage(image));
        }
        assertThrows(IllegalArgumentException.class, () -> kubernetes.list(null, null, null, new PageRequest(1, 10, "name", false)));
    }

    private List<KubernetesRowDTO> expectedKubernetes(String cluster, String namespace, String q, String sort, boolean desc) {
        Comparator<KubernetesRowDTO> tie = Comparator.comparing(KubernetesRowDTO::cluster).thenComparing(KubernetesRowDTO::namespace)
                .thenComparing(KubernetesRowDTO::image);
        Comparator<KubernetesRowDTO> order = sort == null ? tie : switch (sort) {
            case "cluster" -> by(KubernetesRowDTO::cluster, TEXT, desc).thenComparing(tie);
            case "namespace" -> by(KubernetesRowDTO::namespace, TEXT, desc).thenComparing(tie);
            case "image" -> by(KubernetesRowDTO::image, TEXT, desc).thenComparing(tie);
            case "os" -> by(KubernetesRowDTO::os, TEXT, desc).thenComparing(tie);
            case "containers" -> by(KubernetesRowDTO::containers, Comparator.<Long>naturalOrder(), desc).thenComparing(tie);
            default -> by(KubernetesRowDTO::modified, Comparator.<java.time.Instant>naturalOrder(), desc).thenComparing(tie);
        };
        Map<Long, Fleet.Entity> images = new TreeMap<>();
        fleet.entities.stream().filter(e -> e.kind() == EntityKind.IMAGE).forEach(e -> images.put(e.id(), e));
        return fleet.kubernetes.stream()
                .map(k -> new KubernetesRowDTO(k.cluster(), k.namespace(), images.get(k.imageId()).name(),
                        fleet.oses.get(images.get(k.imageId()).osId()), k.containers(), k.modified()))
                .filter(k -> (cluster == null || cluster.equals(k.cluster())) && (namespace == null || namespace.equals(k.namespace()))
                        && matches(k.image(), q))
                .sorted(order).collect(Collectors.toList());
    }
}
