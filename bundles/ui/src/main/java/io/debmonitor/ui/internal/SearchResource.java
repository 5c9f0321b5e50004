package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;

/** {@code /search?q=…[&scope=…]} (SPEC §5.4). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class SearchResource {

    /** Scope key to its heading, in the order of {@link SearchService#SCOPES}. */
    private static final Map<String, String> TITLES = Map.of(
            "hosts", "Hosts",
            "images", "Images",
            "packages", "Binary packages",
            "source-packages", "Source packages",
            "kernels", "Kernels",
            "package-versions", "Binary package versions",
            "source-package-versions", "Source package versions");

    private final SearchService search;
    private final Pages pages;

    @Activate
    public SearchResource(@Reference SearchService search, @Reference Pages pages) {
        this.search = search;
        this.pages = pages;
    }

    @GET
    @Path("search")
    public Response search(@Context HttpServletRequest request) {
        return pages.detail(request, this::search);
    }

    private Response search(PageCall call) {
        String q = call.param("q") == null ? "" : call.param("q").strip();
        String scope = call.param("scope");
        if (scope != null && !SearchService.SCOPES.contains(scope)) {
            throw PageException.badRequest("scope must be one of " + String.join(", ", SearchService.SCOPES) + ".");
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Search");
        model.put("query", q);
        model.put("scope", scope == null ? "" : scope);
        model.put("scopes", scopeChoices());
        int minLength = call.settings.searchMinLength;
        if (q.codePointCount(0, q.length()) < minLength) {
            String message = "Invalid search query! At least " + minLength + " characters required.";
            if (call.json) {
                return call.error(400, message);
            }
            model.put("invalid", message);
            return call.html("search.ftlh", model);
        }
        SearchResultDTO result = search.search(q, scope, call.settings.searchMaxResults);
        Map<String, Object> scopes = new LinkedHashMap<>();
        List<Map<String, Object>> sections = new ArrayList<>();
        for (Map.Entry<String, SearchResultDTO.Scope> entry : result.scopes().entrySet()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (SearchResultDTO.Item item : entry.getValue().items()) {
                items.add(Links.named(item.label(), url(entry.getKey(), item.target())));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("total", entry.getValue().total());
            json.put("items", items);
            scopes.put(entry.getKey(), json);
            Map<String, Object> section = new LinkedHashMap<>(json);
            section.put("key", entry.getKey());
            section.put("title", TITLES.getOrDefault(entry.getKey(), entry.getKey()));
            sections.add(section);
        }
        if (call.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("query", q);
            json.put("scopes", scopes);
            return call.json(json);
        }
        model.put("results", sections);
        return call.html("search.ftlh", model);
    }

    private static List<Map<String, String>> scopeChoices() {
        List<Map<String, String>> choices = new ArrayList<>();
        for (String key : SearchService.SCOPES) {
            choices.add(Map.of("key", key, "title", TITLES.get(key)));
        }
        return choices;
    }

    static String url(String scope, String target) {
        switch (scope) {
            case "hosts": return Links.host(target);
            case "images": return Links.image(target);
            case "kernels": return Links.kernel(target);
            case "source-packages":
            case "source-package-versions":
                return Links.sourcePackage(target);
            default: return Links.packagePage(target);
        }
    }
}
