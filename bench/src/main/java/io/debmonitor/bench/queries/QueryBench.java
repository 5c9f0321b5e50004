package io.debmonitor.bench.queries;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.hibernate.jpa.HibernatePersistenceProvider;
import org.mariadb.jdbc.MariaDbDataSource;

import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.UpgradeFilter;
import io.debmonitor.core.model.internal.DashboardServiceImpl;
import io.debmonitor.core.model.internal.Database;
import io.debmonitor.core.model.internal.EntityServiceImpl;
import io.debmonitor.core.model.internal.KernelServiceImpl;
import io.debmonitor.core.model.internal.PackageCounts;
import io.debmonitor.core.model.internal.PackageServiceImpl;
import io.debmonitor.core.model.internal.SearchServiceImpl;
import io.debmonitor.core.model.internal.SourcePackageServiceImpl;

/**
 * Times core-model's read queries (the ones the pages of SPEC §5 use) against a database the
 * load benchmark filled: the same service classes the server runs, outside OSGi, one page of 50
 * rows with its total count each.
 *
 * <pre>java ... io.debmonitor.bench.queries.QueryBench jdbc:mariadb://127.0.0.1:3306/db user password [iterations]</pre>
 */
public final class QueryBench {

    /** The default staleness thresholds (PID io.debmonitor.staleness). */
    private static final io.debmonitor.core.model.api.StalenessPolicy STALENESS = kind ->
            kind == io.debmonitor.core.model.api.EntityKind.HOST ? java.time.Duration.ofHours(48) : java.time.Duration.ofDays(45);

    private QueryBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: QueryBench JDBC_URL USER PASSWORD [ITERATIONS]");
            System.exit(2);
        }
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        MariaDbDataSource dataSource = new MariaDbDataSource(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        EntityManagerFactory emf = new HibernatePersistenceProvider().createEntityManagerFactory("debmonitor",
                Map.of("javax.persistence.nonJtaDataSource", dataSource));
        Database database = Database.migrated(emf, dataSource);
        EntityServiceImpl entities = new EntityServiceImpl(database, STALENESS);
        PackageCounts counts = new PackageCounts(database, Duration.ofSeconds(60));
        PackageServiceImpl packages = new PackageServiceImpl(database, counts);
        SearchServiceImpl search = new SearchServiceImpl(database);
        SourcePackageServiceImpl sources = new SourcePackageServiceImpl(database, counts);
        KernelServiceImpl kernels = new KernelServiceImpl(database);
        DashboardServiceImpl dashboard = new DashboardServiceImpl(database, counts, STALENESS);

        List<String> hosts = names(dataSource, "select name from host");
        List<String> popular = names(dataSource, "select p.name from package p join host_package r on r.package_id = p.id"
                + " where r.host_id = (select min(id) from host)");
        long rows = count(dataSource, "select count(*) from host_package");
        System.out.printf("database: %d hosts, %d host-package rows, %d packages%n", hosts.size(), rows,
                count(dataSource, "select count(*) from package"));
        Random random = new Random(42);
        long started = System.nanoTime();
        dashboard.counts();
        System.out.printf("package counts snapshot (the first call computes it): %.0f ms%n", (System.nanoTime() - started) / 1e6);
        Map<String, Callable<Object>> queries = new LinkedHashMap<>();
        queries.put("host packages (page of 50 + total)",
                () -> entities.rows(EntityKind.HOST, pick(hosts, random), RowFilter.ALL, PageRequest.first(50)));
        queries.put("host packages, page 10",
                () -> entities.rows(EntityKind.HOST, pick(hosts, random), RowFilter.ALL, new PageRequest(10, 50, null, false)));
        queries.put("host packages by version desc, filtered",
                () -> entities.rows(EntityKind.HOST, pick(hosts, random), new RowFilter("lib", UpgradeFilter.ALL),
                        new PageRequest(1, 50, "version", true)));
        queries.put("package version counts", () -> packages.versions(pick(popular, random)));
        queries.put("package holders (page of 50 + total)",
                () -> packages.holders(pick(popular, random), HolderFilter.ALL, PageRequest.first(50)));
        queries.put("package holders, page 20",
                () -> packages.holders(pick(popular, random), HolderFilter.ALL, new PageRequest(20, 50, null, false)));
        queries.put("package holders, upgradable, by name",
                () -> packages.holders(pick(popular, random), new HolderFilter(null, null, null, null, UpgradeFilter.UPGRADABLE),
                        new PageRequest(1, 50, "name", false)));
        queries.put("package holders, q filter",
                () -> packages.holders(pick(popular, random), new HolderFilter("1", null, null, null, UpgradeFilter.ALL),
                        PageRequest.first(50)));
        queries.put("hosts with security upgrades (page + total)",
                () -> entities.list(EntityKind.HOST, new EntityFilter(null, null, UpgradeFilter.SECURITY, null),
                        new PageRequest(1 + random.nextInt(5), 50, null, false)));
        queries.put("all hosts, default order (page + total)",
                () -> entities.list(EntityKind.HOST, EntityFilter.ALL, new PageRequest(1 + random.nextInt(20), 50, null, false)));
        queries.put("all hosts by OS, q filter (page + total)",
                () -> entities.list(EntityKind.HOST, new EntityFilter("1", null, UpgradeFilter.ALL, null),
                        new PageRequest(1 + random.nextInt(5), 50, "os", false)));
        queries.put("packages index, default order",
                () -> packages.list(null, null, new PageRequest(1 + random.nextInt(20), 50, null, false)));
        queries.put("packages index, q filter by name",
                () -> packages.list("lib", null, new PageRequest(1, 50, "name", false)));
        queries.put("source packages index, default order",
                () -> sources.list(null, null, new PageRequest(1 + random.nextInt(20), 50, null, false)));
        queries.put("source packages index, by versions",
                () -> sources.list(null, null, new PageRequest(1, 50, "versions", true)));
        queries.put("kernels, by hosts", () -> kernels.list(null, null, new PageRequest(1, 50, "hosts", true)));
        queries.put("dashboard", dashboard::counts);
        queries.put("search, all 7 scopes (100 per scope + totals)",
                () -> {
                    String name = pick(popular, random);
                    return search.search(name.substring(0, Math.min(4, name.length())), null, 100);
                });

        System.out.printf("%-48s %8s %8s %8s %8s%n", "query", "p50 ms", "p95 ms", "max ms", "n");
        for (Map.Entry<String, Callable<Object>> query : queries.entrySet()) {
            for (int i = 0; i < Math.min(20, iterations); i++) {
                query.getValue().call();
            }
            double[] millis = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                query.getValue().call();
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf("%-48s %8.2f %8.2f %8.2f %8d%n", query.getKey(), millis[iterations / 2],
                    millis[(int) Math.ceil(iterations * 0.95) - 1], millis[iterations - 1], iterations);
        }
        counts.deactivate();
        emf.close();
    }

    private static String pick(List<String> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    private static List<String> names(DataSource dataSource, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("The database is empty: run the load benchmark first (" + sql + ")");
        }
        return out;
    }

    private static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
