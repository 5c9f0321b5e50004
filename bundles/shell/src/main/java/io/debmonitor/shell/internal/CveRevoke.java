package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionService;

@Service
@Command(scope = "debmonitor", name = "cve-revoke", description = "Revokes an active CVE exception now: its findings count again after the next refresh")
public class CveRevoke implements Action {

    @Reference
    CveExceptionService exceptions;

    @Argument(index = 0, name = "EXCEPTION_ID", required = true, description = "The exception's number, as cve-exceptions lists it")
    long id;

    @Override
    public Object execute() {
        CveExceptionDTO revoked = exceptions.revoke(id, Lines.actor());
        System.out.println("Revoked exception " + revoked.id() + " of " + revoked.issue() + ": " + CveExceptions.scope(revoked));
        return null;
    }
}
