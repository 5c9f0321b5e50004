package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;

import org.junit.Test;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** cve-accept, cve-exceptions and cve-revoke (CVE.md §10). */
public class CveExceptionCommandsTest {

    private static final Instant EXPIRES = Instant.parse("2031-07-01T00:00:00Z");
    private static final CveExceptionDTO ON_HOST = new CveExceptionDTO(3, "CVE-2024-9143", "openssl", EntityKind.HOST, "db1.example.org",
            "Internal only", "shell:unknown", Fixtures.CREATED, EXPIRES, null, null, CveExceptionDTO.State.ACTIVE);
    private static final CveExceptionDTO FLEET = new CveExceptionDTO(2, "CVE-2023-45853", null, null, null, "Debian will not fix it",
            "ui:alice", Fixtures.CREATED, null, Fixtures.MODIFIED, "ui:root", CveExceptionDTO.State.REVOKED);

    private final CveExceptionService exceptions = mock(CveExceptionService.class);

    private CveAccept accept(String id, String reason) {
        CveAccept command = new CveAccept();
        command.exceptions = exceptions;
        command.id = id;
        command.reason = reason;
        return command;
    }

    @Test
    public void cveAcceptPrintsTheNewException() throws Exception {
        when(exceptions.accept(any(), any(), any(), any(), any(), any(), any())).thenReturn(ON_HOST);
        CveAccept command = accept("cve-2024-9143", "Internal only");
        command.source = "openssl";
        command.host = "db1.example.org";
        command.expires = "2031-07-01";
        assertEquals(List.of("Accepted CVE-2024-9143 as exception 3: source openssl on host db1.example.org, until 2031-07-01T00:00:00Z"),
                Console.run(command));
        verify(exceptions).accept("cve-2024-9143", "openssl", EntityKind.HOST, "db1.example.org", "Internal only", EXPIRES, "shell:unknown");

        CveAccept image = accept("CVE-2024-9143", "Rebuilt weekly");
        image.image = "registry.example.org/app:1";
        Console.run(image);
        verify(exceptions).accept("CVE-2024-9143", null, EntityKind.IMAGE, "registry.example.org/app:1", "Rebuilt weekly", null, "shell:unknown");
    }

    @Test
    public void cveAcceptFailsWithOneLineOnBadInput() throws Exception {
        CveAccept both = accept("CVE-2024-9143", "r");
        both.host = "a";
        both.image = "b";
        assertEquals("Give --host or --image, not both.", Console.fail(both).message());
        CveAccept badDate = accept("CVE-2024-9143", "r");
        badDate.expires = "next week";
        assertEquals("Invalid expiry 'next week': expected a date, YYYY-MM-DD.", Console.fail(badDate).message());
        verifyNoInteractions(exceptions);
        when(exceptions.accept(any(), any(), any(), any(), any(), any(), any()))
                .thenThrow(new IllegalArgumentException("No host named 'x.example.org'."));
        CveAccept unknown = accept("CVE-2024-9143", "r");
        unknown.host = "x.example.org";
        Console.Failure failure = Console.fail(unknown);
        assertEquals("No host named 'x.example.org'.", failure.message());
        assertEquals(List.of(), failure.printed());
    }

    @Test
    public void turnedOffCveCorrelationFailsAsTheOtherCveCommandsDo() throws Exception {
        String off = "CVE correlation is turned off (io.debmonitor.cve, enabled = false): imports, fetches and exceptions are refused.";
        when(exceptions.accept(any(), any(), any(), any(), any(), any(), any())).thenThrow(new IllegalStateException(off));
        when(exceptions.list(any(), any())).thenThrow(new IllegalStateException(off));
        assertEquals(off, assertThrows(IllegalStateException.class, () -> Console.run(accept("CVE-2024-9143", "r"))).getMessage());
        CveExceptions list = new CveExceptions();
        list.exceptions = exceptions;
        assertEquals(off, assertThrows(IllegalStateException.class, () -> Console.run(list)).getMessage());
    }

    @Test
    public void cveExceptionsListsEveryStateNewestFirst() throws Exception {
        when(exceptions.list(any(), any())).thenReturn(new PageDTO<>(1, 1000, 2, List.of(ON_HOST, FLEET)));
        CveExceptions command = new CveExceptions();
        command.exceptions = exceptions;
        assertEquals(List.of(
                "3  active  CVE-2024-9143  openssl  host:db1.example.org  until 2031-07-01T00:00:00Z  shell:unknown  Internal only",
                "2  revoked  CVE-2023-45853  *  *  no expiry  ui:alice  Debian will not fix it  (revoked 2026-12-04T10:15:30Z by ui:root)",
                "2 exceptions"), Console.run(command));
        verify(exceptions).list(CveExceptionFilter.ALL, new PageRequest(1, 1000, null, false));

        command.state = "Active";
        command.cve = "cve-2024-9143";
        Console.run(command);
        verify(exceptions).list(new CveExceptionFilter("CVE-2024-9143", CveExceptionDTO.State.ACTIVE, null, null), new PageRequest(1, 1000, null, false));
        command.state = "lapsed";
        assertEquals("--state must be active, expired or revoked, not 'lapsed'", Console.fail(command).message());
    }

    @Test
    public void cveRevokeEndsAnException() throws Exception {
        when(exceptions.revoke(2, "shell:unknown")).thenReturn(FLEET);
        CveRevoke command = new CveRevoke();
        command.exceptions = exceptions;
        command.id = 2;
        assertEquals(List.of("Revoked exception 2 of CVE-2023-45853: every source on every host and image"), Console.run(command));
        when(exceptions.revoke(9, "shell:unknown")).thenThrow(new IllegalArgumentException("No CVE exception 9."));
        command.id = 9;
        assertEquals("No CVE exception 9.", Console.fail(command).message());
    }
}
