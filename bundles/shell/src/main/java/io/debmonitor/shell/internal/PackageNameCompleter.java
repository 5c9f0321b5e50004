package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PageRequest;

/** Completes binary package names. */
@Service
public class PackageNameCompleter extends NameCompleter {

    @Reference
    PackageService packages;

    @Override
    List<String> names(String q) {
        return packages.list(q, null, new PageRequest(1, MAX_CANDIDATES, "name", false)).items().stream().map(PackageSummaryDTO::name).toList();
    }
}
