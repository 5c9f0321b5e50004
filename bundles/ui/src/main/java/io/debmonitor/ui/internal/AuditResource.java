package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.Arrays;
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

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageDTO;

/** The audit trail at {@code /audit/} (issue #11), newest first; for sessions with the {@code admin} role only. */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class AuditResource {

    static final String ADMINS_ONLY = "Only administrators may read the audit trail.";

    private final AuditService audit;
    private final Pages pages;

    @Activate
    public AuditResource(@Reference AuditService audit, @Reference Pages pages) {
        this.audit = audit;
        this.pages = pages;
    }

    @GET
    @Path("audit")
    public Response audit(@Context HttpServletRequest request) {
        return pages.index(request, this::list);
    }

    private Response list(PageCall call) {
        if (call.caller.session() == null || !call.caller.session().admin()) {
            throw new PageException(403, ADMINS_ONLY);
        }
        Table table = call.table(AuditService.LIST_SORT_KEYS, List.of("action", "actor"));
        String action = call.param("action");
        AuditFilter filter = new AuditFilter(action == null ? null : AuditAction.parse(action), call.param("actor"));
        PageDTO<AuditEventDTO> page = audit.list(filter, table.request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (AuditEventDTO event : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", event.id());
            item.put("created", Times.iso(event.created()));
            item.put("actor", event.actor());
            item.put("action", event.action().name());
            item.put("target", event.target());
            item.put("detail", event.detail());
            items.add(item);
        }
        if (call.json) {
            return call.json(table.json(page, items));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "Audit Trail");
        model.put("table", table.view(page, items));
        model.put("actions", Arrays.stream(AuditAction.values()).map(AuditAction::name).toList());
        return call.html("audit/index.ftlh", model);
    }
}
