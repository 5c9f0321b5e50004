package io.debmonitor.shell.internal;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveSnapshotDTO;

@Service
@Command(scope = "debmonitor", name = "cve-import",
        description = "Imports a Debian Security Tracker JSON feed file (plain or gzip-compressed) as the new snapshot (CVE.md §2.2)")
public class CveImport implements Action {

    @Reference
    CveFeedService feed;

    @Argument(index = 0, name = "FILE", required = true, description = "The feed, as https://security-tracker.debian.org/tracker/data/json serves it, on this server")
    @Completion(FileCompleter.class)
    String file;

    @Override
    public Object execute() {
        Path path = Path.of(file).toAbsolutePath();
        CveSnapshotDTO snapshot = feed.importFeed(path, "file:" + path);
        CveFeed.print(snapshot);
        return null;
    }
}
