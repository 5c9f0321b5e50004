package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.EntityKind;

@Service
@Command(scope = "debmonitor", name = "cve-accept",
        description = "Accepts the findings of a CVE, on every host and image or on one, of every source package or of one (CVE.md §10): "
                + "they stay listed, marked accepted, and leave the headline until the exception expires or is revoked")
public class CveAccept implements Action {

    @Reference
    CveExceptionService exceptions;

    @Argument(index = 0, name = "ID", required = true, description = "The issue, e.g. CVE-2024-9143 or TEMP-0000000-A1B2C3")
    String id;

    @Option(name = "--reason", required = true, description = "Why the risk is accepted")
    String reason;

    @Option(name = "--source", description = "Only the findings of this source package, e.g. openssl")
    String source;

    @Option(name = "--host", description = "Only on this host (FQDN)")
    @Completion(HostNameCompleter.class)
    String host;

    @Option(name = "--image", description = "Only in this image (reference)")
    @Completion(ImageRefCompleter.class)
    String image;

    @Option(name = "--expires", description = "The day it lapses, YYYY-MM-DD (at 00:00 UTC); without it, it never does")
    String expires;

    @Override
    public Object execute() {
        if (host != null && image != null) {
            throw new IllegalArgumentException("Give --host or --image, not both.");
        }
        EntityKind kind = host != null ? EntityKind.HOST : image != null ? EntityKind.IMAGE : null;
        CveExceptionDTO accepted = exceptions.accept(id, source, kind, host != null ? host : image, reason,
                expires == null ? null : CveExceptionService.expiryOf(expires), Lines.actor());
        System.out.println("Accepted " + accepted.issue() + " as exception " + accepted.id() + ": " + CveExceptions.scope(accepted) + ", "
                + CveExceptions.until(accepted));
        return null;
    }
}
