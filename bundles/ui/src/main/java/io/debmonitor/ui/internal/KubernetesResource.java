package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** The live kubernetes images page (SPEC §5.2). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class KubernetesResource {

    private final KubernetesService kubernetes;
    private final Pages pages;

    @Activate
    public KubernetesResource(@Reference KubernetesService kubernetes, @Reference Pages pages) {
        this.kubernetes = kubernetes;
        this.pages = pages;
    }

    @GET
    @Path("kubernetes")
    public Response kubernetes(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    private Response list(PageCall call) {
        Table table = call.table(KubernetesService.LIST_SORT_KEYS, List.of("cluster", "namespace", "q"));
        String cluster = call.param("cluster");
        String namespace = call.param("namespace");
        String q = call.param("q");
        PageDTO<KubernetesRowDTO> page = kubernetes.list(cluster, namespace, q, table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (KubernetesRowDTO row : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("cluster", row.cluster());
            item.put("namespace", row.namespace());
            item.put("image", row.image());
            item.put("url", Links.image(row.image()));
            item.put("os", row.os());
            item.put("containers", row.containers());
            item.put("modified", Times.iso(row.modified()));
            items.add(item);
        }
        if (call.json) {
            return call.json(table.json(page, items));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Live Kubernetes Images");
        model.put("table", table.view(page, items));
        model.put("rows", table.sort == null ? grouped(items, q) : Table.plainRows(items));
        return call.html("kubernetes/index.ftlh", model);
    }

    /**
     * The rows with a header at each change of cluster (level 1) and of namespace (level 2), each
     * counting its images under the current filters, over all pages.
     */
    private List<Map<String, Object>> grouped(List<Map<String, Object>> items, String q) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Long> clusterCounts = new HashMap<>();
        Object cluster = null;
        Object namespace = null;
        for (Map<String, Object> item : items) {
            if (!Objects.equals(cluster, item.get("cluster"))) {
                cluster = item.get("cluster");
                namespace = null;
                String name = (String) cluster;
                long count = clusterCounts.computeIfAbsent(name, c -> kubernetes.list(c, null, q, PageRequest.first(1)).total());
                rows.add(Map.of("group", group(1, name, count)));
            }
            if (!Objects.equals(namespace, item.get("namespace"))) {
                namespace = item.get("namespace");
                long count = kubernetes.list((String) cluster, (String) namespace, q, PageRequest.first(1)).total();
                rows.add(Map.of("group", group(2, (String) namespace, count)));
            }
            rows.add(Map.of("item", item));
        }
        return rows;
    }

    private static Map<String, Object> group(int level, String label, long count) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("level", level);
        group.put("label", label);
        group.put("count", count);
        return group;
    }
}
