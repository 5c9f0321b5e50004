package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SourcePackageService;
import io.debmonitor.core.model.api.SourcePackageSummaryDTO;
import io.debmonitor.core.model.api.SourceVersionDTO;

/** The source packages page and the source package detail page (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class SourcePackageResource {

    private final SourcePackageService sources;
    private final Pages pages;

    @Activate
    public SourcePackageResource(@Reference SourcePackageService sources, @Reference Pages pages) {
        this.sources = sources;
        this.pages = pages;
    }

    @GET
    @Path("source-packages")
    public Response sourcePackages(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    @GET
    @Path("source-packages/{name}")
    public Response sourcePackage(@PathParam("name") String name, @Context HttpServletRequest request) {
        return pages.detail(request, call -> detail(call, name));
    }

    private Response list(PageCall call) {
        Table table = call.table(SourcePackageService.LIST_SORT_KEYS, List.of("q", "os"));
        PageDTO<SourcePackageSummaryDTO> page = sources.list(call.param("q"), call.param("os"), table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (SourcePackageSummaryDTO summary : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", summary.name());
            item.put("url", Links.sourcePackage(summary.name()));
            item.put("versions", summary.versions());
            item.put("oses", summary.oses());
            items.add(item);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Source Packages");
        model.put("table", table.view(page, items));
        return call.respond("source-packages/index.ftlh", model, table.json(page, items));
    }

    private Response detail(PageCall call, String name) {
        Table table = call.table(SourcePackageService.VERSION_SORT_KEYS, List.of("os"));
        String os = call.param("os");
        PageDTO<SourceVersionDTO> page = sources.versions(name, os, table.request);
        if (page.total() == 0 && (os == null || sources.versions(name, null, PageRequest.first(1)).total() == 0)) {
            throw PageException.notFound("No source package named '" + name + "'.");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (SourceVersionDTO version : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("os", version.os());
            item.put("version", version.version());
            List<Map<String, Object>> binaries = new ArrayList<>();
            for (String binary : version.binaries()) {
                binaries.add(Links.named(binary, Links.packagePage(binary)));
            }
            item.put("binaries", binaries);
            items.add(item);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("versions", table.json(page, items));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", name);
        model.put("table", table.view(page, items));
        return call.respond("source-packages/detail.ftlh", model, json);
    }
}
