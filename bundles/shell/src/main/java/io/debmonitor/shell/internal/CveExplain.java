package io.debmonitor.shell.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveService;
import io.debmonitor.core.model.api.EntityCvesDTO;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;

@Service
@Command(scope = "debmonitor", name = "cve-explain", description = "Explains a CVE on a host or an image: why it is or is not affected (CVE.md §8)")
public class CveExplain implements Action {

    @Reference
    EntityService entities;

    @Reference
    CveService cves;

    @Argument(index = 0, name = "NAME", required = true, description = "A host's FQDN or an image reference")
    String name;

    @Argument(index = 1, name = "ID", required = true, description = "The issue, e.g. CVE-2024-9143 or TEMP-0000000-A1B2C3")
    String id;

    @Override
    public Object execute() {
        EntityKind kind = entities.find(EntityKind.HOST, name).isPresent() ? EntityKind.HOST : EntityKind.IMAGE;
        EntityDTO entity = entities.find(kind, name)
                .orElseThrow(() -> new IllegalArgumentException("No host or image named '" + name + "'"));
        EntityCvesDTO found = cves.entity(kind, name).orElseThrow(() -> new IllegalArgumentException(Lines.unknown(kind, name)));
        if (!found.coverage().state().equals("covered")) {
            throw new IllegalArgumentException("No CVE assessment for " + kind.word() + " " + name + ": " + found.coverage().state());
        }
        List<CveFindingDTO> findings = found.findings().stream().filter(f -> f.cve().equals(id)).toList();
        if (findings.isEmpty()) {
            throw new IllegalArgumentException(id + " has no entry for the sources of " + kind.word() + " " + name + " in "
                    + found.coverage().release());
        }
        for (CveFindingDTO f : findings) {
            CveFindingDTO.Explanation e = f.explanation();
            System.out.println(f.cve() + " · source " + f.source() + " · " + entity.os() + " (" + f.release() + ") · " + kind.word() + " " + name);
            line("State", e.state() + " [" + f.verdict() + (f.subState() == null ? "" : "/" + f.subState()) + "]");
            if (f.accepted() != null) {
                CveFindingDTO.Accepted a = f.accepted();
                line("Accepted", "by " + a.by() + " (exception " + a.id() + ", " + (a.expires() == null ? "no expiry" : "until " + Lines.time(a.expires()))
                        + "), not counted: " + a.reason());
            }
            line("Urgency", e.urgency());
            line("Installed", e.installed());
            line("Rule", e.rule());
            line("Elsewhere", e.elsewhere());
            line("Upgrade", e.upgrade());
            line("Advisory", e.advisory());
            line("Data", e.data());
            line("Links", e.links().stream().collect(Collectors.joining("\n           ")));
        }
        return null;
    }

    private static void line(String label, String value) {
        if (value != null) {
            System.out.println(String.format("%-10s %s", label, value));
        }
    }
}
