package io.debmonitor.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * {@code GET /healthz} for load balancers. Anonymous callers get the status only:
 * <ul>
 * <li>200 {@code ready}: every installed DebMonitor bundle is active and the database answers;
 * <li>200 {@code degraded}: only the database is unavailable. The node stays in the load balancer,
 * since the database is the same for every node (a Galera failover would otherwise take all of
 * them out at once); requests that need it get 503 with Retry-After from the application;
 * <li>503 {@code unavailable}: a DebMonitor bundle is not active, this node cannot serve;
 * <li>503 {@code draining}: Karaf is stopping and holds its bundles for {@code drainSeconds}
 * ({@link ShutdownDrain}); every other request is still served meanwhile.
 * </ul>
 * A caller with an identity or a UI session also gets the version, this node's name
 * ({@code karaf.name}), when the application started, the digest of its settings
 * ({@link ConfigDigest}; left out while ConfigurationAdmin is missing), the problems, the state of
 * every DebMonitor bundle (so skew between nodes shows) and warnings, such as an expected package
 * source that is not installed (its reports get 503, but the node serves the rest).
 */
@Path("/")
public class HealthResource {

    private static final String BUNDLE_PREFIX = "io.debmonitor.";
    /** HAProxy gives a whole check its interval (2 s in the lab); a database that hangs must not use it up. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private final BundleContext context;
    private final PackageSources sources;
    private final EntityService entities;
    private final Set<String> expectedSources;
    private final AccessService access;
    private final ShutdownDrain drain;
    private final Supplier<ConfigurationAdmin> configurationAdmin;
    private final Instant started;
    /** The database probe in progress or the last one: checks that arrive during a probe wait for it instead of starting more. */
    private final AtomicReference<CompletableFuture<Void>> probe = new AtomicReference<>(CompletableFuture.completedFuture(null));
    /** When the current probe started; one stuck longer than {@link #PROBE_ABANDON} (a dead TCP connection) is left behind. */
    private volatile long probeStarted = System.nanoTime();
    static final Duration PROBE_ABANDON = Duration.ofSeconds(30);

    HealthResource(BundleContext context, PackageSources sources, EntityService entities, Set<String> expectedSources,
            AccessService access, ShutdownDrain drain, Supplier<ConfigurationAdmin> configurationAdmin, Instant started) {
        this.context = context;
        this.access = access;
        this.sources = sources;
        this.entities = entities;
        this.expectedSources = expectedSources;
        this.drain = drain;
        this.configurationAdmin = configurationAdmin;
        this.started = started;
    }

    @GET
    @Path("healthz")
    public Response health(@Context HttpServletRequest request) {
        List<String> problems = new ArrayList<>();
        List<Map<String, String>> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith(BUNDLE_PREFIX)
                    && bundle.getHeaders().get("Fragment-Host") == null) {
                String state = state(bundle.getState());
                bundles.add(Map.of("name", bundle.getSymbolicName(), "version", bundle.getVersion().toString(), "state", state));
                if (bundle.getState() != Bundle.ACTIVE) {
                    problems.add(bundle.getSymbolicName() + " is " + state);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String collection : expectedSources) {
            if (sources.find(collection).isEmpty()) {
                warnings.add("no package source serves /" + collection + "/ (expectedSources)");
            }
        }
        warnings.addAll(access.warnings());
        String status = drain.draining() ? "draining" : problems.isEmpty() ? "ready" : "unavailable";
        String database = databaseProblem();
        if (database != null) {
            problems.add(database);
            status = status.equals("ready") ? "degraded" : status;
        }
        boolean serving = status.equals("ready") || status.equals("degraded");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        CallerDTO caller = SecurityFilter.caller(request);
        if (caller.verified() || caller.session() != null) {
            body.put("version", context.getBundle().getVersion().toString());
            body.put("node", System.getProperty("karaf.name"));
            body.put("started", started.toString());
            ConfigurationAdmin admin = configurationAdmin.get();
            String digest = admin == null ? null : ConfigDigest.of(admin);
            if (digest != null) {
                body.put("config", digest);
            }
            body.put("problems", problems);
            body.put("warnings", warnings);
            body.put("bundles", bundles);
        }
        Response.ResponseBuilder response = Response.status(serving ? 200 : 503).type(ErrorResponses.JSON)
                .entity(ErrorResponses.json(body)).header("Cache-Control", "no-store");
        if (!serving) {
            response.header("Retry-After", "5");
        }
        return response.build();
    }

    /** @return what is wrong with the database, or null when a query answered within {@link #PROBE_WAIT} */
    private String databaseProblem() {
        CompletableFuture<Void> current = probe.get();
        if (current.isDone() || System.nanoTime() - probeStarted > PROBE_ABANDON.toNanos()) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            if (probe.compareAndSet(current, next)) {
                probeStarted = System.nanoTime();
                Thread thread = new Thread(() -> {
                    try {
                        entities.find(EntityKind.HOST, "healthz.invalid");
                        next.complete(null);
                    } catch (Throwable e) {
                        next.completeExceptionally(e);
                    }
                }, "debmonitor-healthz-database");
                thread.setDaemon(true);
                thread.start();
            }
            current = probe.get();
        }
        try {
            current.get(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "the database did not answer within " + PROBE_WAIT.toSeconds() + " s";
        } catch (ExecutionException e) {
            return e.getCause() instanceof StorageUnavailableException ? "the database is unavailable"
                    : "the database check failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the database check was interrupted";
        }
    }

    private static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "active";
            case Bundle.STARTING: return "starting";
            case Bundle.STOPPING: return "stopping";
            case Bundle.RESOLVED: return "resolved";
            case Bundle.INSTALLED: return "installed";
            default: return "uninstalled";
        }
    }
}
