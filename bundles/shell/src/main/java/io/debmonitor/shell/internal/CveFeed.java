package io.debmonitor.shell.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveSnapshotDTO;

@Service
@Command(scope = "debmonitor", name = "cve-feed", description = "Prints the active CVE feed snapshot and the last import or check (CVE.md §11.6)")
public class CveFeed implements Action {

    @Reference
    CveFeedService feed;

    @Override
    public Object execute() {
        List<CveSnapshotDTO> last = feed.history(1);
        feed.active().ifPresentOrElse(CveFeed::print, () -> System.out.println("Active snapshot: none (import one with debmonitor:cve-import FILE)"));
        if (!last.isEmpty() && !"active".equals(last.get(0).result())) {
            CveSnapshotDTO check = last.get(0);
            System.out.println("Last check: " + Lines.time(check.started()) + "  " + check.result() + "  " + check.origin()
                    + (check.error() == null ? "" : "  " + check.error()));
        }
        return null;
    }

    /** The snapshot as {@code label: value} lines, as cve-import and cve-feed print it. */
    static void print(CveSnapshotDTO s) {
        if ("unchanged".equals(s.result())) {
            System.out.println("Unchanged: the active snapshot has the same sha256 " + s.sha256() + "; nothing imported");
            return;
        }
        System.out.println("Snapshot: " + s.id() + " (" + s.result() + ")");
        System.out.println("Imported: " + Lines.time(s.finished()));
        System.out.println("Origin: " + s.origin());
        System.out.println("sha256: " + s.sha256());
        System.out.println("Releases: " + String.join(", ", s.releases()));
        System.out.println("Rows: " + s.rowsByRelease().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")));
        System.out.println("Skipped: " + s.skipped());
        if (s.added() != null) {
            System.out.println("Changes: " + s.added() + " added, " + s.removed() + " removed, " + s.changed() + " changed");
        }
    }
}
