package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HistoryService;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.RolloutDTO;

/** The binary packages page and the binary package detail page (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class PackageResource {

    static final int DEFAULT_ROLLOUT_DAYS = 90;

    private final PackageService packages;
    private final HistoryService history;
    private final Pages pages;

    @Activate
    public PackageResource(@Reference PackageService packages, @Reference HistoryService history, @Reference Pages pages) {
        this.packages = packages;
        this.history = history;
        this.pages = pages;
    }

    @GET
    @Path("packages")
    public Response packages(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    @GET
    @Path("packages/{name}")
    public Response binaryPackage(@PathParam("name") String name, @Context HttpServletRequest request) {
        return pages.detail(request, call -> detail(call, name));
    }

    private Response list(PageCall call) {
        Table table = call.table(PackageService.LIST_SORT_KEYS, List.of("q", "os"));
        PageDTO<PackageSummaryDTO> page = packages.list(call.param("q"), call.param("os"), table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (PackageSummaryDTO summary : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", summary.name());
            item.put("url", Links.packagePage(summary.name()));
            item.put("versions", summary.versions());
            item.put("oses", summary.oses());
            item.put("installed", summary.installed());
            item.put("upgrades", summary.upgrades());
            item.put("security", summary.security());
            items.add(item);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Binary Packages");
        model.put("table", table.view(page, items));
        return call.respond("packages/index.ftlh", model, table.json(page, items));
    }

    private Response detail(PageCall call, String name) {
        List<PackageVersionCountDTO> versions = packages.versions(name);
        String tab = call.param("tab");
        if (tab != null && !tab.equals("holders") && !tab.equals("rollout")) {
            throw PageException.badRequest("tab must be holders or rollout.");
        }
        if ("rollout".equals(tab)) {
            return rollout(call, name, versions);
        }
        if (call.param("days") != null) {
            throw PageException.badRequest("days applies to the rollout tab (tab=rollout).");
        }
        if (versions.isEmpty()) {
            throw PageException.notFound("No binary package named '" + name + "'.");
        }
        Table table = call.table(PackageService.HOLDER_SORT_KEYS, List.of("q", "os", "version", "kind", "upgrades"));
        HolderFilter filter = new HolderFilter(call.param("q"), call.param("os"), call.param("version"), call.kind(), call.upgrades());
        PageDTO<PackageHolderDTO> page = packages.holders(name, filter, table.request);

        if (call.chunk != null) {
            // A chunk of a table export: only the table's rows are needed.
            return call.json(table.json(page, holderItems(page)));
        }
        List<Map<String, Object>> sources = new ArrayList<>();
        for (String source : packages.sources(name)) {
            sources.add(Links.named(source, Links.sourcePackage(source)));
        }
        List<Map<String, Object>> items = holderItems(page);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("sources", sources);
        json.put("oses", byOs(name, versions));
        json.put("rows", table.json(page, items));
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", name);
        model.put("pageUrl", Links.packagePage(name));
        model.put("sources", sources);
        model.put("oses", json.get("oses"));
        model.put("table", table.view(page, items));
        boolean grouped = table.sort == null || table.sort.equals("os") || table.sort.equals("version");
        model.put("rows", grouped ? grouped(items, versions) : Table.plainRows(items));
        return call.html("packages/detail.ftlh", model);
    }

    private static List<Map<String, Object>> holderItems(PageDTO<PackageHolderDTO> page) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (PackageHolderDTO holder : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("os", holder.os());
            item.put("version", holder.version());
            item.put("name", holder.name());
            item.put("kind", holder.kind().word());
            item.put("url", Links.entity(holder.kind(), holder.name()));
            item.put("upgrade", holder.upgrade());
            item.put("upgrade_type", holder.upgradeType());
            items.add(item);
        }
        return items;
    }

    /**
     * Hosts (or images) on each version at the end of each day, from history. A package that no
     * longer exists keeps its rollout: its last hosts' removals are history too.
     */
    private Response rollout(PageCall call, String name, List<PackageVersionCountDTO> versions) {
        EntityKind kind = call.kind() == null ? EntityKind.HOST : call.kind();
        int days = days(call.param("days"));
        for (String parameter : List.of("page", "size", "sort", "dir", "q", "os", "version", "upgrades")) {
            if (call.param(parameter) != null) {
                throw PageException.badRequest("The rollout takes no " + parameter + "; it counts every " + kind.word() + ".");
            }
        }
        RolloutDTO rollout = history.rollout(kind, name, days);
        if (versions.isEmpty() && rollout.versions().isEmpty()) {
            throw PageException.notFound("No binary package named '" + name + "'.");
        }
        List<Map<String, Object>> table = new ArrayList<>();
        for (RolloutDTO.Day day : rollout.days()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", day.day().toString());
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int i = 0; i < rollout.versions().size(); i++) {
                counts.put(rollout.versions().get(i), day.counts().get(i));
            }
            row.put("versions", counts);
            row.put("unknown", day.unknown());
            table.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("kind", kind.word());
        json.put("days", days);
        json.put("versions", rollout.versions());
        json.put("rollout", table);
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>(json);
        model.put("title", name);
        model.put("pageUrl", Links.packagePage(name));
        model.put("chart", RolloutChart.of(rollout, kind.word() + "s"));
        model.put("empty", rollout.versions().isEmpty() && rollout.days().stream().allMatch(day -> day.unknown() == 0));
        model.put("first", rollout.days().get(0).day().toString());
        model.put("last", rollout.days().get(rollout.days().size() - 1).day().toString());
        return call.html("packages/rollout.ftlh", model);
    }

    private static int days(String value) {
        String message = "days must be a whole number from 1 to " + HistoryService.MAX_ROLLOUT_DAYS + ".";
        if (value == null) {
            return DEFAULT_ROLLOUT_DAYS;
        }
        try {
            int days = Integer.parseInt(value);
            if (days < 1 || days > HistoryService.MAX_ROLLOUT_DAYS) {
                throw PageException.badRequest(message);
            }
            return days;
        } catch (NumberFormatException e) {
            throw PageException.badRequest(message);
        }
    }

    /** Per OS, in the service's order: totals and the versions with their counts. */
    private static List<Map<String, Object>> byOs(String name, List<PackageVersionCountDTO> versions) {
        Map<String, Map<String, Object>> oses = new LinkedHashMap<>();
        for (PackageVersionCountDTO count : versions) {
            Map<String, Object> os = oses.computeIfAbsent(count.os(), osName -> {
                Map<String, Object> fresh = new LinkedHashMap<>();
                fresh.put("os", osName);
                fresh.put("installed", 0L);
                fresh.put("upgradable", 0L);
                fresh.put("security", 0L);
                fresh.put("versions", new ArrayList<Map<String, Object>>());
                return fresh;
            });
            os.merge("installed", count.installed(), (a, b) -> (Long) a + (Long) b);
            os.merge("upgradable", count.upgradable(), (a, b) -> (Long) a + (Long) b);
            os.merge("security", count.security(), (a, b) -> (Long) a + (Long) b);
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", count.version());
            version.put("installed", count.installed());
            version.put("upgradable", count.upgradable());
            version.put("security", count.security());
            Map<String, String> filter = new LinkedHashMap<>();
            filter.put("os", count.os());
            filter.put("version", count.version());
            version.put("url", Links.withQuery(Links.packagePage(name), filter));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) os.get("versions");
            list.add(version);
        }
        return new ArrayList<>(oses.values());
    }

    /** The table's rows with a group header at each change of OS or version, counting that version's installs. */
    private static List<Map<String, Object>> grouped(List<Map<String, Object>> items, List<PackageVersionCountDTO> versions) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Object os = null;
        Object version = null;
        for (Map<String, Object> item : items) {
            if (!Objects.equals(os, item.get("os")) || !Objects.equals(version, item.get("version"))) {
                os = item.get("os");
                version = item.get("version");
                long installed = 0;
                for (PackageVersionCountDTO count : versions) {
                    if (count.os().equals(os) && count.version().equals(version)) {
                        installed = count.installed();
                    }
                }
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("label", os + " · " + version);
                group.put("count", installed);
                rows.add(Map.of("group", group));
            }
            rows.add(Map.of("item", item));
        }
        return rows;
    }
}
