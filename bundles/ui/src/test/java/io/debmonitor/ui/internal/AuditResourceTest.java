package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.ANONYMOUS;
import static io.debmonitor.ui.internal.UiTestSupport.CERTIFICATE;
import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Set;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SessionDTO;

/** The audit trail page (issue #11): admins only, HTML and JSON. */
public class AuditResourceTest {

    private static final CallerDTO ADMIN = new CallerDTO(Set.of(), null, true,
            new SessionDTO("token", "root", Set.of("viewer", "admin"), "csrf-abc", NOW, NOW));
    private static final String HTML = "text/html";
    private static final String JSON = "application/json";

    private final AuditService audit = mock(AuditService.class);
    private final AuditResource resource = new AuditResource(audit, UiTestSupport.pages(config()));

    @Test
    public void adminsSeeTheEventsNewestFirstAndTheNavigationLink() {
        when(audit.list(any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                new AuditEventDTO(8, NOW, "cert:cumin1001.example.org", AuditAction.HOST_REMOVED, "db1001.example.org", "12 package rows"),
                new AuditEventDTO(7, NOW.minusSeconds(60), "ui:<b>mallory</b>", AuditAction.LOGIN_FAILED, null, "from 192.0.2.7"))));
        String html = html(resource.audit(get("/audit/", ADMIN, HTML)));
        verify(audit).list(AuditFilter.ALL, new PageRequest(1, 50, null, false));
        assertTrue(html, html.contains("<a href=\"/audit/\" aria-current=\"page\">Audit</a>"));
        assertTrue(html, html.contains("<td class=\"nowrap\"><time datetime=\"2025-07-03T17:10:09.483Z\">2025-07-03 17:10:09 UTC</time></td>"));
        assertTrue(html, html.contains("<td>cert:cumin1001.example.org</td>\n    <td>HOST_REMOVED</td>\n"
                + "    <td class=\"name\">db1001.example.org</td>\n    <td>12 package rows</td>"));
        assertTrue("escaped", html.contains("<td>ui:&lt;b&gt;mallory&lt;/b&gt;</td>"));
        assertTrue(html, html.contains("<option value=\"SECURITY_CONFIG_CHANGED\">SECURITY_CONFIG_CHANGED</option>"));
        assertTrue(html, html.contains("2 events"));
    }

    @Test
    public void jsonTwinIsFilteredAndPaged() {
        when(audit.list(any(), any())).thenReturn(new PageDTO<>(2, 10, 11, List.of(
                new AuditEventDTO(1, NOW, "ui:alice", AuditAction.LOGOUT, null, null))));
        JsonNode json = json(resource.audit(get("/audit/?action=login-failed&actor=alice&page=2&size=10&sort=created&dir=asc", ADMIN, JSON)));
        verify(audit).list(new AuditFilter(AuditAction.LOGIN_FAILED, "alice"), new PageRequest(2, 10, "created", false));
        assertEquals("page,size,total,sort,dir,items", keys(json));
        assertEquals(11, json.get("total").asLong());
        JsonNode item = json.get("items").get(0);
        assertEquals("id,created,actor,action,target,detail", keys(item));
        assertEquals("2025-07-03T17:10:09.483Z", item.get("created").asText());
        assertEquals("LOGOUT", item.get("action").asText());
        assertTrue(item.get("target").isNull());
    }

    @Test
    public void everyoneElseIsRefused() {
        for (CallerDTO caller : List.of(LOGGED_IN, CERTIFICATE)) {
            String html = html(resource.audit(get("/audit/", caller, HTML)), 403);
            assertTrue(html, html.contains(AuditResource.ADMINS_ONLY));
            assertFalse("no link for non-admins", html.contains("href=\"/audit/\""));
            assertEquals(AuditResource.ADMINS_ONLY, json(resource.audit(get("/audit/", caller, JSON)), 403).get("error").asText());
        }
        assertEquals(302, resource.audit(get("/audit/", ANONYMOUS, HTML)).getStatus());
        assertEquals(403, resource.audit(get("/audit/", ANONYMOUS, JSON)).getStatus());
        verifyNoInteractions(audit);
    }

    @Test
    public void anUnknownActionIsABadRequest() {
        JsonNode json = json(resource.audit(get("/audit/?action=delete", ADMIN, JSON)), 400);
        assertTrue(json.toString(), json.get("error").asText().startsWith("Unknown audit action 'delete'; one of LOGIN, "));
    }

    @Test
    public void theIndexUrlEndsInASlash() {
        assertEquals(301, resource.audit(get("/audit?actor=x", ADMIN, HTML)).getStatus());
        assertEquals("/audit/?actor=x", resource.audit(get("/audit?actor=x", ADMIN, HTML)).getHeaderString("Location"));
    }
}
