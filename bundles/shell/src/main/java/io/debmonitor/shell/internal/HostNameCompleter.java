package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

/** Completes host names. */
@Service
public class HostNameCompleter extends NameCompleter {

    @Reference
    EntityService entities;

    @Override
    List<String> names(String q) {
        return entities.list(EntityKind.HOST, new EntityFilter(q, null, UpgradeFilter.ALL, null), new PageRequest(1, MAX_CANDIDATES, "name", false))
                .items().stream().map(EntityDTO::name).toList();
    }
}
