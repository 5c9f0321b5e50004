package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.PackageService;

/** Completes binary package names. */
@Service
public class PackageNameCompleter extends NameCompleter {

    @Reference
    PackageService packages;

    @Override
    List<String> names(String q) {
        return packages.namesStartingWith(q == null ? "" : q, MAX_CANDIDATES);
    }
}
