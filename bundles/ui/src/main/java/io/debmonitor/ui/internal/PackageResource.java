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

import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;

/** The binary packages page and the binary package detail page (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class PackageResource {

    private final PackageService packages;
    private final Pages pages;

    @Activate
    public PackageResource(@Reference PackageService packages, @Reference Pages pages) {
        this.packages = packages;
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
        if (versions.isEmpty()) {
            throw PageException.notFound("No binary package named '" + name + "'.");
        }
        Table table = call.table(PackageService.HOLDER_SORT_KEYS, List.of("q", "os", "version", "kind", "upgrades"));
        HolderFilter filter = new HolderFilter(call.param("q"), call.param("os"), call.param("version"), call.kind(), call.upgrades());
        PageDTO<PackageHolderDTO> page = packages.holders(name, filter, table.request);

        List<Map<String, Object>> sources = new ArrayList<>();
        for (String source : packages.sources(name)) {
            sources.add(Links.named(source, Links.sourcePackage(source)));
        }
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
        model.put("sources", sources);
        model.put("oses", json.get("oses"));
        model.put("table", table.view(page, items));
        boolean grouped = table.sort == null || table.sort.equals("os") || table.sort.equals("version");
        model.put("rows", grouped ? grouped(items, versions) : Table.plainRows(items));
        return call.html("packages/detail.ftlh", model);
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
