package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.StorageUnavailableException;

/** {@code GET /healthz}: what keeps a node in the load balancer, what takes it out, and who sees details (issue #14). */
public class HealthResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CallerDTO ANONYMOUS = new CallerDTO(Set.of(), null, true, null);
    private static final CallerDTO CUMIN = new CallerDTO(Set.of("cumin1001.example.org"), null, true, null);
    private static final CallerDTO VIEWER = ANONYMOUS.withSession(
            new SessionDTO("token", "alice", Set.of("viewer"), "csrf", Instant.EPOCH, Instant.EPOCH));
    private static final Instant STARTED = Instant.parse("2026-12-05T08:30:00Z");

    private final String karafName = System.getProperty("karaf.name");
    private final Map<String, Integer> bundleStates = new LinkedHashMap<>(
            Map.of("io.debmonitor.core.model", Bundle.ACTIVE, "io.debmonitor.rest", Bundle.ACTIVE));
    private final AtomicInteger databaseQueries = new AtomicInteger();
    private RuntimeException databaseFailure;
    private CountDownLatch databaseAnswers;
    private ConfigurationAdmin configurationAdmin;
    private final ShutdownDrain drain = new ShutdownDrain(0);

    @After
    public void restoreKarafName() {
        if (karafName == null) {
            System.clearProperty("karaf.name");
        } else {
            System.setProperty("karaf.name", karafName);
        }
    }

    @Test
    public void readyWhenEveryBundleIsActiveAndTheDatabaseAnswers() throws Exception {
        Response response = resource().health(request(ANONYMOUS));
        assertEquals(200, response.getStatus());
        assertEquals("{\"status\":\"ready\"}", response.getEntity());
        assertNull(response.getHeaderString("Retry-After"));
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
    }

    @Test
    public void aDatabaseOutageKeepsTheNodeInTheLoadBalancer() throws Exception {
        databaseFailure = new StorageUnavailableException("The database is unavailable.", null);
        HealthResource resource = resource();
        Response anonymous = resource.health(request(ANONYMOUS));
        assertEquals(200, anonymous.getStatus());
        assertEquals("{\"status\":\"degraded\"}", anonymous.getEntity());
        assertNull(anonymous.getHeaderString("Retry-After"));
        JsonNode full = body(resource.health(request(CUMIN)));
        assertEquals("degraded", full.get("status").asText());
        assertEquals("[\"the database is unavailable\"]", full.get("problems").toString());
    }

    @Test
    public void aDatabaseThatDoesNotAnswerCountsAsUnavailableAndIsAskedOnce() throws Exception {
        databaseAnswers = new CountDownLatch(1);
        try {
            HealthResource resource = resource();
            JsonNode first = body(resource.health(request(CUMIN)));
            assertEquals("degraded", first.get("status").asText());
            assertEquals("[\"the database did not answer within 1 s\"]", first.get("problems").toString());
            assertEquals(200, resource.health(request(ANONYMOUS)).getStatus());
            assertEquals("a check during a hanging query waits for that query", 1, databaseQueries.get());
        } finally {
            databaseAnswers.countDown();
        }
    }

    @Test
    public void anInactiveBundleTakesTheNodeOut() throws Exception {
        bundleStates.put("io.debmonitor.source.dpkg", Bundle.RESOLVED);
        databaseFailure = new StorageUnavailableException("The database is unavailable.", null);
        HealthResource resource = resource();
        Response anonymous = resource.health(request(ANONYMOUS));
        assertEquals(503, anonymous.getStatus());
        assertEquals("{\"status\":\"unavailable\"}", anonymous.getEntity());
        assertEquals("5", anonymous.getHeaderString("Retry-After"));
        assertEquals("[\"io.debmonitor.source.dpkg is resolved\",\"the database is unavailable\"]",
                body(resource.health(request(CUMIN))).get("problems").toString());
    }

    @Test
    public void aStoppingKarafDrainsTheNode() throws Exception {
        HealthResource resource = resource();
        drain.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle("io.debmonitor.ui", Bundle.STOPPING, 42)));
        drain.bundleChanged(new BundleEvent(BundleEvent.STARTED, bundle("org.apache.felix.framework", Bundle.ACTIVE, 0)));
        assertEquals("only the system bundle's STOPPING drains", 200, resource.health(request(ANONYMOUS)).getStatus());
        drain.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle("org.apache.felix.framework", Bundle.STOPPING, 0)));
        Response anonymous = resource.health(request(ANONYMOUS));
        assertEquals(503, anonymous.getStatus());
        assertEquals("{\"status\":\"draining\"}", anonymous.getEntity());
        assertEquals("5", anonymous.getHeaderString("Retry-After"));
        assertEquals("draining", body(resource.health(request(CUMIN))).get("status").asText());
    }

    @Test
    public void theDrainHoldsTheStopUntilReleased() throws Exception {
        ShutdownDrain held = new ShutdownDrain(120);
        Thread stopping = new Thread(() -> held.bundleChanged(
                new BundleEvent(BundleEvent.STOPPING, bundle("org.apache.felix.framework", Bundle.STOPPING, 0))));
        stopping.start();
        while (!held.draining()) {
            Thread.onSpinWait();
        }
        assertTrue("the framework's shutdown thread is held", stopping.isAlive());
        held.release();
        stopping.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(stopping.isAlive());
    }

    @Test
    public void detailsShowWhichNodeRunsWhatWithWhichSettings() throws Exception {
        System.setProperty("karaf.name", "k1");
        configurationAdmin = admin("io.debmonitor.rest", "expectedSources", "hosts");
        JsonNode full = body(resource().health(request(CUMIN)));
        assertEquals("ready", full.get("status").asText());
        assertEquals("1.2.3", full.get("version").asText());
        assertEquals("k1", full.get("node").asText());
        assertEquals("2026-12-05T08:30:00Z", full.get("started").asText());
        assertTrue(full.get("config").asText(), full.get("config").asText().matches("[0-9a-f]{16}"));
        assertEquals(0, full.get("problems").size());
        assertEquals(2, full.get("bundles").size());
        assertTrue(body(resource().health(request(VIEWER))).has("config"));

        String other = body(resourceWith(admin("io.debmonitor.rest", "expectedSources", "hosts, images")).health(request(CUMIN)))
                .get("config").asText();
        assertFalse("different settings, different digest", full.get("config").asText().equals(other));
    }

    @Test
    public void withoutConfigurationAdminTheDigestIsLeftOut() throws Exception {
        JsonNode full = body(resource().health(request(CUMIN)));
        assertFalse(full.has("config"));
        assertTrue(full.has("bundles"));
    }

    @Test
    public void anonymousCallersSeeTheStatusOnly() throws Exception {
        configurationAdmin = admin("io.debmonitor.rest", "expectedSources", "hosts");
        bundleStates.put("io.debmonitor.ui", Bundle.STARTING);
        JsonNode anonymous = body(resource().health(request(ANONYMOUS)));
        assertEquals(List.of("status"), fieldNames(anonymous));
    }

    private HealthResource resource() {
        return resourceWith(configurationAdmin);
    }

    private HealthResource resourceWith(ConfigurationAdmin admin) {
        List<Bundle> bundles = new ArrayList<>();
        bundleStates.forEach((name, state) -> bundles.add(bundle(name, state, 10 + bundles.size())));
        bundles.add(bundle("org.apache.felix.scr", Bundle.RESOLVED, 5));
        BundleContext context = stub(BundleContext.class, Map.of(
                "getBundles", args -> bundles.toArray(new Bundle[0]),
                "getBundle", args -> bundle("io.debmonitor.rest", Bundle.ACTIVE, 11)));
        EntityService entities = stub(EntityService.class, Map.of("find", args -> {
            databaseQueries.incrementAndGet();
            if (databaseAnswers != null) {
                try {
                    databaseAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (databaseFailure != null) {
                throw databaseFailure;
            }
            return Optional.empty();
        }));
        return new HealthResource(context, stub(PackageSources.class, Map.of()), entities, Set.of(),
                stub(AccessService.class, Map.of("warnings", args -> List.of())), drain, () -> admin, STARTED);
    }

    /** A ConfigurationAdmin holding one DebMonitor configuration with one setting. */
    private static ConfigurationAdmin admin(String pid, String key, String value) {
        Hashtable<String, Object> properties = new Hashtable<>(Map.of(key, value));
        return ConfigDigestTest.admin(Map.of(pid, properties));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode body(Response response) throws Exception {
        return JSON.readTree((String) response.getEntity());
    }

    private static Bundle bundle(String name, int state, long id) {
        return stub(Bundle.class, Map.of(
                "getSymbolicName", args -> name,
                "getHeaders", args -> new Hashtable<String, String>(),
                "getState", args -> state,
                "getBundleId", args -> id,
                "getVersion", args -> Version.parseVersion("1.2.3")));
    }

    private static HttpServletRequest request(CallerDTO caller) {
        return stub(HttpServletRequest.class, Map.of(
                "getAttribute", args -> CallerDTO.REQUEST_ATTRIBUTE.equals(args[0]) ? caller : null,
                "isSecure", args -> true));
    }

    /** An implementation of {@code type} answering the named methods; any other call fails the test. */
    static <T> T stub(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new AssertionError("unexpected call of " + method);
            }
            return answer.apply(args);
        }));
    }
}
