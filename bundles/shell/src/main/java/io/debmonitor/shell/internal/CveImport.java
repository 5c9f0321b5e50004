package io.debmonitor.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveListKind;

@Service
@Command(scope = "debmonitor", name = "cve-import",
        description = "Imports a Debian Security Tracker JSON feed file (plain or gzip-compressed) as the new snapshot, and the tracker's"
                + " DSA list, DLA list and distributions.json (CVE.md §2.2)")
public class CveImport implements Action {

    @Reference
    CveFeedService feed;

    @Argument(index = 0, name = "FILE", required = false,
            description = "The feed, as https://security-tracker.debian.org/tracker/data/json serves it, on this server;"
                    + " may be left out when one of the options is given")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--dsa", description = "The tracker's data/DSA/list: labels findings with the advisory that fixed them")
    @Completion(FileCompleter.class)
    String dsa;

    @Option(name = "--dla", description = "The tracker's data/DLA/list: labels findings of LTS releases with their advisory")
    @Completion(FileCompleter.class)
    String dla;

    @Option(name = "--distributions", description = "The tracker's distributions.json: which Debian major version each codename is")
    @Completion(FileCompleter.class)
    String distributions;

    /** Imports the feed, then distributions.json and the lists (the fetch's order, CVE.md §2.1); the first failure ends the command. */
    @Override
    public Object execute() {
        Map<CveListKind, String> lists = new LinkedHashMap<>();
        lists.put(CveListKind.DISTRIBUTIONS, distributions);
        lists.put(CveListKind.DSA, dsa);
        lists.put(CveListKind.DLA, dla);
        lists.values().removeIf(java.util.Objects::isNull);
        if (file == null && lists.isEmpty()) {
            throw new IllegalArgumentException("Give the feed FILE, or at least one of --dsa, --dla and --distributions.");
        }
        if (file != null) {
            Path path = Path.of(file).toAbsolutePath();
            CveFeed.print(feed.importFeed(path, "file:" + path));
        }
        for (Map.Entry<CveListKind, String> list : lists.entrySet()) {
            Path path = Path.of(list.getValue()).toAbsolutePath();
            CveFeed.print(feed.importList(list.getKey(), path, "file:" + path, null));
        }
        return null;
    }
}
