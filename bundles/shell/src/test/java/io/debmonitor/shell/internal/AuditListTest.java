package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;

import org.junit.Test;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

public class AuditListTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:15:30.123Z");

    private final AuditService audit = mock(AuditService.class);

    @Test
    public void printsOneLinePerEventNewestFirstThenTheTotal() throws Exception {
        when(audit.list(AuditFilter.ALL, new PageRequest(1, 1000, null, false))).thenReturn(new PageDTO<>(1, 1000, 2, List.of(
                new AuditEventDTO(2, NOW, "shell:karaf", AuditAction.HOST_REMOVED, "db1001.example.org", "12 package rows"),
                new AuditEventDTO(1, NOW.minusSeconds(60), "ui:alice", AuditAction.LOGOUT, null, null))));
        AuditList command = new AuditList();
        command.audit = audit;
        assertEquals(List.of(
                "2026-12-04T10:15:30Z  shell:karaf  HOST_REMOVED  db1001.example.org  12 package rows",
                "2026-12-04T10:14:30Z  ui:alice  LOGOUT  -  -",
                "2 events"), Console.run(command));
    }

    @Test
    public void filtersAndLimitsButCountsAllMatches() throws Exception {
        AuditFilter filter = new AuditFilter(AuditAction.LOGIN_FAILED, "alice");
        when(audit.list(filter, new PageRequest(1, 1, null, false))).thenReturn(new PageDTO<>(1, 1, 1, List.of(
                new AuditEventDTO(5, NOW, "ui:alice", AuditAction.LOGIN_FAILED, null, "from 192.0.2.7"))));
        AuditList command = new AuditList();
        command.audit = audit;
        command.action = "login-failed";
        command.actor = "alice";
        command.limit = 1;
        assertEquals(List.of("2026-12-04T10:15:30Z  ui:alice  LOGIN_FAILED  -  from 192.0.2.7", "1 event"), Console.run(command));
    }

    @Test
    public void anUnknownActionFailsWithTheValidOnes() throws Exception {
        AuditList command = new AuditList();
        command.audit = audit;
        command.action = "delete";
        assertEquals("Unknown audit action 'delete'; one of LOGIN, LOGIN_FAILED, LOGOUT, HOST_REMOVED, IMAGE_REMOVED, GC_RUN, "
                + "GC_DRY_RUN, SECURITY_CONFIG_CHANGED, CVE_ACCEPTED, CVE_REVOKED.", Console.fail(command).message());
        verifyNoInteractions(audit);
    }

    @Test
    public void aLimitBelowOneFails() throws Exception {
        AuditList command = new AuditList();
        command.audit = audit;
        command.limit = 0;
        assertEquals("--limit must be at least 1.", Console.fail(command).message());
        verifyNoInteractions(audit);
    }
}
