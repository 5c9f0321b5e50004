package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

@Service
@Command(scope = "debmonitor", name = "package-show", description = "Shows a binary package's versions per OS and which hosts and images have them")
public class PackageShow implements Action {

    @Reference
    PackageService packages;

    @Argument(name = "name", description = "The binary package name", required = true)
    @Completion(PackageNameCompleter.class)
    String name;

    @Option(name = "--os", description = "Only this OS (exact name)")
    String os;

    @Option(name = "--version", description = "Only this installed version (exact)")
    String version;

    @Override
    public Object execute() {
        List<PackageVersionCountDTO> versions = packages.versions(name);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("No package named '" + name + "'");
        }
        List<PackageVersionCountDTO> shown = versions.stream()
                .filter(v -> (os == null || v.os().equals(os)) && (version == null || v.version().equals(version)))
                .toList();
        if (shown.isEmpty()) {
            throw new IllegalArgumentException("Package '" + name + "' has no version" + (version == null ? "" : " " + version)
                    + (os == null ? "" : " on " + os));
        }
        for (PackageVersionCountDTO v : shown) {
            System.out.println(Lines.columns(v.os(), v.version(), "installed=" + v.installed(), "upgradable-to=" + v.upgradable(),
                    "security=" + v.security()));
            if (v.installed() > 0) {
                HolderFilter filter = new HolderFilter(null, v.os(), v.version(), null, UpgradeFilter.ALL);
                Lines.forEach(null, (page, size) -> packages.holders(name, filter, new PageRequest(page, size, null, false)),
                        holder -> System.out.println("  " + Lines.columns(holder.kind().word(), holder.name())
                                + (holder.upgrade() == null ? "" : "  -> " + holder.upgrade())));
            }
        }
        return null;
    }
}
