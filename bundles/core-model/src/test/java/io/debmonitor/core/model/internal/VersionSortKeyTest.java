package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;
import io.debmonitor.core.model.api.VersionSamples;

/** sort_key of package and source package versions: set on insert, backfilled by the migration, sorted by the database in dpkg order. */
@RunWith(Parameterized.class)
public class VersionSortKeyTest {

    private static final List<String> TABLES = List.of("package_version", "source_package_version");

    /** Versions of SPEC §2.5, dpkg-equal ones among them, and characters only the sort key's escapes cover. */
    private static final List<String> SPECIAL = List.of("1.0~rc1", "1.0", "1.0~~", "1.0~", "1.0a", "1.0+dfsg", "1.0.1",
            "1:0.9", "2.0", "0:1.0", "1.0-0", "1.9", "1.10", "1.007", "1.7", "2.36-9+deb12u4", "2.36-9+deb12u10",
            "3.0.11-1~deb12u2", "3.0.11-1", "1.2-3-4", "1.2-3.4", "1.0-1", "1.0A", "1.0é", "1.0ü", "1.0中",
            "1.0\ud83d\ude00", "1.0_1", "1.0%1", "1." + "9".repeat(120), "1." + "1".repeat(121), "99:1");

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;

    public VersionSortKeyTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    @Test
    public void reportsStoreTheSortKeyOfEveryVersion() throws SQLException {
        List<String> versions = new ArrayList<>(SPECIAL);
        VersionSamples samples = new VersionSamples(11);
        while (versions.size() < 400) {
            versions.add(samples.version());
        }
        List<InstalledDTO> installed = new ArrayList<>();
        List<UpgradableDTO> upgradable = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            String name = String.format("p%03d", i);
            String sourceVersion = i % 3 == 0 ? samples.version() : null;
            installed.add(new InstalledDTO(name, versions.get(i), "src" + i % 7, sourceVersion));
            if (i % 5 == 0) {
                upgradable.add(new UpgradableDTO(name, versions.get(i), samples.neighbour(versions.get(i)), "src" + i % 7, null, null));
            }
        }
        ReportServiceImpl reports = new ReportServiceImpl(db.database);
        reports.apply(EntityKind.HOST, "h1", new ReportDTO("Debian 12", UpdateType.FULL, "#1", "6.1", installed, List.of(), upgradable));
        reports.apply(EntityKind.HOST, "h1", new ReportDTO("Debian 12", UpdateType.UPGRADABLE, "#1", "6.1", List.of(), List.of(),
                List.of(new UpgradableDTO("untracked", "1:2.0~b1", "1:2.0", "untracked-src", "1:2.0-3", "security"))));
        reports.apply(EntityKind.IMAGE, "registry.example.org/app:1", new ReportDTO("Debian 13", UpdateType.FULL, null, null,
                installed.subList(0, 50), List.of(), List.of()));
        // an OS change re-creates the host's versions under the new OS
        reports.apply(EntityKind.HOST, "h1", new ReportDTO("Debian 11", UpdateType.DPKG_HOOK, "#1", "6.1", List.of(), List.of(), List.of()));

        assertTrue(db.count("select count(*) from package_version") > 2 * versions.size());
        assertTrue(db.count("select count(*) from source_package_version") > versions.size());
        for (String table : TABLES) {
            assertEquals(table + " rows without a key", 0, db.count("select count(*) from " + table + " where sort_key is null"));
            assertKeysMatchVersions(db.dataSource, table);
            assertDatabaseSortsInDpkgOrder(db.dataSource, table);
        }
    }

    @Test
    public void migrationBackfillsVersionsStoredBeforeV3() throws SQLException, IOException {
        try (EmptyDatabase empty = new EmptyDatabase(kind)) {
            DataSource dataSource = empty.dataSource;
            SchemaMigrator migrator = new SchemaMigrator();
            assertEquals(2, migrator.migrate(dataSource, 2));
            Set<String> versions = new LinkedHashSet<>(SPECIAL);
            VersionSamples samples = new VersionSamples(12);
            while (versions.size() < 2 * SchemaMigrator.BACKFILL_BATCH + 500) {
                versions.add(samples.version());
            }
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("insert into os (id, name) values (1, 'Debian 12')");
                st.execute("insert into source_package (id, name) values (1, 'src')");
                st.execute("insert into package (id, name) values (1, 'pkg')");
                insertVersions(c, "insert into source_package_version (source_package_id, os_id, version) values (1, 1, ?)",
                        new ArrayList<>(versions).subList(0, SchemaMigrator.BACKFILL_BATCH + 1));
                insertVersions(c, "insert into package_version (package_id, os_id, source_package_version_id, version)"
                        + " values (1, 1, 1, ?)", versions);
                c.commit();
            }
            // as if V3 had failed after its DDL (committed at once on MariaDB) and one batch of keys
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                 InputStream in = getClass().getResourceAsStream("/db/migration/" + SchemaMigrator.SORT_KEY_SCRIPT)) {
                for (String sql : SchemaMigrator.statements(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                    st.execute(sql);
                }
                st.execute("update package_version set sort_key = 'kept' where version = '1.0'");
            }
            assertEquals(1, migrator.migrate(dataSource, 3));
            assertEquals("the backfill touches null keys only", 1,
                    empty.count("select count(*) from package_version where sort_key = 'kept'"));
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("update package_version set sort_key = ? where version = '1.0'")) {
                ps.setString(1, DebianVersion.sortKey("1.0"));
                assertEquals(1, ps.executeUpdate());
            }
            for (String table : TABLES) {
                assertKeysMatchVersions(dataSource, table);
                assertDatabaseSortsInDpkgOrder(dataSource, table);
            }
            assertEquals(versions.size(), empty.count("select count(*) from package_version"));
            assertEquals(SchemaMigrator.BACKFILL_BATCH + 1, empty.count("select count(*) from source_package_version"));
            assertEquals(SchemaMigrator.MIGRATIONS.size() - 3, migrator.migrate(dataSource));
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private static void assertKeysMatchVersions(DataSource dataSource, String table) throws SQLException {
        int rows = 0;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select version, sort_key from " + table)) {
            while (rs.next()) {
                assertEquals(table + " " + rs.getString(1), DebianVersion.sortKey(rs.getString(1)), rs.getString(2));
                rows++;
            }
        }
        assertTrue(table + " has no rows", rows > 0);
    }

    /** Per OS and package, "order by sort_key, version" gives DebianVersion.ORDER. */
    private static void assertDatabaseSortsInDpkgOrder(DataSource dataSource, String table) throws SQLException {
        String owner = table.equals("package_version") ? "package_id" : "source_package_id";
        Map<String, List<String>> sorted = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select os_id, " + owner + ", version from " + table
                     + " order by os_id, " + owner + ", sort_key, version")) {
            while (rs.next()) {
                sorted.computeIfAbsent(rs.getLong(1) + "/" + rs.getLong(2), k -> new ArrayList<>()).add(rs.getString(3));
            }
        }
        int compared = 0;
        for (List<String> versions : sorted.values()) {
            List<String> expected = new ArrayList<>(versions);
            expected.sort(DebianVersion.ORDER);
            assertEquals(table, expected, versions);
            compared += versions.size() > 1 ? 1 : 0;
        }
        assertTrue(table + ": no package with several versions", compared > 0);
    }

    private static void insertVersions(Connection c, String sql, Iterable<String> versions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String version : versions) {
                ps.setString(1, version);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
