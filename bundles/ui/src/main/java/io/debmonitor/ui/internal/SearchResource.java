package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;

/**
 * {@code /search?q=…[&scope=…]} (SPEC §5.4). A query that is a tracker issue name (any case, e.g.
 * {@code cve-2024-9143}) is also looked up in the feed: the JSON lists it first, in the scope
 * {@code cves}, and the HTML form goes straight to its page when the issue is there.
 */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class SearchResource {

    /** Scope key to its heading: those of {@link SearchService#SCOPES}, and {@code cves}. */
    private static final Map<String, String> TITLES = Map.of(
            "hosts", "Hosts",
            "images", "Images",
            "packages", "Binary packages",
            "source-packages", "Source packages",
            "kernels", "Kernels",
            "package-versions", "Binary package versions",
            "source-package-versions", "Source package versions",
            "cves", "Vulnerabilities");

    private final SearchService search;
    private final CveFleetService fleet;
    private final Pages pages;

    @Activate
    public SearchResource(@Reference SearchService search, @Reference CveFleetService fleet, @Reference Pages pages) {
        this.search = search;
        this.fleet = fleet;
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
        String issueId = scope == null && pages.cveEnabled() ? CveViews.issueId(q) : null;
        Optional<CveIssueDTO> issue = issueId == null ? Optional.empty() : fleet.issue(issueId);
        if (issue.isPresent() && !call.json) {
            return Response.status(303).header("Location", Links.cve(issue.get().cve())).build();
        }
        Map<String, Object> scopes = new LinkedHashMap<>();
        List<Map<String, Object>> sections = new ArrayList<>();
        if (issueId != null) {
            List<Map<String, Object>> items = issue.map(found -> List.of(Links.named(found.cve(), Links.cve(found.cve())))).orElse(List.of());
            addScope(scopes, sections, "cves", items.size(), items);
        }
        SearchResultDTO result = search.search(q, scope, call.settings.searchMaxResults);
        for (Map.Entry<String, SearchResultDTO.Scope> entry : result.scopes().entrySet()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (SearchResultDTO.Item item : entry.getValue().items()) {
                items.add(Links.named(item.label(), url(entry.getKey(), item.target())));
            }
            addScope(scopes, sections, entry.getKey(), entry.getValue().total(), items);
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

    /** Adds one scope's results to the JSON's {@code scopes} and to the page's sections. */
    private static void addScope(Map<String, Object> scopes, List<Map<String, Object>> sections, String key, long total,
            List<Map<String, Object>> items) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", total);
        json.put("items", items);
        scopes.put(key, json);
        Map<String, Object> section = new LinkedHashMap<>(json);
        section.put("key", key);
        section.put("title", TITLES.getOrDefault(key, key));
        sections.add(section);
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
