package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchService;

@Service
@Command(scope = "debmonitor", name = "cve-fetch",
        description = "Fetches the CVE feed, distributions.json and the DSA and DLA lists from their URLs now (CVE.md §2.1;"
                + " PID io.debmonitor.cve.fetch), whether or not the scheduled fetch is on; one line per URL")
public class CveFetch implements Action {

    @Reference
    CveFetchService fetch;

    @Option(name = "--force", description = "Ignore the Last-Modified and the sha256 of the last import (a file equal to the active one"
            + " still imports nothing)")
    boolean force;

    /** @throws IllegalStateException when a URL failed (after the lines), or the fetch could not start (another one runs, CVE is off) */
    @Override
    public Object execute() {
        List<CveFetchCheckDTO> checks = fetch.fetch(force);
        if (checks.isEmpty()) {
            System.out.println("No URL is configured (io.debmonitor.cve.fetch feedUrl, distributionsUrl, dsaListUrl, dlaListUrl).");
        }
        long failed = 0;
        for (CveFetchCheckDTO check : checks) {
            System.out.println(check.kind() + ": " + line(check));
            if (check.result() == CveFetchCheckDTO.Result.FAILED) {
                failed++;
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + checks.size() + " fetches failed; the data imported before stays");
        }
        return null;
    }

    /** e.g. {@code unchanged (304)}, {@code imported snapshot 12: …}, {@code failed: HTTP 404 from …} */
    static String line(CveFetchCheckDTO check) {
        return switch (check.result()) {
            case IMPORTED -> "imported " + check.summary();
            case FAILED -> "failed: " + check.error();
            default -> check.result().label();
        };
    }
}
