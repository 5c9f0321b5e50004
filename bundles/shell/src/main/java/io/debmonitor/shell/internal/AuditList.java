package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageRequest;

@Service
@Command(scope = "debmonitor", name = "audit-list", description = "Lists the audit trail (logins, removals, gc runs, security changes), newest first")
public class AuditList implements Action {

    @Reference
    AuditService audit;

    @Option(name = "--action", description = "Only events of this action: LOGIN, LOGIN_FAILED, LOGOUT, HOST_REMOVED, IMAGE_REMOVED, "
            + "GC_RUN, GC_DRY_RUN, SECURITY_CONFIG_CHANGED, CVE_ACCEPTED or CVE_REVOKED (any case, '-' for '_')")
    String action;

    @Option(name = "--actor", description = "Only events whose actor contains this text, ignoring case (e.g. ui:alice, shell:, cert:)")
    String actor;

    @Option(name = "--limit", description = "Print at most N events (the total still counts them all)")
    Integer limit;

    @Override
    public Object execute() {
        AuditFilter filter = new AuditFilter(action == null ? null : AuditAction.parse(action), actor);
        long total = Lines.forEach(limit, (page, size) -> audit.list(filter, new PageRequest(page, size, null, false)),
                event -> System.out.println(Lines.columns(Lines.time(event.created()), event.actor(), event.action(),
                        Lines.orDash(event.target()), Lines.orDash(event.detail()))));
        System.out.println(total + (total == 1 ? " event" : " events"));
        return null;
    }
}
