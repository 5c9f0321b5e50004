package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;

@Service
@Command(scope = "debmonitor", name = "host-show", description = "Shows a host and its packages")
public class HostShow implements Action {

    @Reference
    EntityService entities;

    @Argument(name = "name", description = "The host's FQDN", required = true)
    @Completion(HostNameCompleter.class)
    String name;

    @Option(name = "--upgradable", description = "Only the packages with a pending upgrade")
    boolean upgradable;

    @Override
    public Object execute() {
        Lines.printSummary(Lines.find(entities, EntityKind.HOST, name));
        Lines.printRows(entities, EntityKind.HOST, name, upgradable);
        return null;
    }
}
