package io.debmonitor.ui.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/** The dashboard at {@code /} (SPEC §5.3, CVE.md §11.5). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class DashboardResource {

    /** Debian's urgencies, highest first (CVE.md §7); the matrix lists any other value after them, by name. */
    static final List<String> URGENCIES = List.of("high", "medium", "low", "not yet assigned", "unimportant", "end-of-life");
    /** The state columns of the vulnerabilities matrix, in the order of CVE.md §11.5, then §7's accepted findings. */
    static final List<String> STATE_COLUMNS = List.of("fix_available", "fix_not_offered", "no_fix_yet", "deferred", "wont_fix", "minor",
            "point_release", "unsupported", "negligible", "needs_triage", "accepted");

    private final DashboardService dashboard;
    private final CveFleetService fleet;
    private final StalenessPolicy staleness;
    private final Pages pages;

    @Activate
    public DashboardResource(@Reference DashboardService dashboard, @Reference CveFleetService fleet, @Reference StalenessPolicy staleness,
            @Reference Pages pages) {
        this.dashboard = dashboard;
        this.fleet = fleet;
        this.staleness = staleness;
        this.pages = pages;
    }

    @GET
    public Response dashboard(@Context HttpServletRequest request) {
        return pages.detail(request, call -> {
            Map<String, Object> json = json(dashboard.counts());
            if (pages.cveEnabled()) {
                json.put("cves", cves(fleet.dashboard()));
            }
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

    /** @return the {@code cves} key of CVE.md §11.5: urgencies highest first, every state column in order */
    static Map<String, Object> cves(CveDashboardDTO fleet) {
        Map<String, Map<String, Long>> byUrgency = new LinkedHashMap<>();
        for (String urgency : URGENCIES) {
            if (fleet.matrix().containsKey(urgency)) {
                byUrgency.put(urgency, columns(fleet.matrix().get(urgency)));
            }
        }
        new TreeMap<>(fleet.matrix()).forEach((urgency, counts) -> byUrgency.putIfAbsent(urgency, columns(counts)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("matrix", byUrgency);
        Map<String, Object> fixableHigh = new LinkedHashMap<>();
        fixableHigh.put("hosts", fleet.fixableHighHosts());
        fixableHigh.put("images", fleet.fixableHighImages());
        json.put("fixable_high", fixableHigh);
        json.put("reboot_required", fleet.rebootRequired());
        json.put("not_assessed", CveViews.notAssessed(fleet));
        json.put("pending", fleet.pending());
        json.put("feed", CveViews.feed(fleet));
        return json;
    }

    /** @return every state column, 0 where the service has none, then any other column it has */
    private static Map<String, Long> columns(Map<String, Long> counts) {
        Map<String, Long> columns = new LinkedHashMap<>();
        for (String column : STATE_COLUMNS) {
            columns.put(column, counts.getOrDefault(column, 0L));
        }
        new TreeMap<>(counts).forEach(columns::putIfAbsent);
        return columns;
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
