package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/** The audit trail (issue #11) on both databases. */
@RunWith(Parameterized.class)
public class AuditServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private final SessionServiceTest.TestClock clock = new SessionServiceTest.TestClock(Instant.parse("2026-03-01T10:00:00.123Z"));
    private TestDatabase db;
    private AuditServiceImpl audit;

    public AuditServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        audit = new AuditServiceImpl(db.database, clock);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    @Test
    public void eventsAreListedNewestFirstWithEveryField() {
        Instant first = clock.instant();
        audit.record("ui:alice", AuditAction.LOGIN, null, "from 192.0.2.7, roles admin,viewer");
        clock.advance(Duration.ofSeconds(5));
        audit.record("cert:cumin1001.example.org", AuditAction.HOST_REMOVED, "db1001.example.org", "1234 packages");

        PageDTO<AuditEventDTO> page = audit.list(AuditFilter.ALL, PageRequest.first(50));
        assertEquals(2, page.total());
        AuditEventDTO removal = page.items().get(0);
        assertEquals(clock.instant(), removal.created());
        assertEquals("cert:cumin1001.example.org", removal.actor());
        assertEquals(AuditAction.HOST_REMOVED, removal.action());
        assertEquals("db1001.example.org", removal.target());
        assertEquals("1234 packages", removal.detail());
        AuditEventDTO login = page.items().get(1);
        assertEquals(first, login.created());
        assertEquals(AuditAction.LOGIN, login.action());
        assertNull(login.target());
        assertTrue(login.id() < removal.id());
    }

    @Test
    public void eventsOfTheSameMillisecondKeepTheirOrder() {
        for (int i = 0; i < 3; i++) {
            audit.record("gc:schedule", AuditAction.GC_RUN, null, "run " + i);
        }
        assertEquals(List.of("run 2", "run 1", "run 0"), details(audit.list(AuditFilter.ALL, PageRequest.first(50))));
        assertEquals(List.of("run 0", "run 1", "run 2"),
                details(audit.list(AuditFilter.ALL, new PageRequest(1, 50, "created", false))));
        assertEquals(List.of("run 2", "run 1", "run 0"),
                details(audit.list(AuditFilter.ALL, new PageRequest(1, 50, "created", true))));
    }

    @Test
    public void filtersByActionAndByActorSubstring() {
        audit.record("ui:alice", AuditAction.LOGIN, null, "a");
        audit.record("ui:Alice", AuditAction.LOGIN_FAILED, null, "b");
        audit.record("shell:alice", AuditAction.IMAGE_REMOVED, "registry.example.org/a:1", "c");
        audit.record("ui:bob", AuditAction.LOGIN_FAILED, null, "d");
        audit.record("ui:100%_sure", AuditAction.LOGIN_FAILED, null, "e");

        assertEquals(List.of("e", "d", "b"), details(audit.list(new AuditFilter(AuditAction.LOGIN_FAILED, null), PageRequest.first(50))));
        assertEquals(List.of("c", "b", "a"), details(audit.list(new AuditFilter(null, " ALICE "), PageRequest.first(50))));
        assertEquals(List.of("e", "d", "b", "a"), details(audit.list(new AuditFilter(null, "ui:"), PageRequest.first(50))));
        assertEquals(List.of("b"), details(audit.list(new AuditFilter(AuditAction.LOGIN_FAILED, "alice"), PageRequest.first(50))));
        assertEquals("LIKE wildcards are literal", List.of("e"),
                details(audit.list(new AuditFilter(null, "0%_"), PageRequest.first(50))));
        assertEquals(List.of(), details(audit.list(new AuditFilter(AuditAction.LOGOUT, null), PageRequest.first(50))));
    }

    @Test
    public void pagesCountAllMatches() {
        for (int i = 0; i < 5; i++) {
            audit.record("ui:alice", AuditAction.LOGOUT, null, Integer.toString(i));
        }
        PageDTO<AuditEventDTO> second = audit.list(AuditFilter.ALL, new PageRequest(2, 2, null, false));
        assertEquals(5, second.total());
        assertEquals(List.of("2", "1"), details(second));
        PageDTO<AuditEventDTO> past = audit.list(AuditFilter.ALL, new PageRequest(4, 2, null, false));
        assertEquals(5, past.total());
        assertEquals(List.of(), past.items());
    }

    @Test
    public void longTextsAreCutAndControlCharactersReplaced() {
        String smiley = "\uD83D\uDE00";
        audit.record("ui:" + "x".repeat(1000), AuditAction.LOGIN_FAILED, "y".repeat(253) + smiley + "tail",
                "line one\nline two\r" + "z".repeat(2000));
        AuditEventDTO event = audit.list(AuditFilter.ALL, PageRequest.first(1)).items().get(0);
        assertEquals(AuditService.MAX_NAME, event.actor().length());
        assertEquals("ui:" + "x".repeat(AuditService.MAX_NAME - 4) + "…", event.actor());
        assertEquals("never half a surrogate pair", "y".repeat(253) + "…", event.target());
        assertEquals(AuditService.MAX_DETAIL, event.detail().length());
        assertTrue(event.detail(), event.detail().startsWith("line one?line two?zzz"));
        assertTrue(event.detail().endsWith("z…"));

        audit.record("ui:a", AuditAction.LOGIN, smiley + "y".repeat(253), null);
        assertEquals("whole texts are kept", smiley + "y".repeat(253), audit.list(AuditFilter.ALL, PageRequest.first(1)).items().get(0).target());
    }

    @Test
    public void eachEventIsOneLineOfTheAuditLogger() {
        List<String> lines = stderrOf(() -> {
            audit.record("shell:karaf", AuditAction.HOST_REMOVED, "db1001.example.org", "1234 packages");
            audit.record("ui:mallory\nINFO forged", AuditAction.LOGOUT, null, null);
        });
        assertEquals(lines.toString(), 2, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains(AuditService.LOGGER
                + " - audit: action=HOST_REMOVED actor=\"shell:karaf\" target=\"db1001.example.org\" detail=\"1234 packages\""));
        assertTrue(lines.get(1), lines.get(1).endsWith("audit: action=LOGOUT actor=\"ui:mallory?INFO forged\" target=- detail=-"));
    }

    @Test
    public void aStorageFailureIsLoggedButNeverThrown() throws Exception {
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop table audit_event");
        }
        List<String> lines = stderrOf(() -> audit.record("gc:schedule", AuditAction.GC_RUN, null, "3 hosts"));
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.endsWith("audit: action=GC_RUN actor=\"gc:schedule\" target=- detail=\"3 hosts\"")));
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.contains("WARN") && l.contains("GC_RUN of gc:schedule was logged but not stored")));
    }

    @Test
    public void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> audit.record(" ", AuditAction.LOGIN, null, null));
        assertThrows(IllegalArgumentException.class, () -> audit.record(null, AuditAction.LOGIN, null, null));
        assertThrows(IllegalArgumentException.class, () -> audit.record("ui:alice", null, null, null));
        IllegalArgumentException sort = assertThrows(IllegalArgumentException.class,
                () -> audit.list(AuditFilter.ALL, new PageRequest(1, 10, "actor", false)));
        assertEquals("Unknown sort key 'actor'; one of created.", sort.getMessage());
    }

    @Test
    public void actionsParseFromAnyCaseAndHyphens() {
        assertEquals(AuditAction.LOGIN_FAILED, AuditAction.parse("login-failed"));
        assertEquals(AuditAction.SECURITY_CONFIG_CHANGED, AuditAction.parse(" Security_Config_Changed "));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> AuditAction.parse("delete"));
        assertEquals("Unknown audit action 'delete'; one of LOGIN, LOGIN_FAILED, LOGOUT, HOST_REMOVED, IMAGE_REMOVED, GC_RUN, "
                + "GC_DRY_RUN, SECURITY_CONFIG_CHANGED, CVE_ACCEPTED, CVE_REVOKED.", unknown.getMessage());
    }

    private static List<String> details(PageDTO<AuditEventDTO> page) {
        return page.items().stream().map(AuditEventDTO::detail).toList();
    }

    /** @return the lines slf4j-simple wrote to System.err while {@code work} ran */
    private static List<String> stderrOf(Runnable work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(AuditService.LOGGER)
                || line.contains(AuditServiceImpl.class.getName())).toList();
    }
}
