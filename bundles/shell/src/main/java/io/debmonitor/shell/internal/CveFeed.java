package io.debmonitor.shell.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;

@Service
@Command(scope = "debmonitor", name = "cve-feed", description = "Prints the active CVE feed snapshot, the advisory lists' and distributions.json's imports, and the last import or check"
        + " (CVE.md §11.6)")
public class CveFeed implements Action {

    @Reference
    CveFeedService feed;

    @Reference
    CveFetchService fetch;

    @Override
    public Object execute() {
        List<CveSnapshotDTO> last = feed.history(1);
        feed.active().ifPresentOrElse(CveFeed::print, () -> System.out.println("Active snapshot: none (import one with debmonitor:cve-import FILE)"));
        for (CveListImportDTO list : feed.lists()) {
            if ("active".equals(list.result())) {
                System.out.println(label(list.kind()) + ": " + list.entries() + " " + noun(list.kind()) + ", imported " + Lines.time(list.finished())
                        + " from " + list.origin() + (list.lastModified() == null ? "" : ", Last-Modified " + Lines.time(list.lastModified())));
            } else {
                System.out.println(label(list.kind()) + " last check: " + Lines.time(list.started()) + "  " + list.result() + "  " + list.origin()
                        + (list.error() == null ? "" : "  " + list.error()));
            }
        }
        if (!last.isEmpty() && !"active".equals(last.get(0).result())) {
            CveSnapshotDTO check = last.get(0);
            System.out.println("Last check: " + Lines.time(check.started()) + "  " + check.result() + "  " + check.origin()
                    + (check.error() == null ? "" : "  " + check.error()));
        }
        String schedule = fetch.schedule();
        System.out.println("Scheduled fetch: " + (schedule == null ? "off (io.debmonitor.cve.fetch enabled = false)" : schedule));
        for (CveFetchCheckDTO check : fetch.checks()) {
            System.out.println("Fetch " + check.kind() + ": " + Lines.time(check.checked()) + "  " + CveFetch.line(check) + "  " + check.url());
        }
        return null;
    }

    /** An import of a side file as {@code label: value} lines, as cve-import prints it. */
    static void print(CveListImportDTO i) {
        if ("unchanged".equals(i.result())) {
            System.out.println("Unchanged: the active " + label(i.kind()) + " has the same sha256 " + i.sha256() + "; nothing imported");
            return;
        }
        System.out.println(label(i.kind()) + ": import " + i.id() + " (" + i.result() + ")");
        System.out.println("Imported: " + Lines.time(i.finished()));
        System.out.println("Origin: " + i.origin());
        if (i.lastModified() != null) {
            System.out.println("Last-Modified: " + Lines.time(i.lastModified()));
        }
        System.out.println("sha256: " + i.sha256());
        System.out.println(Character.toUpperCase(noun(i.kind()).charAt(0)) + noun(i.kind()).substring(1) + ": " + i.entries());
        System.out.println("Skipped: " + i.skipped());
    }

    /** @return how pages and commands name a side file */
    static String label(CveListKind kind) {
        return switch (kind) {
            case DSA -> "DSA list";
            case DLA -> "DLA list";
            case DISTRIBUTIONS -> "distributions.json";
        };
    }

    private static String noun(CveListKind kind) {
        return kind == CveListKind.DISTRIBUTIONS ? "codenames" : "advisories";
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
        if (s.lastModified() != null) {
            System.out.println("Last-Modified: " + Lines.time(s.lastModified()));
        }
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
