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

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.PageDTO;

/** The kernels page and the kernel detail page (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class KernelResource {

    private final KernelService kernels;
    private final Pages pages;

    @Activate
    public KernelResource(@Reference KernelService kernels, @Reference Pages pages) {
        this.kernels = kernels;
        this.pages = pages;
    }

    @GET
    @Path("kernels")
    public Response kernels(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    @GET
    @Path("kernels/{key}")
    public Response kernel(@PathParam("key") String key, @Context HttpServletRequest request) {
        return pages.detail(request, call -> detail(call, key));
    }

    private Response list(PageCall call) {
        Table table = call.table(KernelService.LIST_SORT_KEYS, List.of("q", "os"));
        PageDTO<KernelDTO> page = kernels.list(call.param("q"), call.param("os"), table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (KernelDTO kernel : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("os", kernel.os());
            item.put("name", kernel.name());
            item.put("url", Links.kernel(kernel.key()));
            item.put("hosts", kernel.hosts());
            items.add(item);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Kernels");
        model.put("table", table.view(page, items));
        return call.respond("kernels/index.ftlh", model, table.json(page, items));
    }

    private Response detail(PageCall call, String key) {
        KernelDTO kernel = kernels.find(key).orElseThrow(() -> PageException.notFound("No kernel '" + key + "'."));
        Table table = call.table(KernelService.HOST_SORT_KEYS, List.of("q"));
        PageDTO<EntityDTO> page = kernels.hosts(key, call.param("q"), table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (EntityDTO host : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", host.name());
            item.put("url", Links.host(host.name()));
            item.put("release", host.kernelRelease());
            item.put("modified", Times.iso(host.modified()));
            items.add(item);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", kernel.name());
        json.put("os", kernel.os());
        json.put("host_count", kernel.hosts());
        json.put("hosts", table.json(page, items));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", kernel.name());
        model.put("kernel", Map.of("name", kernel.name(), "os", kernel.os(), "hosts", kernel.hosts()));
        model.put("table", table.view(page, items));
        return call.respond("kernels/detail.ftlh", model, json);
    }
}
