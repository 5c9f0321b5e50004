package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.spi.PackageSource;

/**
 * Issue #11, hot deployment: the example source bundle (bundles/source-sbom) copied into
 * {@code deploy/} of the running server starts serving {@code /sbom/}, and deleting the jar takes
 * the collection away again, while host reports through {@code /hosts/} keep being stored
 * without a single failure.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT extends ItestSupport {

    private static final String SBOM_BUNDLE = "io.debmonitor.source.sbom";
    private static final String SBOM_RESOURCE = "/sbom/debian12-syft.cdx.json";
    /** Has its own certificate in the test PKI, so its SBOM goes over HTTPS as the host itself. */
    private static final String HOST = "db1001.example.org";
    private static final String OTHER_HOST = "db1002.example.org";
    /** Karaf's deployer polls deploy/ every second; starting a bundle takes a few more. */
    private static final long SWAP_TIMEOUT_SECONDS = 60;

    @Inject
    @Filter(timeout = 120_000)
    protected EntityService entities;

    /** The distribution of every IT, plus where the built source jar and the SBOM fixture are. */
    @Override
    @Configuration
    public Option[] config() throws Exception {
        String jar = System.getProperty("itest.sbom.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("System property itest.sbom.jar must name the built debmonitor-source-sbom jar, not " + jar);
        }
        URL sbom = HotDeployIT.class.getResource(SBOM_RESOURCE);
        if (sbom == null) {
            throw new IllegalStateException("Test resource " + SBOM_RESOURCE + " is missing");
        }
        return distribution(getClass().getSimpleName(),
                systemProperty("itest.sbom.jar").value(new File(jar).getAbsolutePath()),
                systemProperty("itest.sbom.json").value(Path.of(sbom.toURI()).toString()))
                .options().toArray(new Option[0]);
    }

    @Before
    public void ready() throws Exception {
        awaitServer();
    }

    @Test
    public void aSourceDroppedIntoDeployServesItsCollectionUntilItsJarIsDeleted() throws Exception {
        byte[] sbom = Files.readAllBytes(Path.of(System.getProperty("itest.sbom.json")));
        HttpClient hostClient = tlsClient(System.getProperty("itest.pki"), HOST);
        String sbomPath = "/sbom/" + HOST + "/update";
        assertNull("the SBOM source is not part of the distribution", bundle(SBOM_BUNDLE));
        assertJsonError(404, send(hostClient, httpsUrl(), "POST", sbomPath, sbom));

        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "debmonitor-source-sbom.jar");
        HostReporter reporter = new HostReporter(List.of(uniqueHost(), uniqueHost(), uniqueHost()));
        Thread reporting = new Thread(reporter, "HotDeployIT host reports");
        reporting.start();
        try {
            await("the first host report", () -> reporter.succeeded.get() > 0 || !reporter.failures.isEmpty());
            int before = reporter.succeeded.get();

            deploy(Path.of(System.getProperty("itest.sbom.jar")), deployed);
            HttpResponse<String> stored = awaitStatus(hostClient, sbomPath, sbom, 201);
            assertEquals(stored.body(), 201, stored.statusCode());
            Bundle source = bundle(SBOM_BUNDLE);
            assertNotNull("no bundle " + SBOM_BUNDLE + " after a 201 from /sbom/", source);
            assertEquals(Bundle.ACTIVE, source.getState());

            EntityDTO host = entities.find(EntityKind.HOST, HOST).orElseThrow(() -> new AssertionError("no host " + HOST));
            assertEquals("Debian 12", host.os());
            assertEquals(6, host.packages());
            assertEquals(List.of("dpkg 1.21.22", "libc6 2.36-9+deb12u4", "libc6:i386 2.36-9+deb12u4", "libssl3 3.0.11-1~deb12u2",
                    "login 1:4.13+dfsg1-1+b1", "tzdata 2024a-0+deb12u1"),
                    entities.rows(EntityKind.HOST, HOST).stream().map(row -> row.name() + " " + row.version()).sorted().toList());
            assertJsonError(403, send(hostClient, httpsUrl(), "POST", "/sbom/" + OTHER_HOST + "/update", sbom));
            assertJsonError(400, send(hostClient, httpsUrl(), "POST", sbomPath, "{\"bomFormat\":\"SPDX\"}".getBytes(StandardCharsets.UTF_8)));

            // A second source for the same collection with a higher ranking takes over, and the first comes back when it leaves.
            ServiceRegistration<PackageSource> ranked = bundleContext.registerService(PackageSource.class, new RefusingSource(),
                    new Hashtable<>(Map.of(PackageSource.COLLECTION_PROPERTY, "sbom", PackageSource.TYPE_PROPERTY, "itest",
                            Constants.SERVICE_RANKING, 100)));
            HttpResponse<String> refused = send(hostClient, httpsUrl(), "POST", sbomPath, sbom);
            ranked.unregister();
            assertEquals(refused.body(), "{\"error\":\"" + RefusingSource.MESSAGE + "\"}", refused.body());
            assertEquals(201, send(hostClient, httpsUrl(), "POST", sbomPath, sbom).statusCode());

            Files.delete(deployed);
            HttpResponse<String> gone = awaitStatus(hostClient, sbomPath, sbom, 404);
            assertJsonError(404, gone);
            assertEquals("{\"error\":\"No package source serves /sbom/.\"}", gone.body());
            await("the SBOM bundle to be uninstalled", () -> bundle(SBOM_BUNDLE) == null);
            assertTrue("the host stays when its source leaves", entities.find(EntityKind.HOST, HOST).isPresent());

            int during = reporter.succeeded.get() - before;
            reporter.stop(reporting);
            assertFalse("the host reporter did not stop", reporting.isAlive());
            assertEquals("host reports that failed during the swap", List.of(), List.copyOf(reporter.failures));
            assertTrue("no host report was stored while the source came and went", during > 0);
        } finally {
            reporter.stop(reporting);
            Files.deleteIfExists(deployed);
        }
    }

    /** A source that refuses every report with its own message, so the test sees which source answered. */
    private static final class RefusingSource implements PackageSource {
        static final String MESSAGE = "refused by the higher-ranked itest source";

        @Override
        public EntityKind kind() {
            return EntityKind.HOST;
        }

        @Override
        public ReportDTO read(String name, byte[] body) throws InvalidReportException {
            throw new InvalidReportException(MESSAGE);
        }
    }

    /** Copies the jar next to deploy/ and moves it in, so the deployer never reads a half-written file. */
    private static void deploy(Path jar, Path deployed) throws IOException {
        Path staged = deployed.getParent().resolveSibling(deployed.getFileName() + ".part");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Posts until the answer has the status (or the swap timeout passes); returns the last answer. */
    private HttpResponse<String> awaitStatus(HttpClient client, String path, byte[] body, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWAP_TIMEOUT_SECONDS);
        HttpResponse<String> last = send(client, httpsUrl(), "POST", path, body);
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            last = send(client, httpsUrl(), "POST", path, body);
        }
        return last;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWAP_TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /**
     * Posts small full reports for a few hosts over plain HTTP as the host proxy, one every 20 ms,
     * and records every answer that is not 2xx. Bounded: it stops by itself after five minutes.
     */
    private final class HostReporter implements Runnable {
        private final List<String> hosts;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger succeeded = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();

        HostReporter(List<String> hosts) {
            this.hosts = hosts;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            for (int i = 0; running.get() && System.nanoTime() < deadline; i++) {
                String host = hosts.get(i % hosts.size());
                try {
                    HttpResponse<String> response = send("POST", "/hosts/" + host + "/update", report(host, i));
                    if (response.statusCode() / 100 == 2) {
                        succeeded.incrementAndGet();
                    } else {
                        failures.add(host + ": " + response.statusCode() + " " + response.body());
                    }
                } catch (IOException e) {
                    failures.add(host + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        /** Ends the loop and waits for its last request (which may take up to the 60 s request timeout). */
        void stop(Thread thread) throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(90));
        }

        /** A full report whose version changes with every round, so every report writes rows. */
        private byte[] report(String host, int round) {
            return ("{\"api_version\":\"v1\",\"os\":\"Debian 12\",\"update_type\":\"full\",\"hostname\":\"" + host + "\","
                    + "\"running_kernel\":{\"release\":\"6.1.0-18-amd64\",\"version\":\"#1 SMP Debian 6.1.76-1\"},"
                    + "\"installed\":[{\"name\":\"hotdeploy-tool\",\"version\":\"1." + round + "\",\"source\":\"hotdeploy\"},"
                    + "{\"name\":\"hotdeploy-lib\",\"version\":\"2.0\",\"source\":\"hotdeploy\"}]}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
