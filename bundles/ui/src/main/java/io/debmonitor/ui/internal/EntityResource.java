package io.debmonitor.ui.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.AsOfDTO;
import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveService;
import io.debmonitor.core.model.api.EntityCvesPageDTO;
import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.HistoryEventDTO;
import io.debmonitor.core.model.api.HistoryFilter;
import io.debmonitor.core.model.api.HistoryService;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.StalenessPolicy;
import io.debmonitor.core.model.api.UpgradeFilter;

/** The hosts and images pages and their detail pages (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class EntityResource {

    static final Set<String> HOST_SORT_KEYS = Set.of("name", "os", "kernel", "modified", "packages", "upgrades", "security", "cves");
    static final Set<String> IMAGE_SORT_KEYS = Set.of("name", "os", "modified", "containers", "packages", "upgrades", "security", "cves");
    /** What a detail page offers besides HTML and JSON. */
    private static final Set<String> DETAIL_EXPORTS = Set.of(CycloneDxBom.FORMAT);
    /** The table's parameters, which an SBOM refuses: it lists every package. */
    private static final List<String> TABLE_PARAMETERS = List.of("page", "size", "sort", "dir", "q", "upgrades", "tab", "as_of");

    private final EntityService entities;
    private final KernelService kernels;
    private final KubernetesService kubernetes;
    private final StalenessPolicy staleness;
    private final CveFleetService cveFleet;
    private final HistoryService history;
    private final CveService cves;
    private final Pages pages;
    private final Clock clock;
    /** This bundle's version, which SBOMs name as the tool that wrote them. */
    private final String version;

    @Activate
    public EntityResource(@Reference EntityService entities, @Reference KernelService kernels, @Reference KubernetesService kubernetes,
            @Reference StalenessPolicy staleness, @Reference HistoryService history, @Reference CveService cves,
            @Reference CveFleetService cveFleet, @Reference Pages pages, BundleContext context) {
        this(entities, kernels, kubernetes, staleness, history, cves, cveFleet, pages, Clock.systemUTC(),
                context.getBundle().getVersion().toString());
    }

    EntityResource(EntityService entities, KernelService kernels, KubernetesService kubernetes, StalenessPolicy staleness,
            HistoryService history, CveService cves, CveFleetService cveFleet, Pages pages, Clock clock, String version) {
        this.entities = entities;
        this.kernels = kernels;
        this.kubernetes = kubernetes;
        this.staleness = staleness;
        this.history = history;
        this.cves = cves;
        this.cveFleet = cveFleet;
        this.pages = pages;
        this.clock = clock;
        this.version = version;
    }

    @GET
    @Path("hosts")
    public Response hosts(@Context HttpServletRequest request) {
        return pages.index(request, call -> list(call, EntityKind.HOST));
    }

    @GET
    @Path("images")
    public Response images(@Context HttpServletRequest request) {
        return pages.index(request, call -> list(call, EntityKind.IMAGE));
    }

    @GET
    @Path("hosts/{name}")
    public Response host(@PathParam("name") String name, @Context HttpServletRequest request) {
        return pages.detail(request, DETAIL_EXPORTS, call -> detail(call, EntityKind.HOST, name));
    }

    @GET
    @Path("images/{reference: .+}")
    public Response image(@PathParam("reference") String reference, @Context HttpServletRequest request) {
        return pages.imageLookup(request, reference, DETAIL_EXPORTS, call -> detail(call, EntityKind.IMAGE, reference));
    }

    private Response list(PageCall call, EntityKind kind) {
        boolean host = kind == EntityKind.HOST;
        Table table = call.table(host ? HOST_SORT_KEYS : IMAGE_SORT_KEYS,
                host ? List.of("q", "os", "upgrades", "stale", "cves") : List.of("q", "os", "upgrades", "in_use", "stale", "cves"), "name");
        String withCves = call.param("cves");
        if (withCves != null && !withCves.equals("affected") && !withCves.equals("fixable")) {
            throw PageException.badRequest("cves must be affected or fixable, not '" + withCves + "'.");
        }
        EntityFilter filter = new EntityFilter(call.param("q"), call.param("os"), call.upgrades(), host ? null : call.flag("in_use"), null,
                call.flag("stale"), withCves);
        PageDTO<EntityDTO> page = entities.list(kind, filter, table.request);
        Instant staleBefore = staleness.staleBefore(kind, clock.instant());
        List<Map<String, Object>> items = new ArrayList<>();
        for (EntityDTO entity : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", entity.name());
            item.put("url", Links.entity(kind, entity.name()));
            item.put("os", entity.os());
            if (host) {
                item.put("kernel", entity.kernel());
            }
            item.put("modified", Times.iso(entity.modified()));
            item.put("stale", isStale(entity, staleBefore));
            if (!host) {
                item.put("containers", entity.containers());
            }
            item.put("packages", entity.packages());
            item.put("upgrades", entity.upgrades());
            item.put("security", entity.security());
            item.put("cves", entity.cves());
            item.put("cves_fixable", entity.cvesFixable());
            items.add(item);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", host ? "Hosts" : "Images");
        model.put("kind", kind.word());
        model.put("staleThreshold", Times.span(staleness.threshold(kind)));
        model.put("table", table.view(page, items));
        return call.respond(host ? "hosts/index.ftlh" : "images/index.ftlh", model, table.json(page, items));
    }

    private Response detail(PageCall call, EntityKind kind, String name) {
        EntityDTO entity = entities.find(kind, name)
                .orElseThrow(() -> PageException.notFound("No " + kind.word() + " named '" + name + "'."));
        if (CycloneDxBom.FORMAT.equals(call.export)) {
            return sbom(call, entity);
        }
        String tab = call.param("tab");
        if (tab != null && !tab.equals("packages") && !tab.equals("history") && !tab.equals("cves")) {
            throw PageException.badRequest("tab must be packages, history or cves.");
        }
        String asOf = call.param("as_of");
        if ("history".equals(tab) || "cves".equals(tab)) {
            if (asOf != null) {
                throw PageException.badRequest("as_of applies to the packages, not to the " + tab + " tab.");
            }
            return tab.equals("history") ? history(call, entity) : cveTab(call, entity);
        }
        if (asOf != null) {
            return asOf(call, entity, HistoryParams.asOf(asOf, clock.instant()));
        }
        Table table = call.table(EntityService.ROW_SORT_KEYS, List.of("q", "upgrades"), "name");
        PageDTO<PackageRowDTO> page = entities.rows(kind, name, new RowFilter(call.param("q"), call.upgrades()), table.request);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PackageRowDTO row : page.items()) {
            rows.add(packageRow(row));
        }
        return respond(call, entity, "packages", "packages", table.json(page, rows), table.view(page, rows), Map.of());
    }

    /**
     * The entity's CVE findings (CVE.md §11.4): counted first, fix available first, urgency, CVE;
     * filtered by {@code q} (issue or source), {@code state}, {@code urgency} and {@code include}
     * (what the default view hides); in memory, one entity.
     */
    private Response cveTab(PageCall call, EntityDTO entity) {
        pages.requireCve();
        Table table = call.table(Set.of(), List.of("tab", "q", "state", "urgency", "include"));
        String state = call.param("state");
        CveViews.checkState(state);
        CveFilter filter = new CveFilter(call.param("q"), call.param("urgency"), state, null, null, CveViews.include(call.param("include")));
        EntityCvesPageDTO found = cves.page(entity.kind(), entity.name(), filter, table.request)
                .orElseThrow(() -> PageException.notFound("No " + entity.kind().word() + " named '" + entity.name() + "'."));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CveFindingDTO finding : found.findings().items()) {
            rows.add(CveViews.item(finding, entity));
        }
        PageDTO<CveFindingDTO> page = found.findings();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("coverage", CveViews.coverage(found.coverage()));
        extra.put("counts", CveViews.counts(found.counts()));
        // Every CVE page warns of a stale feed (CVE.md §10); the fleet summary is computed in the background.
        CveDashboardDTO fleet = cveFleet.dashboard();
        if (fleet != null) {
            extra.put("feed", CveViews.feed(fleet));
        }
        if (found.kernel() != null) {
            // CVE.md §11.4 calls it "kernel", which the summary already uses for the kernel's name (SPEC §5.2).
            extra.put("running_kernel", CveViews.kernel(found.kernel()));
        }
        return respond(call, entity, "cves", "cves", table.json(page, rows), table.view(page, rows), extra);
    }

    /** The timeline of the entity's package changes, newest first, filtered by package and period. */
    private Response history(PageCall call, EntityDTO entity) {
        Table table = call.table(Set.of(), List.of("tab", "package", "from", "to"), "id");
        HistoryFilter filter = new HistoryFilter(call.param("package"), HistoryParams.start("from", call.param("from")),
                HistoryParams.end("to", call.param("to")));
        PageDTO<HistoryEventDTO> page = history.timeline(entity.kind(), entity.name(), filter, table.request);
        List<Map<String, Object>> events = new ArrayList<>();
        for (HistoryEventDTO event : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", event.id());
            item.put("created", Times.iso(event.created()));
            item.put("event", event.event().wireName());
            item.put("package", event.packageName());
            item.put("url", event.packageName() == null ? null : Links.packagePage(event.packageName()));
            item.put("version_before", event.versionBefore());
            item.put("version_after", event.versionAfter());
            item.put("upgrade_before", event.upgradeBefore());
            item.put("upgrade_after", event.upgradeAfter());
            item.put("upgrade_type_before", event.upgradeTypeBefore());
            item.put("upgrade_type_after", event.upgradeTypeAfter());
            item.put("update_type", event.updateType());
            events.add(item);
        }
        return respond(call, entity, "history", "history", table.json(page, events), table.view(page, events), Map.of());
    }

    /**
     * The entity's packages as they were at a past time, or why that is not known; filtered,
     * sorted and paged in memory (one entity's rows), in the same orders as today's table.
     */
    private Response asOf(PageCall call, EntityDTO entity, Instant when) {
        Table table = call.table(EntityService.ROW_SORT_KEYS, List.of("as_of", "q", "upgrades"));
        AsOfDTO state = history.asOf(entity.kind(), entity.name(), when)
                .orElseThrow(() -> PageException.notFound("No " + entity.kind().word() + " named '" + entity.name() + "'."));
        String q = call.param("q") == null ? null : call.param("q").toLowerCase(Locale.ROOT);
        UpgradeFilter upgrades = call.upgrades();
        List<PackageRowDTO> matching = new ArrayList<>();
        for (PackageRowDTO row : state.rows()) {
            boolean named = q == null || row.name().toLowerCase(Locale.ROOT).contains(q);
            boolean upgradable = upgrades == UpgradeFilter.ALL || (upgrades == UpgradeFilter.UPGRADABLE ? row.upgrade() != null
                    : row.isSecurityUpgrade());
            if (named && upgradable) {
                matching.add(row);
            }
        }
        matching.sort(rowOrder(table.request));
        int from = (int) Math.min(matching.size(), table.request.offset());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PackageRowDTO row : matching.subList(from, Math.min(matching.size(), from + table.request.size()))) {
            rows.add(packageRow(row));
        }
        PageDTO<PackageRowDTO> page = new PageDTO<>(table.request.page(), table.request.size(), matching.size(), List.of());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("as_of", Times.iso(state.asOf()));
        extra.put("known", state.known());
        extra.put("known_since", Times.iso(state.knownSince()));
        return respond(call, entity, "as_of", "packages", table.json(page, rows), table.view(page, rows), extra);
    }

    /** The orders of {@link EntityService#ROW_SORT_KEYS}, as the service sorts today's rows. */
    static Comparator<PackageRowDTO> rowOrder(PageRequest request) {
        Comparator<String> dpkg = Comparator.nullsFirst(DebianVersion::compare);
        Comparator<PackageRowDTO> key;
        if (request.sort() == null) {
            key = Comparator.comparingInt((PackageRowDTO row) -> row.isSecurityUpgrade() ? 0 : row.upgrade() != null ? 1 : 2);
        } else {
            key = switch (request.sort()) {
                case "version" -> Comparator.comparing(PackageRowDTO::version, dpkg);
                case "upgrade" -> Comparator.comparing(PackageRowDTO::upgrade, dpkg);
                case "upgrade_type" -> Comparator.comparing(PackageRowDTO::upgradeType, Comparator.nullsFirst(Comparator.<String>naturalOrder()));
                default -> Comparator.comparing(PackageRowDTO::name);
            };
            if (request.descending()) {
                key = key.reversed();
            }
        }
        return key.thenComparing(PackageRowDTO::name);
    }

    private static Map<String, Object> packageRow(PackageRowDTO row) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", row.name());
        item.put("url", Links.packagePage(row.name()));
        item.put("version", row.version());
        item.put("upgrade", row.upgrade());
        item.put("upgrade_type", row.upgradeType());
        return item;
    }

    /**
     * The detail page or its JSON: the entity's summary, then {@code extra}, then the view's table
     * under {@code tableKey}.
     *
     * @param view packages, history or as_of: what the template shows under the summary
     */
    private Response respond(PageCall call, EntityDTO entity, String view, String tableKey, Map<String, Object> tableJson,
            Map<String, Object> tableView, Map<String, Object> extra) {
        if (call.chunk != null) {
            // A chunk of a table export: the table has its rows; the summary would be read for nothing.
            return call.json(tableJson);
        }
        Map<String, Object> summary = summary(call, entity);
        Map<String, Object> json = new LinkedHashMap<>(summary);
        json.putAll(extra);
        json.put(tableKey, tableJson);
        if (call.json) {
            return call.json(json);
        }
        boolean host = entity.kind() == EntityKind.HOST;
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", entity.name());
        model.put("kind", entity.kind().word());
        model.put("entity", summary);
        model.put("staleThreshold", Times.span(staleness.threshold(entity.kind())));
        model.put("counts", Map.of("packages", entity.packages(), "upgrades", entity.upgrades(), "security", entity.security()));
        model.put("view", view);
        model.put("pageUrl", Links.entity(entity.kind(), entity.name()));
        model.put("extra", extra);
        model.put("table", tableView);
        return call.html(host ? "hosts/detail.ftlh" : "images/detail.ftlh", model);
    }

    private Map<String, Object> summary(PageCall call, EntityDTO entity) {
        boolean host = entity.kind() == EntityKind.HOST;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", entity.name());
        summary.put("os", entity.os());
        if (host) {
            summary.put("kernel", entity.kernel());
            summary.put("kernel_url", kernelUrl(entity));
            summary.put("kernel_release", entity.kernelRelease());
        }
        summary.put("created", Times.iso(entity.created()));
        summary.put("modified", Times.iso(entity.modified()));
        summary.put("stale", isStale(entity, staleness.staleBefore(entity.kind(), clock.instant())));
        if (!host) {
            summary.put("digest", entity.digest());
            summary.put("containers", entity.containers());
            List<Map<String, Object>> deployments = new ArrayList<>();
            for (KubernetesRowDTO row : kubernetes.ofImage(entity.name())) {
                Map<String, Object> deployment = new LinkedHashMap<>();
                deployment.put("cluster", row.cluster());
                deployment.put("namespace", row.namespace());
                deployment.put("containers", row.containers());
                Map<String, String> filter = new LinkedHashMap<>();
                filter.put("cluster", row.cluster());
                filter.put("namespace", row.namespace());
                deployment.put("url", Links.withQuery("/kubernetes/", filter));
                deployments.add(deployment);
            }
            summary.put("kubernetes", deployments);
        }
        summary.put("links", externalLinks(entity.kind(), entity.name(), call.settings));
        return summary;
    }

    private Response sbom(PageCall call, EntityDTO entity) {
        for (String parameter : TABLE_PARAMETERS) {
            if (call.param(parameter) != null) {
                throw PageException.badRequest("format=" + CycloneDxBom.FORMAT + " takes no " + parameter + ": the SBOM lists every package.");
            }
        }
        List<BomPackage> packages = new ArrayList<>();
        for (InstalledDTO row : entities.installed(entity.kind(), entity.name())) {
            packages.add(new BomPackage(row.name(), row.version(), row.source(), row.sourceVersion()));
        }
        String bom = Pages.toJson(CycloneDxBom.of(entity, packages, version, clock.instant(), UUID.randomUUID()));
        return call.attachment(CycloneDxBom.MEDIA_TYPE, CycloneDxBom.fileName(entity.name()), bom);
    }

    private static boolean isStale(EntityDTO entity, Instant staleBefore) {
        return entity.modified() != null && entity.modified().isBefore(staleBefore);
    }

    /** @return the running kernel's page, or null when the host has no kernel or it is not stored */
    private String kernelUrl(EntityDTO host) {
        if (host.kernel() == null) {
            return null;
        }
        for (KernelDTO kernel : kernels.list(host.kernel(), host.os(), new PageRequest(1, 100, null, false)).items()) {
            if (kernel.name().equals(host.kernel())) {
                return Links.kernel(kernel.key());
            }
        }
        return null;
    }

    static List<Map<String, String>> externalLinks(EntityKind kind, String name, UiSettings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("fqdn", name);
        List<UiSettings.LinkTemplate> templates;
        if (kind == EntityKind.HOST) {
            int dot = name.indexOf('.');
            values.put("hostname", dot < 0 ? name : name.substring(0, dot));
            templates = settings.hostLinks;
        } else {
            values.put("image_path", imagePath(name));
            templates = settings.imageLinks;
        }
        List<Map<String, String>> links = new ArrayList<>();
        for (UiSettings.LinkTemplate template : templates) {
            Map<String, String> link = new LinkedHashMap<>();
            link.put("label", template.label());
            link.put("url", template.expand(values));
            links.add(link);
        }
        return links;
    }

    /**
     * The reference after its first '/' (the registry), without a digest or trailing ':tag'; the
     * whole reference without them when there is no '/'.
     */
    static String imagePath(String reference) {
        int slash = reference.indexOf('/');
        String path = slash < 0 ? reference : reference.substring(slash + 1);
        int at = path.indexOf('@');
        if (at >= 0) {
            path = path.substring(0, at);
        }
        int colon = path.lastIndexOf(':');
        if (colon > path.lastIndexOf('/')) {
            path = path.substring(0, colon);
        }
        return path;
    }
}
