package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveIssueRowDTO;
import io.debmonitor.core.model.api.PageDTO;

/** The fleet's vulnerabilities: {@code /cves/} and {@code /cves/{id}} (CVE.md §11.2, §11.3). */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class CveResource {

    static final String NO_FIXED = "include=fixed is not offered here: fixed findings are listed on each host's and image's CVE tab only.";

    private final CveFleetService fleet;
    private final Pages pages;

    @Activate
    public CveResource(@Reference CveFleetService fleet, @Reference Pages pages) {
        this.fleet = fleet;
        this.pages = pages;
    }

    @GET
    @Path("cves")
    public Response cves(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    @GET
    @Path("cves/{id}")
    public Response cve(@PathParam("id") String id, @Context HttpServletRequest request) {
        return pages.detail(request, call -> detail(call, id));
    }

    private Response list(PageCall call) {
        pages.requireCve();
        Table table = call.table(CveFleetService.ISSUE_SORTS, List.of("q", "urgency", "state", "os", "kind", "include"));
        PageDTO<CveIssueRowDTO> page = fleet.issues(filter(call, call.param("urgency")), table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (CveIssueRowDTO row : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("cve", row.cve());
            item.put("url", Links.cve(row.cve()));
            item.put("sources", row.sources());
            item.put("urgency", row.urgency());
            item.put("hosts", row.hosts());
            item.put("images", row.images());
            item.put("fixable", row.fixable());
            item.put("states", row.states());
            items.add(item);
        }
        Map<String, Object> json = new LinkedHashMap<>(table.json(page, items));
        if (call.chunk != null) {
            // A chunk of a table export: the table has its rows; the summary would be read for nothing.
            return call.json(json);
        }
        CveDashboardDTO summary = fleet.dashboard();
        json.put("feed", CveViews.feed(summary));
        json.put("pending", summary.pending());
        json.put("not_assessed", CveViews.notAssessed(summary));
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Vulnerabilities");
        model.put("feed", json.get("feed"));
        model.put("pending", summary.pending());
        model.put("not_assessed", json.get("not_assessed"));
        model.put("table", table.view(page, items));
        return call.html("cves/index.ftlh", model);
    }

    private Response detail(PageCall call, String id) {
        pages.requireCve();
        if (!CveViews.isIssue(id)) {
            throw PageException.badRequest("'" + id + "' is no tracker issue name: CVE-YYYY-NNNN or TEMP-….");
        }
        Table table = call.table(CveFleetService.FINDING_SORTS, List.of("q", "kind", "os", "state", "include"));
        CveFilter filter = filter(call, null);
        CveIssueDTO issue = fleet.issue(id).orElseThrow(() -> PageException.notFound("No issue '" + id + "' in the tracker feed's active snapshot."));
        PageDTO<CveEntityFindingDTO> page = fleet.findings(id, filter, table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (CveEntityFindingDTO found : page.items()) {
            Map<String, Object> item = CveViews.item(found.finding(), found.entity());
            item.put("modified", Times.iso(found.entity().modified()));
            items.add(item);
        }
        if (call.chunk != null) {
            return call.json(table.json(page, items));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cve", issue.cve());
        json.put("description", issue.description());
        json.put("scope", issue.scope());
        json.put("debianbug", issue.debianbug());
        json.put("links", issue.links());
        List<Map<String, Object>> debian = new ArrayList<>();
        for (CveIssueDTO.Debian d : issue.debian()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source", d.source());
            row.put("release", d.release());
            row.put("status", d.status());
            row.put("fixed_version", d.fixedVersion());
            row.put("urgency", d.urgency());
            row.put("nodsa", d.nodsa());
            row.put("nodsa_reason", d.nodsaReason());
            row.put("next_point_update", d.nextPointUpdate());
            row.put("repositories", d.repositories());
            row.put("advisory", d.advisory());
            debian.add(row);
        }
        json.put("debian", debian);
        json.put("findings", table.json(page, items));
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", issue.cve());
        model.put("issue", json);
        model.put("feed", CveViews.feed(fleet.dashboard()));
        model.put("table", table.view(page, items));
        return call.html("cves/detail.ftlh", model);
    }

    /**
     * The filters both tables share, checked: {@code state} a token, {@code kind} host or image,
     * {@code include} known and without {@code fixed}: fixed findings are not stored fleet-wide,
     * only an entity's own tab computes them.
     */
    private static CveFilter filter(PageCall call, String urgency) {
        String state = call.param("state");
        CveViews.checkState(state);
        Set<String> include = CveViews.include(call.param("include"));
        if (include.contains("fixed")) {
            throw PageException.badRequest(NO_FIXED);
        }
        return new CveFilter(call.param("q"), urgency, state, call.param("os"), call.kind(), include);
    }
}
