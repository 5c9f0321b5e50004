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

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/** {@code /cve-feed/} (CVE.md §11.6): the active snapshot of the tracker feed and the recent imports and checks. */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class CveFeedResource {

    /** How many imports and checks the page lists. */
    static final int RECENT = 20;

    private final CveFeedService feed;
    private final Pages pages;

    @Activate
    public CveFeedResource(@Reference CveFeedService feed, @Reference Pages pages) {
        this.feed = feed;
        this.pages = pages;
    }

    @GET
    @Path("cve-feed")
    public Response cveFeed(@Context HttpServletRequest request) {
        return pages.index(request, this::show);
    }

    private Response show(PageCall call) {
        for (String parameter : List.of("page", "size", "sort", "dir", "q")) {
            if (call.param(parameter) != null) {
                throw PageException.badRequest("The feed page takes no " + parameter + ".");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("active", feed.active().map(CveFeedResource::snapshot).orElse(null));
        List<Map<String, Object>> recent = new ArrayList<>();
        for (CveSnapshotDTO snapshot : feed.history(RECENT)) {
            recent.add(snapshot(snapshot));
        }
        json.put("imports", recent);
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>(json);
        model.put("title", "CVE Feed");
        return call.html("cve-feed.ftlh", model);
    }

    private static Map<String, Object> snapshot(CveSnapshotDTO s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("result", s.result());
        out.put("started", Times.iso(s.started()));
        out.put("finished", Times.iso(s.finished()));
        out.put("origin", s.origin());
        out.put("sha256", s.sha256());
        out.put("releases", s.releases());
        out.put("rows", s.rowsByRelease());
        out.put("skipped", s.skipped());
        out.put("error", s.error());
        out.put("added", s.added());
        out.put("removed", s.removed());
        out.put("changed", s.changed());
        return out;
    }
}
