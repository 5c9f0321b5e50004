package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.PageRequest;

@Service
@Command(scope = "debmonitor", name = "cve-exceptions", description = "Lists the CVE exceptions, active, expired and revoked, newest first (CVE.md §10)")
public class CveExceptions implements Action {

    @Reference
    CveExceptionService exceptions;

    @Option(name = "--state", description = "Only exceptions in this state: active, expired or revoked")
    String state;

    @Option(name = "--cve", description = "Only the exceptions of this issue, e.g. CVE-2024-9143")
    String cve;

    @Override
    public Object execute() {
        String issue = cve == null ? null : cve.strip();
        if (issue != null && issue.regionMatches(true, 0, "CVE-", 0, 4)) {
            issue = issue.toUpperCase(java.util.Locale.ROOT);
        }
        CveExceptionFilter filter = new CveExceptionFilter(issue, state(state), null, null);
        long total = Lines.forEach(null, (page, size) -> exceptions.list(filter, new PageRequest(page, size, null, false)), e ->
                System.out.println(Lines.columns(e.id(), e.state().word(), e.issue(), e.source() == null ? "*" : e.source(),
                        e.kind() == null ? "*" : e.kind().word() + ":" + e.entity(), until(e), e.author(), e.reason())
                        + (e.revoked() == null ? "" : "  (revoked " + Lines.time(e.revoked()) + " by " + e.revokedBy() + ")")));
        System.out.println(total + (total == 1 ? " exception" : " exceptions"));
        return null;
    }

    private static CveExceptionDTO.State state(String word) {
        if (word == null) {
            return null;
        }
        for (CveExceptionDTO.State s : CveExceptionDTO.State.values()) {
            if (s.word().equals(word.strip().toLowerCase(java.util.Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("--state must be active, expired or revoked, not '" + word + "'");
    }

    /** @return e.g. "source openssl on host db1.example.org", "every source on every host and image" */
    static String scope(CveExceptionDTO e) {
        return (e.source() == null ? "every source" : "source " + e.source()) + " on "
                + (e.kind() == null ? "every host and image" : e.kind().word() + " " + e.entity());
    }

    /** @return "until <time>" or "no expiry" */
    static String until(CveExceptionDTO e) {
        return e.expires() == null ? "no expiry" : "until " + Lines.time(e.expires());
    }
}
