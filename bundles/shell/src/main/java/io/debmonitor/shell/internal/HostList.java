package io.debmonitor.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PageRequest;

@Service
@Command(scope = "debmonitor", name = "host-list", description = "Lists the hosts, sorted by name")
public class HostList implements Action {

    @Reference
    EntityService entities;

    @Option(name = "--os", description = "Only hosts running this OS (exact name, e.g. \"Debian 12\")")
    String os;

    @Option(name = "--upgradable", description = "Only hosts with at least one pending upgrade")
    boolean upgradable;

    @Option(name = "--security", description = "Only hosts with at least one pending security upgrade")
    boolean security;

    @Option(name = "--stale", description = "Only stale hosts: not reported for longer than HOURS, or than the configured threshold"
            + " (hostStaleHours) when no HOURS follows")
    boolean stale;

    @Argument(index = 0, name = "HOURS", required = false, description = "With --stale: the hours that make a host stale instead of the threshold")
    Integer staleHours;

    @Option(name = "--limit", description = "Print at most N hosts (the total still counts them all)")
    Integer limit;

    @Override
    public Object execute() {
        Instant staleSince = Lines.staleSince(stale, staleHours, ChronoUnit.HOURS, "HOURS");
        EntityFilter filter = new EntityFilter(null, os, Lines.upgrades(upgradable, security), null, staleSince,
                Lines.stalePolicy(stale, staleSince));
        long total = Lines.forEach(limit, (page, size) -> entities.list(EntityKind.HOST, filter, new PageRequest(page, size, "name", false)),
                host -> System.out.println(Lines.columns(host.name(), host.os(), Lines.time(host.modified()), host.packages(),
                        host.upgrades(), host.security())));
        System.out.println(total + " hosts");
        return null;
    }
}
