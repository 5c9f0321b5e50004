package io.debmonitor.bench.queries;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.hibernate.jpa.HibernatePersistenceProvider;
import org.mariadb.jdbc.MariaDbDataSource;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.UpgradeFilter;
import io.debmonitor.core.model.internal.Database;
import io.debmonitor.core.model.internal.EntityServiceImpl;
import io.debmonitor.core.model.internal.PackageServiceImpl;
import io.debmonitor.core.model.internal.SearchServiceImpl;

/**
 * Times core-model's read queries (the ones the pages of SPEC §5 use) against a database the
 * load benchmark filled: the same service classes the server runs, outside OSGi, one page of 50
 * rows with its total count each.
 *
 * <pre>java ... io.debmonitor.bench.queries.QueryBench jdbc:mariadb://127.0.0.1:3306/db user password [iterations]</pre>
 */
public final class QueryBench {

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
        Database database = new Database(emf, dataSource);
        EntityServiceImpl entities = new EntityServiceImpl(database);
        PackageServiceImpl packages = new PackageServiceImpl(database);
        SearchServiceImpl search = new SearchServiceImpl(database);

        List<String> hosts = names(dataSource, "select name from host");
        List<String> popular = names(dataSource, "select p.name from package p join host_package r on r.package_id = p.id"
                + " where r.host_id = (select min(id) from host)");
        long rows = count(dataSource, "select count(*) from host_package");
        System.out.printf("database: %d hosts, %d host-package rows, %d packages%n", hosts.size(), rows,
                count(dataSource, "select count(*) from package"));
        Random random = new Random(42);
        Map<String, Callable<Object>> queries = new LinkedHashMap<>();
        queries.put("host packages (page of 50 + total)",
                () -> entities.rows(EntityKind.HOST, pick(hosts, random), UpgradeFilter.ALL, 1, 50));
        queries.put("host packages, page 10",
                () -> entities.rows(EntityKind.HOST, pick(hosts, random), UpgradeFilter.ALL, 10, 50));
        queries.put("package version counts", () -> packages.versions(pick(popular, random)));
        queries.put("package holders (page of 50 + total)", () -> packages.holders(pick(popular, random), 1, 50));
        queries.put("package holders, page 20", () -> packages.holders(pick(popular, random), 20, 50));
        queries.put("hosts with security upgrades (page + total)",
                () -> entities.list(EntityKind.HOST, null, UpgradeFilter.SECURITY, 1 + random.nextInt(5), 50));
        queries.put("all hosts, default order (page + total)",
                () -> entities.list(EntityKind.HOST, null, UpgradeFilter.ALL, 1 + random.nextInt(20), 50));
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
