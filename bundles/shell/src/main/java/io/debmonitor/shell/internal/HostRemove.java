package io.debmonitor.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;

@Service
@Command(scope = "debmonitor", name = "host-remove", description = "Removes hosts and their package rows, each in its own transaction")
public class HostRemove implements Action {

    @Reference
    EntityService entities;

    @Reference
    AuditService audit;

    @Reference
    Session session;

    @Argument(name = "names", description = "The hosts' FQDNs", required = true, multiValued = true)
    @Completion(HostNameCompleter.class)
    List<String> names;

    @Option(name = "--force", description = "Do not ask for confirmation")
    boolean force;

    @Override
    public Object execute() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            EntityDTO host = entities.find(EntityKind.HOST, name).orElse(null);
            if (host == null) {
                unknown.add(name);
                System.out.println(Lines.unknown(EntityKind.HOST, name));
            } else if (force || Lines.confirmed(session, "Remove host " + name + " (" + host.packages() + " packages)? [y/N] ")) {
                long rows = entities.delete(EntityKind.HOST, name);
                if (rows < 0) {
                    unknown.add(name);
                    System.out.println(Lines.unknown(EntityKind.HOST, name));
                } else {
                    audit.record(Lines.actor(), AuditAction.HOST_REMOVED, name, rows + " package rows");
                    System.out.println("Removed host " + name + " (" + rows + " packages)");
                }
            }
        }
        Lines.failIfAny("No host named", "No hosts named", unknown);
        return null;
    }
}
