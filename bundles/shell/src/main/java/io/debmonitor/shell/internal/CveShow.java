package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.PageRequest;

@Service
@Command(scope = "debmonitor", name = "cve-show", description = "Shows Debian's status of a CVE, then its findings on hosts and images (CVE.md §11.7)")
public class CveShow implements Action {

    @Reference
    CveFleetService cves;

    @Argument(index = 0, name = "ID", required = true, description = "The issue, e.g. CVE-2024-9143 or TEMP-0000000-A1B2C3")
    String id;

    @Override
    public Object execute() {
        CveIssueDTO issue = cves.issue(id).orElseThrow(() -> new IllegalArgumentException(id + " is not in the active CVE feed snapshot"));
        for (CveIssueDTO.Debian d : issue.debian()) {
            System.out.println(Lines.columns(d.source(), d.release(), d.status(), Lines.orDash(d.fixedVersion()), Lines.orDash(d.urgency()))
                    + (d.advisory() == null ? "" : "  " + d.advisory()) + (d.nodsa() == null || d.nodsa().isEmpty() ? "" : "  (" + d.nodsa() + ")"));
        }
        CveFilter all = new CveFilter(null, null, null, null, null, java.util.Set.of("all"));
        long total = Lines.forEach(null, (page, size) -> cves.findings(id, all, new PageRequest(page, size, "entity", false)), item -> {
            CveFindingDTO f = item.finding();
            System.out.println(Lines.columns(item.entity().name(), item.entity().kind().word(), f.source(), Lines.orDash(f.sourceVersion()),
                    f.verdict() + (f.subState() == null ? "" : "/" + f.subState())) + (f.fix() == null ? "" : "  " + f.fix()));
        });
        System.out.println(total + (total == 1 ? " finding" : " findings"));
        return null;
    }
}
