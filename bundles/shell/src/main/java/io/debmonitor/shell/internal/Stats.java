package io.debmonitor.shell.internal;

import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

@Service
@Command(scope = "debmonitor", name = "stats", description = "Prints the fleet-wide counts of the dashboard")
public class Stats implements Action {

    @Reference
    DashboardService dashboard;

    @Reference
    StalenessPolicy staleness;

    @Reference
    CveFleetService cves;

    @Override
    public Object execute() {
        DashboardDTO counts = dashboard.counts();
        entities("Hosts", counts.hosts(), threshold(EntityKind.HOST, ChronoUnit.HOURS));
        print("Kernels", counts.kernels());
        print("Live Kubernetes images", counts.kubernetesRows());
        targets("Binary packages", "with upgrades", "with security upgrades", counts.packages());
        print("Source packages", counts.sourcePackages());
        print("Source package versions", counts.sourcePackageVersions());
        targets("Binary versions", "upgrade targets", "security upgrade targets", counts.packageVersions());
        entities("Images", counts.images(), threshold(EntityKind.IMAGE, ChronoUnit.DAYS));
        print("Upgradable host rows", counts.upgrades().hosts());
        print("Upgradable image rows", counts.upgrades().images());
        print("Security host rows", counts.upgrades().hostsSecurity());
        print("Security image rows", counts.upgrades().imagesSecurity());
        CveDashboardDTO cve = cves.dashboard();
        print("CVE findings counted", cve.matrix().values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> !e.getKey().equals("negligible") && !e.getKey().equals("needs_triage") && !e.getKey().equals("accepted"))
                .mapToLong(Map.Entry::getValue).sum());
        print("CVE findings with a fix available", cve.matrix().values().stream().mapToLong(m -> m.getOrDefault("fix_available", 0L)).sum());
        print("Hosts with a fixable high CVE", cve.fixableHighHosts());
        print("Images with a fixable high CVE", cve.fixableHighImages());
        print("Hosts to reboot for kernel fixes", cve.rebootRequired());
        print("CVE feed age", cve.ageSeconds() == null ? "-" : cve.ageSeconds() / 3600 + " hours" + (cve.stale() ? " (stale)" : ""));
        return null;
    }

    /** @return the kind's staleness threshold in the unit of its setting and of the list command's option, e.g. "48 hours" */
    private String threshold(EntityKind kind, ChronoUnit unit) {
        long amount = staleness.threshold(kind).dividedBy(unit.getDuration());
        String plural = unit.toString().toLowerCase(Locale.ROOT);
        return amount + " " + (amount == 1 ? plural.substring(0, plural.length() - 1) : plural);
    }

    private static void entities(String label, DashboardDTO.Entities counts, String staleThreshold) {
        print(label, counts.total());
        print(label + " with upgrades", counts.withUpgrades());
        print(label + " with security upgrades", counts.withSecurity());
        print(label + " latest update", Lines.time(counts.latestUpdate()));
        print(label + " oldest update", Lines.time(counts.oldestUpdate()));
        print(label + " stale", counts.stale() + " (no report for " + staleThreshold + ")");
    }

    private static void targets(String label, String upgrades, String security, DashboardDTO.Targets counts) {
        print(label, counts.total());
        print(label + " " + upgrades, counts.withUpgrades());
        print(label + " " + security, counts.withSecurity());
    }

    private static void print(String label, Object value) {
        System.out.println(label + ": " + value);
    }
}
