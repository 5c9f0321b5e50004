package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.ReportServiceTest.report;
import static org.junit.Assert.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradeFilter;

/** The paged read queries behind the pages of SPEC §5, on both databases. */
@RunWith(Parameterized.class)
public class ReadServicesTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;
    private ReportServiceImpl reports;
    private EntityServiceImpl entities;
    private PackageCounts counts;
    private PackageServiceImpl packages;
    private SearchServiceImpl search;

    public ReadServicesTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        reports = new ReportServiceImpl(db.database);
        entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        counts = new PackageCounts(db.database, Duration.ofHours(1));
        packages = new PackageServiceImpl(db.database, counts);
        search = new SearchServiceImpl(db.database);
        reports.apply(EntityKind.HOST, "alpha.example.org", report(UpdateType.FULL, "Debian 12",
                List.of("libc6=1.9", "openssl=3.0.11", "zlib=1"), List.of(), List.of("openssl 3.0.11>3.0.13 security")));
        reports.apply(EntityKind.HOST, "beta.example.org", report(UpdateType.FULL, "Debian 12",
                List.of("libc6=1.10", "openssl=3.0.11", "curl=7"), List.of(), List.of("curl 7>8", "libc6 1.10>1.11")));
        reports.apply(EntityKind.HOST, "gamma.example.org", report(UpdateType.FULL, "Debian 11",
                List.of("libc6=1.9", "Mixed_Case%=1"), List.of(), List.of()));
        reports.apply(EntityKind.IMAGE, "registry.example.org/app:1", report(UpdateType.FULL, "Debian 12",
                List.of("libc6=1.9"), List.of(), List.of()));
    }

    @After
    public void tearDown() throws Exception {
        counts.deactivate();
        db.close();
    }

    private static EntityFilter filter(String os, UpgradeFilter upgrades) {
        return new EntityFilter(null, os, upgrades, null);
    }

    private static List<String> names(PageDTO<EntityDTO> page) {
        return page.items().stream().map(EntityDTO::name).collect(Collectors.toList());
    }

    @Test
    public void packageNamesForCompletionAreCurrentCaseSensitivePrefixesWithWildcardsTakenLiterally() {
        assertEquals(List.of("Mixed_Case%", "curl", "libc6", "openssl", "zlib"), packages.namesStartingWith("", 10));
        assertEquals(List.of("libc6"), packages.namesStartingWith("lib", 10));
        assertEquals(List.of("curl", "libc6"), packages.namesStartingWith("", 10).subList(1, 3));
        assertEquals(List.of("Mixed_Case%"), packages.namesStartingWith("Mixed_", 10));
        assertEquals(List.of(), packages.namesStartingWith("Mixed%", 10));
        assertEquals(List.of(), packages.namesStartingWith("mixed", 10));
        assertEquals(List.of("Mixed_Case%"), packages.namesStartingWith("", 1));
        reports.apply(EntityKind.HOST, "delta.example.org", report(UpdateType.FULL, "Debian 12", List.of("libnew=1"), List.of(), List.of()));
        assertEquals("no wait for the counts behind the index", List.of("libc6", "libnew"), packages.namesStartingWith("lib", 10));
    }

    @Test
    public void hostListOrdersBySecurityThenUpgradesThenPackagesThenName() {
        PageDTO<EntityDTO> all = entities.list(EntityKind.HOST, EntityFilter.ALL, PageRequest.first(50));
        assertEquals(3, all.total());
        assertEquals(List.of("alpha.example.org", "beta.example.org", "gamma.example.org"), names(all));
        EntityDTO alpha = all.items().get(0);
        assertEquals(List.of(3L, 1L, 1L), List.of(alpha.packages(), alpha.upgrades(), alpha.security()));
        assertEquals(List.of("alpha.example.org"), names(entities.list(EntityKind.HOST, filter(null, UpgradeFilter.SECURITY), PageRequest.first(50))));
        assertEquals(2, entities.list(EntityKind.HOST, filter(null, UpgradeFilter.UPGRADABLE), PageRequest.first(50)).total());
        assertEquals(List.of("gamma.example.org"), names(entities.list(EntityKind.HOST, filter("Debian 11", UpgradeFilter.ALL), PageRequest.first(50))));
        PageDTO<EntityDTO> second = entities.list(EntityKind.HOST, EntityFilter.ALL, new PageRequest(2, 2, null, false));
        assertEquals(List.of("gamma.example.org"), names(second));
        assertEquals(3, second.total());
        assertEquals(List.of(), entities.list(EntityKind.HOST, EntityFilter.ALL, new PageRequest(3, 2, null, false)).items());
        assertEquals(List.of("registry.example.org/app:1"), names(entities.list(EntityKind.IMAGE, EntityFilter.ALL, PageRequest.first(50))));
    }

    @Test
    public void entityRowsPutSecurityFirstThenUpgradesThenNames() {
        String rows = entities.rows(EntityKind.HOST, "beta.example.org", RowFilter.ALL, PageRequest.first(50)).items().stream()
                .map(r -> r.name()).collect(Collectors.joining(","));
        assertEquals("curl,libc6,openssl", rows);
        assertEquals("openssl", entities.rows(EntityKind.HOST, "alpha.example.org", RowFilter.ALL, PageRequest.first(1)).items().get(0).name());
        assertEquals(1, entities.rows(EntityKind.HOST, "alpha.example.org", new RowFilter(null, UpgradeFilter.SECURITY), PageRequest.first(50)).total());
        assertEquals(0, entities.rows(EntityKind.HOST, "nobody", RowFilter.ALL, PageRequest.first(50)).total());
    }

    @Test
    public void packageVersionsInDpkgOrderWithCounts() {
        String versions = packages.versions("libc6").stream()
                .map(v -> v.os() + " " + v.version() + " " + v.installed() + "/" + v.upgradable() + "/" + v.security())
                .collect(Collectors.joining(", "));
        assertEquals("Debian 11 1.9 1/0/0, Debian 12 1.9 2/0/0, Debian 12 1.10 1/0/0, Debian 12 1.11 0/1/0", versions);
        assertEquals(List.of(), packages.versions("nonexistent"));
    }

    @Test
    public void packageHoldersPagedByOsVersionAndName() {
        PageDTO<PackageHolderDTO> page = packages.holders("libc6", HolderFilter.ALL, PageRequest.first(3));
        assertEquals(4, page.total());
        assertEquals(List.of("Debian 11 1.9 gamma.example.org", "Debian 12 1.9 alpha.example.org",
                "Debian 12 1.9 registry.example.org/app:1"),
                page.items().stream().map(h -> h.os() + " " + h.version() + " " + h.name()).collect(Collectors.toList()));
        PackageHolderDTO last = packages.holders("libc6", HolderFilter.ALL, new PageRequest(2, 3, null, false)).items().get(0);
        assertEquals("beta.example.org 1.10 1.11", last.name() + " " + last.version() + " " + last.upgrade());
        assertEquals(EntityKind.IMAGE, page.items().get(2).kind());
        assertEquals(0, packages.holders("nonexistent", HolderFilter.ALL, PageRequest.first(10)).total());
    }

    @Test
    public void everyHoldersPageIsTheSliceOfAllRowsSortedByOsVersionNameAndKind() throws Exception {
        // Two OSes; versions whose dpkg order differs from their string order; a version on
        // hosts and images, with a host and an image of the same name; a version on images only;
        // a version that is only an upgrade target (no rows of its own).
        for (int i = 1; i <= 12; i++) {
            String os = i <= 3 ? "Debian 11" : "Debian 12";
            String version = i <= 2 ? "1.2.10" : i == 3 ? "1.2.9" : i % 3 == 0 ? "1.2.10~rc1" : i % 3 == 1 ? "1.2.9" : "1.2.10";
            List<String> upgrades = i % 4 == 0 ? List.of("zlib1g " + version + ">1.2.11" + (i % 8 == 0 ? " security" : "")) : List.of();
            reports.apply(EntityKind.HOST, String.format("h%02d.example.org", (i * 7) % 13),
                    report(UpdateType.FULL, os, List.of("zlib1g=" + version), List.of(), upgrades));
        }
        for (String image : List.of("h05.example.org", "a.example.org/app:1", "i.example.org/app:2", "z.example.org/app:3")) {
            reports.apply(EntityKind.IMAGE, image, report(UpdateType.FULL, "Debian 12", List.of("zlib1g=1.2.9"), List.of(), List.of()));
        }
        reports.apply(EntityKind.IMAGE, "b.example.org/beta:1", report(UpdateType.FULL, "Debian 12",
                List.of("zlib1g=1.3~beta1"), List.of(), List.of()));
        List<String> all = allHolders("zlib1g");
        assertEquals(17, all.size());
        for (int size : List.of(1, 2, 3, 4, 5, 7, 16, 17, 50)) {
            for (int page = 1; (long) (page - 1) * size <= all.size() + size; page++) {
                PageDTO<PackageHolderDTO> got = packages.holders("zlib1g", HolderFilter.ALL, new PageRequest(page, size, null, false));
                int from = Math.min((page - 1) * size, all.size());
                assertEquals("page " + page + " of size " + size, all.subList(from, Math.min(from + size, all.size())),
                        got.items().stream().map(ReadServicesTest::holder).collect(Collectors.toList()));
                assertEquals(all.size(), got.total());
            }
        }
    }

    private static String holder(PackageHolderDTO h) {
        return h.os() + " " + h.version() + " " + h.name() + " " + h.kind() + " " + h.upgrade() + " " + h.upgradeType();
    }

    /** Every row of the package, read plainly and sorted in Java: the order the pages must follow. */
    private List<String> allHolders(String name) throws Exception {
        record Row(String os, String version, String name, EntityKind kind, String upgrade, String upgradeType) {
        }
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement()) {
            for (EntityKind kind : EntityKind.values()) {
                KindDescriptor t = KindDescriptor.of(kind);
                try (ResultSet rs = st.executeQuery("select o.name, iv.version, e.name, uv.version, r.upgrade_type from "
                        + t.rows() + " r join " + t.entity() + " e on e.id = r." + t.owner()
                        + " join package_version iv on iv.id = r.installed_version_id join os o on o.id = iv.os_id"
                        + " left join package_version uv on uv.id = r.upgrade_version_id"
                        + " join package p on p.id = r.package_id where p.name = '" + name + "'")) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), kind, rs.getString(4), rs.getString(5)));
                    }
                }
            }
        }
        return rows.stream().sorted(Comparator.comparing(Row::os)
                .thenComparing(Row::version, DebianVersion.ORDER)
                .thenComparing(Row::name).thenComparing(Row::kind))
                .map(r -> holder(new PackageHolderDTO(r.os(), r.version(), r.kind(), r.name(), r.upgrade(), r.upgradeType())))
                .collect(Collectors.toList());
    }

    @Test
    public void searchScopesGiveTheirTotalAndTheFirstItemsInNameOrder() {
        SearchResultDTO result = search.search("1", null, 4);
        SearchResultDTO.Scope versions = result.scopes().get("package-versions");
        assertEquals(8, versions.total());
        assertEquals(List.of("Mixed_Case% (1 - Debian 11)", "libc6 (1.10 - Debian 12)", "libc6 (1.11 - Debian 12)",
                "libc6 (1.9 - Debian 11)"), versions.items().stream().map(SearchResultDTO.Item::label).collect(Collectors.toList()));
        assertEquals(List.of("Mixed_Case%", "libc6", "libc6", "libc6"),
                versions.items().stream().map(SearchResultDTO.Item::target).collect(Collectors.toList()));
        assertEquals(List.of(new SearchResultDTO.Item("Mixed_Case% (1 - Debian 11)", "Mixed_Case%"),
                new SearchResultDTO.Item("libc6 (1.10 - Debian 12)", "libc6")),
                search.search("1", "package-versions", 2).scopes().get("package-versions").items());
        SearchResultDTO.Scope sources = result.scopes().get("source-package-versions");
        assertEquals(8, sources.total());
        assertEquals(new SearchResultDTO.Item("Mixed_Case%-src (1 - Debian 11)", "Mixed_Case%-src"), sources.items().get(0));
        assertEquals(2, result.scopes().get("kernels").total());
        assertEquals(new SearchResultDTO.Scope(3, List.of(new SearchResultDTO.Item("alpha.example.org", "alpha.example.org"),
                new SearchResultDTO.Item("beta.example.org", "beta.example.org"))),
                search.search("EXAMPLE", "hosts", 2).scopes().get("hosts"));
        SearchResultDTO none = search.search("no such thing", null, 10);
        for (SearchResultDTO.Scope scope : none.scopes().values()) {
            assertEquals(new SearchResultDTO.Scope(0, List.of()), scope);
        }
    }

    @Test
    public void searchIsCaseInsensitiveAndTreatsWildcardsLiterally() {
        SearchResultDTO result = search.search("EXAMPLE", null, 100);
        assertEquals(SearchServiceImplScopes.ALL, List.copyOf(result.scopes().keySet()));
        assertEquals(3, result.scopes().get("hosts").total());
        assertEquals(1, result.scopes().get("images").total());
        assertEquals(1, search.search("case%", "packages", 100).scopes().get("packages").total());
        assertEquals(0, search.search("c_se", "packages", 100).scopes().get("packages").total());
        SearchResultDTO.Scope versions = search.search("3.0.1", "package-versions", 1).scopes().get("package-versions");
        assertEquals(2, versions.total());
        assertEquals(List.of(new SearchResultDTO.Item("openssl (3.0.11 - Debian 12)", "openssl")), versions.items());
        assertEquals(2, search.search("smp debian", "kernels", 10).scopes().get("kernels").total());
    }

    /** The scope order of SPEC §5.4. */
    private static final class SearchServiceImplScopes {
        static final List<String> ALL = List.of("hosts", "images", "packages", "source-packages", "kernels",
                "package-versions", "source-package-versions");
    }
}
