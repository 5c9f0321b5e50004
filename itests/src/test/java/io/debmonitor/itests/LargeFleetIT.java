package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.ClassRule;
import org.junit.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SPEC §5.1, "no page loads all rows": with 5,000 hosts of 200 packages each (a million rows,
 * written through the v1 protocol by 8 concurrent clients), the pages that list them stay under a
 * fixed size with the default page size. Its own distribution, on each database.
 */
public class LargeFleetIT {

    private static final Logger LOGGER = LoggerFactory.getLogger(LargeFleetIT.class);
    private static final int HOSTS = 5_000;
    private static final int PACKAGES_PER_HOST = 200;
    private static final int UNIVERSE = 400;
    private static final int CLIENTS = 8;
    private static final int MAX_PAGE_BYTES = 300 * 1024;
    private static final List<String> KERNELS = List.of(Fleet.KERNEL_12, Fleet.KERNEL_12_NEW);

    @ClassRule
    public static final UiDistribution UI = new UiDistribution("LargeFleetIT", LargeFleetIT::seed);

    private static String hostName(int i) {
        return String.format("node%04d.large.example.org", i);
    }

    /**
     * Host i has libc6 and 199 packages of a universe of 400 (every other one, from an offset of
     * its own), in one of three versions; about one row in 20 is upgradable, one in 40 a security upgrade.
     */
    private static String report(int i) {
        StringBuilder installed = new StringBuilder();
        StringBuilder upgradable = new StringBuilder();
        for (int k = 0; k < PACKAGES_PER_HOST; k++) {
            String name = k == 0 ? "libc6" : String.format("lib%03d", (i * 7 + 2 * k) % UNIVERSE);
            String version = "1." + ((i + k) % 3) + "-1";
            installed.append(installed.length() == 0 ? "" : ",")
                    .append("{\"name\":\"").append(name).append("\",\"version\":\"").append(version)
                    .append("\",\"source\":\"src-").append(name).append("\"}");
            if ((i + k) % 20 == 0) {
                upgradable.append(upgradable.length() == 0 ? "" : ",")
                        .append("{\"name\":\"").append(name).append("\",\"version_from\":\"").append(version)
                        .append("\",\"version_to\":\"2.0-1\",\"source\":\"src-").append(name).append('"')
                        .append((i + k) % 40 == 0 ? ",\"type\":\"security\"}" : "}");
            }
        }
        return "{\"api_version\":\"v1\",\"os\":\"Debian 12\",\"update_type\":\"full\",\"hostname\":\"" + hostName(i) + "\","
                + "\"running_kernel\":{\"version\":\"" + KERNELS.get(i % KERNELS.size()) + "\",\"release\":\"6.1.0-18-amd64\"},"
                + "\"installed\":[" + installed + "],\"uninstalled\":[],\"upgradable\":[" + upgradable + "]}";
    }

    private static void seed(UiDistribution ui) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < HOSTS; i = next.getAndIncrement()) {
                        HttpResponse<String> response = ui.send(ui.proxy(), "POST", ui.httpsUrl("/hosts/" + hostName(i) + "/update"), report(i),
                                "Content-Type", "application/json");
                        if (response.statusCode() != 201) {
                            throw new AssertionError(hostName(i) + ": " + response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOGGER.info("LargeFleetIT on {}: {} hosts x {} packages posted by {} clients in {} s ({} reports/s)", UiDistribution.db(), HOSTS,
                PACKAGES_PER_HOST, CLIENTS, millis / 1000, HOSTS * 1000L / Math.max(1, millis));
    }

    @Test
    public void pagesStayBoundedWhateverTheFleetSize() throws Exception {
        HttpClient identity = UI.proxy();
        JsonNode libc6 = UI.json(identity, "/packages/libc6");
        assertEquals(HOSTS, libc6.at("/rows/total").asInt());
        assertEquals(50, libc6.at("/rows/items").size());
        assertEquals(HOSTS, UI.json(identity, "/hosts/").get("total").asInt());
        assertEquals(HOSTS, UI.json(identity, "/").at("/hosts/total").asInt());
        String kernel = UI.json(identity, "/kernels/").at("/items/0/url").asText();

        for (String page : List.of("/", "/hosts/", "/hosts/?upgrades=security", "/hosts/" + hostName(1), "/packages/", "/packages/libc6",
                "/packages/libc6?version=1.0-1", "/packages/lib001", "/source-packages/", "/source-packages/src-libc6", "/kernels/", kernel,
                "/search?q=node", "/search?q=lib")) {
            long started = System.nanoTime();
            HttpResponse<String> html = UI.get(identity, page);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            int bytes = html.body().getBytes(StandardCharsets.UTF_8).length;
            LOGGER.info("LargeFleetIT on {}: {} answered {} bytes of HTML in {} ms", UiDistribution.db(), page, bytes, millis);
            assertEquals(page, 200, html.statusCode());
            assertTrue(page + " is " + bytes + " bytes", bytes < MAX_PAGE_BYTES);
        }
    }
}
