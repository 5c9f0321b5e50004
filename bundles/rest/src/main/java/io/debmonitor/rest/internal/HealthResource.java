package io.debmonitor.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * {@code GET /healthz} for load balancers: anonymous callers get the status only, 200 when this
 * node can serve (every installed DebMonitor bundle active, the database answering) and 503
 * otherwise. A caller with an identity or a UI session also gets the version, the state of every
 * DebMonitor bundle (so version skew between nodes shows) and warnings, such as an expected
 * package source that is not installed (its reports get 503, but the node serves the rest).
 */
@Path("/")
public class HealthResource {

    private static final String BUNDLE_PREFIX = "io.debmonitor.";

    private final BundleContext context;
    private final PackageSources sources;
    private final EntityService entities;
    private final Set<String> expectedSources;
    private final AccessService access;

    HealthResource(BundleContext context, PackageSources sources, EntityService entities, Set<String> expectedSources,
            AccessService access) {
        this.context = context;
        this.access = access;
        this.sources = sources;
        this.entities = entities;
        this.expectedSources = expectedSources;
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
        try {
            entities.find(EntityKind.HOST, "healthz.invalid");
        } catch (StorageUnavailableException e) {
            problems.add("the database is unavailable");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "ready" : "unavailable");
        CallerDTO caller = SecurityFilter.caller(request);
        if (caller.verified() || caller.session() != null) {
            body.put("version", context.getBundle().getVersion().toString());
            body.put("problems", problems);
            body.put("warnings", warnings);
            body.put("bundles", bundles);
        }
        Response.ResponseBuilder response = Response.status(problems.isEmpty() ? 200 : 503).type(ErrorResponses.JSON)
                .entity(ErrorResponses.json(body)).header("Cache-Control", "no-store");
        if (!problems.isEmpty()) {
            response.header("Retry-After", "5");
        }
        return response.build();
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
