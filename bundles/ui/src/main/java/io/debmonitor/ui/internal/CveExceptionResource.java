package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.SessionDTO;

/**
 * CVE exceptions (CVE.md §10): {@code /cve-exceptions/}, every exception with its state, and its
 * VEX downloads ({@code ?format=openvex}, {@code ?format=cyclonedx}); and the two writes, {@code
 * POST /cve-exceptions/accept} and {@code POST /cve-exceptions/{id}/revoke}, for an administrator's
 * UI session with its CSRF token only (SPEC §3.2's carve-out, as the feed upload): anyone else,
 * certificate identities included, gets 403.
 */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class CveExceptionResource {

    static final String OPENVEX = "openvex";
    static final String ADMINS_ONLY = "Only an administrator's UI session may accept or revoke CVE exceptions.";
    static final String NO_TOKEN = "The form lacked this session's CSRF token.";
    /** OpenVEX registers no media type of its own; its documents are JSON, {@code .openvex.json} by convention. */
    static final String OPENVEX_MEDIA_TYPE = "application/json";
    private static final Set<String> EXPORTS = Set.of(OPENVEX, CycloneDxBom.FORMAT);
    private static final List<String> FILTERS = List.of("state", "issue");

    private final CveExceptionService exceptions;
    private final Pages pages;

    @Activate
    public CveExceptionResource(@Reference CveExceptionService exceptions, @Reference Pages pages) {
        this.exceptions = exceptions;
        this.pages = pages;
    }

    @GET
    @Path("cve-exceptions")
    public Response list(@Context HttpServletRequest request) {
        return pages.index(request, EXPORTS, this::list);
    }

    /**
     * The accept form: {@code issue} and {@code reason} required; {@code source}, {@code host} or
     * {@code image} (not both) and {@code expires} ({@code YYYY-MM-DD}: the exception lapses at the
     * start of that day, UTC) optional. Browsers are sent to the issue's exceptions (303), JSON
     * callers get the exception.
     */
    @POST
    @Path("cve-exceptions/accept")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response accept(@Context HttpServletRequest request, @FormParam("csrf") String csrf, @FormParam("issue") String issue,
            @FormParam("reason") String reason, @FormParam("source") String source, @FormParam("host") String host,
            @FormParam("image") String image, @FormParam("expires") String expires) {
        return pages.action(request, call -> {
            pages.requireCve();
            String author = admin(call, csrf);
            String hostName = Pages.blankToNull(host);
            String imageName = Pages.blankToNull(image);
            if (hostName != null && imageName != null) {
                throw PageException.badRequest("Give a host or an image, not both.");
            }
            if (Pages.blankToNull(issue) == null) {
                throw PageException.badRequest("Give the issue: CVE-YYYY-NNNN or TEMP-….");
            }
            EntityKind kind = hostName != null ? EntityKind.HOST : imageName != null ? EntityKind.IMAGE : null;
            String until = Pages.blankToNull(expires);
            CveExceptionDTO accepted = exceptions.accept(issue, source, kind, hostName != null ? hostName : imageName, reason,
                    until == null ? null : CveExceptionService.expiryOf(until), author);
            if (call.json) {
                return call.json(item(accepted));
            }
            return seeOther(Links.withQuery("/cve-exceptions/", Map.of("issue", accepted.issue())));
        });
    }

    /** Ends an active exception now. Browsers are sent back to the list (303), JSON callers get the exception. */
    @POST
    @Path("cve-exceptions/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") String id, @Context HttpServletRequest request, @FormParam("csrf") String csrf) {
        return pages.action(request, call -> {
            pages.requireCve();
            String author = admin(call, csrf);
            long number;
            try {
                number = Long.parseLong(id);
            } catch (NumberFormatException e) {
                throw PageException.badRequest("'" + id + "' is no exception number.");
            }
            if (exceptions.find(number).isEmpty()) {
                throw PageException.notFound("No CVE exception " + number + ".");
            }
            CveExceptionDTO revoked = exceptions.revoke(number, author);
            if (call.json) {
                return call.json(item(revoked));
            }
            return seeOther("/cve-exceptions/");
        });
    }

    /** @return the audit trail's name of the administrator, {@code ui:<user>}; 403 for anyone else or without the token */
    private static String admin(PageCall call, String csrf) {
        SessionDTO session = call.caller.session();
        if (session == null || !session.admin()) {
            throw new PageException(403, ADMINS_ONLY);
        }
        if (!LoginResource.same(session.csrfToken(), csrf)) {
            throw new PageException(403, NO_TOKEN);
        }
        return "ui:" + session.user();
    }

    private static Response seeOther(String location) {
        return Response.status(303).header("Location", location).header("Cache-Control", "no-store").build();
    }

    private Response list(PageCall call) {
        pages.requireCve();
        // csv and jsonl are exports of the table below, not of the VEX documents.
        if (call.export != null && EXPORTS.contains(call.export)) {
            for (String parameter : List.of("state", "issue", "page", "size", "sort", "dir")) {
                if (call.param(parameter) != null) {
                    throw PageException.badRequest("format=" + call.export + " exports every active exception and takes no " + parameter + ".");
                }
            }
            return OPENVEX.equals(call.export)
                    ? call.attachment(OPENVEX_MEDIA_TYPE, "debmonitor-cve-exceptions.openvex.json", exceptions.export(CveExceptionService.VexFormat.OPENVEX))
                    : call.attachment(CycloneDxBom.MEDIA_TYPE, "debmonitor-cve-exceptions.vex.cdx.json",
                            exceptions.export(CveExceptionService.VexFormat.CYCLONEDX));
        }
        Table table = call.table(CveExceptionService.SORT_KEYS, FILTERS);
        CveExceptionFilter filter = new CveExceptionFilter(issue(call.param("issue")), state(call.param("state")), null, null);
        PageDTO<CveExceptionDTO> page = exceptions.list(filter, table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        page.items().forEach(e -> items.add(item(e)));
        if (call.json || call.chunk != null) {
            return call.json(table.json(page, items));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "CVE Exceptions");
        model.put("table", table.view(page, items));
        model.put("issue", filter.issue());
        return call.html("cve-exceptions/index.ftlh", model);
    }

    private static String issue(String value) {
        if (value == null) {
            return null;
        }
        String id = CveViews.issueId(value.strip());
        if (id == null) {
            throw PageException.badRequest("issue must be a tracker issue name, CVE-YYYY-NNNN or TEMP-…, not '" + value + "'.");
        }
        return id;
    }

    private static CveExceptionDTO.State state(String value) {
        if (value == null) {
            return null;
        }
        for (CveExceptionDTO.State state : CveExceptionDTO.State.values()) {
            if (state.word().equals(value)) {
                return state;
            }
        }
        throw PageException.badRequest("state must be active, expired or revoked, not '" + value + "'.");
    }

    /** An exception as the page and the writes' JSON show it. */
    static Map<String, Object> item(CveExceptionDTO e) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", e.id());
        item.put("cve", e.issue());
        item.put("url", Links.cve(e.issue()));
        item.put("source", e.source());
        item.put("kind", e.kind() == null ? null : e.kind().word());
        item.put("entity", e.entity());
        item.put("entity_url", e.kind() == null ? null : Links.entity(e.kind(), e.entity()));
        item.put("reason", e.reason());
        item.put("by", e.author());
        item.put("created", Times.iso(e.created()));
        item.put("expires", Times.iso(e.expires()));
        item.put("state", e.state().word());
        item.put("revoked", Times.iso(e.revoked()));
        item.put("revoked_by", e.revokedBy());
        return item;
    }
}
