package io.debmonitor.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/** The dashboard at {@code /} (SPEC §5.3). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class DashboardResource {

    private final DashboardService dashboard;
    private final StalenessPolicy staleness;
    private final Pages pages;

    @Activate
    public DashboardResource(@Reference DashboardService dashboard, @Reference StalenessPolicy staleness, @Reference Pages pages) {
        this.dashboard = dashboard;
        this.staleness = staleness;
        this.pages = pages;
    }

    @GET
    public Response dashboard(@Context HttpServletRequest request) {
        return pages.detail(request, call -> {
            Map<String, Object> json = json(dashboard.counts());
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("title", "DebMonitor");
            model.put("counts", json);
            model.put("staleThresholds", Map.of("hosts", Times.span(staleness.threshold(EntityKind.HOST)),
                    "images", Times.span(staleness.threshold(EntityKind.IMAGE))));
            return call.respond("dashboard.ftlh", model, json);
        });
    }

    /** @return the exact JSON shape of SPEC §5.3 */
    static Map<String, Object> json(DashboardDTO counts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("hosts", entities(counts.hosts()));
        json.put("images", entities(counts.images()));
        json.put("kernels", Map.of("total", counts.kernels()));
        json.put("kubernetes", Map.of("rows", counts.kubernetesRows()));
        json.put("packages", targets(counts.packages()));
        json.put("package_versions", targets(counts.packageVersions()));
        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("total", counts.sourcePackages());
        sources.put("versions", counts.sourcePackageVersions());
        json.put("source_packages", sources);
        Map<String, Object> upgrades = new LinkedHashMap<>();
        upgrades.put("hosts", counts.upgrades().hosts());
        upgrades.put("images", counts.upgrades().images());
        upgrades.put("hosts_security", counts.upgrades().hostsSecurity());
        upgrades.put("images_security", counts.upgrades().imagesSecurity());
        json.put("upgrades", upgrades);
        return json;
    }

    private static Map<String, Object> entities(DashboardDTO.Entities entities) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", entities.total());
        json.put("with_upgrades", entities.withUpgrades());
        json.put("with_security", entities.withSecurity());
        json.put("latest_update", Times.iso(entities.latestUpdate()));
        json.put("oldest_update", Times.iso(entities.oldestUpdate()));
        json.put("stale", entities.stale());
        return json;
    }

    private static Map<String, Object> targets(DashboardDTO.Targets targets) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", targets.total());
        json.put("with_upgrades", targets.withUpgrades());
        json.put("with_security", targets.withSecurity());
        return json;
    }
}
