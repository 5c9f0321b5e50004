package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.ANONYMOUS;
import static io.debmonitor.ui.internal.UiTestSupport.CERTIFICATE;
import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.finding;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SessionDTO;

/** CVE exceptions (CVE.md §10): the list and its VEX downloads, the accept and revoke forms, who may use them. */
public class CveExceptionResourceTest {

    private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";
    private static final String JSON = "application/json";
    private static final String CVE = "CVE-2024-9143";
    private static final SessionDTO ADMIN_SESSION = new SessionDTO("admin-token", "root", Set.of("admin", "viewer"), "csrf-root", NOW, NOW);
    private static final CallerDTO ADMIN = new CallerDTO(Set.of(), null, true, ADMIN_SESSION);
    private static final Instant EXPIRES = Instant.parse("2031-07-01T00:00:00Z");
    private static final CveExceptionDTO ACTIVE = new CveExceptionDTO(7, CVE, "openssl", EntityKind.HOST, "db1.example.org",
            "Internal <only>", "ui:root", NOW, EXPIRES, null, null, CveExceptionDTO.State.ACTIVE);
    private static final CveExceptionDTO REVOKED = new CveExceptionDTO(6, CVE, null, null, null, "Fleet-wide", "shell:karaf",
            NOW.minus(Duration.ofDays(3)), null, NOW.minus(Duration.ofDays(1)), "ui:root", CveExceptionDTO.State.REVOKED);

    private final CveExceptionService exceptions = mock(CveExceptionService.class);
    private final CveExceptionResource resource = new CveExceptionResource(exceptions, UiTestSupport.pages(config()));

    private static HttpServletRequest post(String uri, CallerDTO caller, String accept) {
        HttpServletRequest request = get(uri, caller, accept);
        when(request.getMethod()).thenReturn("POST");
        return request;
    }

    private Response accept(CallerDTO caller, String accept, String csrf, String issue, String reason, String source, String host, String image,
            String expires) {
        return resource.accept(post("/cve-exceptions/accept", caller, accept), csrf, issue, reason, source, host, image, expires);
    }

    @Test
    public void anAdministratorAcceptsAndIsSentToTheIssuesExceptions() {
        when(exceptions.accept(any(), any(), any(), any(), any(), any(), any())).thenReturn(ACTIVE);
        Response response = accept(ADMIN, HTML, "csrf-root", "cve-2024-9143", "Internal <only>", "openssl", "db1.example.org", "", "2031-07-01");
        assertEquals(303, response.getStatus());
        assertEquals("/cve-exceptions/?issue=" + CVE, response.getHeaderString("Location"));
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        // The service normalises the issue and checks the rest; the expiry date lapses at the start of that day, UTC.
        verify(exceptions).accept("cve-2024-9143", "openssl", EntityKind.HOST, "db1.example.org", "Internal <only>", EXPIRES, "ui:root");

        JsonNode json = json(accept(ADMIN, JSON, "csrf-root", CVE, "Rebuilt weekly", "", "", "registry.example.org/app:1", ""));
        verify(exceptions).accept(CVE, "", EntityKind.IMAGE, "registry.example.org/app:1", "Rebuilt weekly", null, "ui:root");
        assertEquals("id,cve,url,source,kind,entity,entity_url,reason,by,created,expires,state,revoked,revoked_by", keys(json));
        assertEquals(7, json.get("id").asLong());
        assertEquals("/hosts/db1.example.org", json.get("entity_url").asText());
        assertEquals("2031-07-01T00:00:00.000Z", json.get("expires").asText());
        assertEquals("active", json.get("state").asText());
        assertTrue(json.get("revoked").isNull());
    }

    @Test
    public void onlyAnAdministratorsSessionWithItsTokenMayWrite() {
        // A viewer's session, a client certificate, nobody: 403 whatever the token.
        for (CallerDTO caller : List.of(LOGGED_IN, CERTIFICATE, ANONYMOUS)) {
            assertEquals(CveExceptionResource.ADMINS_ONLY,
                    json(accept(caller, JSON, caller.session() == null ? null : caller.session().csrfToken(), CVE, "r", null, null, null, null), 403)
                            .get("error").asText());
            assertEquals(CveExceptionResource.ADMINS_ONLY, json(resource.revoke("7", post("/cve-exceptions/7/revoke", caller, JSON), "csrf-abc"),
                    403).get("error").asText());
        }
        String page = html(accept(LOGGED_IN, HTML, "csrf-abc", CVE, "r", null, null, null, null), 403);
        assertTrue(page, page.contains(CveExceptionResource.ADMINS_ONLY.replace("'", "&#39;")));
        // An administrator without this session's token: a forged form.
        for (String token : new String[] {null, "", "csrf-other", "csrf-root "}) {
            assertEquals(CveExceptionResource.NO_TOKEN, json(accept(ADMIN, JSON, token, CVE, "r", null, null, null, null), 403).get("error").asText());
            assertEquals(403, resource.revoke("7", post("/cve-exceptions/7/revoke", ADMIN, HTML), token).getStatus());
        }
        verifyNoInteractions(exceptions);
    }

    @Test
    public void badInputIsA400WithTheReason() {
        assertEquals("Give a host or an image, not both.",
                json(accept(ADMIN, JSON, "csrf-root", CVE, "r", null, "db1.example.org", "app:1", null), 400).get("error").asText());
        assertEquals("Give the issue: CVE-YYYY-NNNN or TEMP-….", json(accept(ADMIN, JSON, "csrf-root", " ", "r", null, null, null, null), 400)
                .get("error").asText());
        assertEquals("Invalid expiry '01/07/2031': expected a date, YYYY-MM-DD.",
                json(accept(ADMIN, JSON, "csrf-root", CVE, "r", null, null, null, "01/07/2031"), 400).get("error").asText());
        verifyNoInteractions(exceptions);
        // What only the service can check, e.g. an issue the feed does not have: its message, in the page for a browser.
        when(exceptions.accept(any(), any(), any(), any(), any(), any(), any()))
                .thenThrow(new IllegalArgumentException("CVE-1999-0001 is not in the active CVE feed snapshot."));
        assertEquals("CVE-1999-0001 is not in the active CVE feed snapshot.",
                json(accept(ADMIN, JSON, "csrf-root", "CVE-1999-0001", "r", null, null, null, null), 400).get("error").asText());
        String page = html(accept(ADMIN, HTML, "csrf-root", "CVE-1999-0001", "r", null, null, null, null), 400);
        assertTrue(page, page.contains("CVE-1999-0001 is not in the active CVE feed snapshot."));
        assertEquals(400, resource.accept(post("/cve-exceptions/accept?format=csv", ADMIN, JSON), "csrf-root", CVE, "r", null, null, null, null)
                .getStatus());
    }

    @Test
    public void anAdministratorRevokes() {
        when(exceptions.find(7)).thenReturn(Optional.of(ACTIVE));
        when(exceptions.revoke(7, "ui:root")).thenReturn(REVOKED);
        Response response = resource.revoke("7", post("/cve-exceptions/7/revoke", ADMIN, HTML), "csrf-root");
        assertEquals(303, response.getStatus());
        assertEquals("/cve-exceptions/", response.getHeaderString("Location"));
        assertEquals("revoked", json(resource.revoke("7", post("/cve-exceptions/7/revoke", ADMIN, JSON), "csrf-root")).get("state").asText());

        when(exceptions.find(8)).thenReturn(Optional.empty());
        assertEquals("No CVE exception 8.", json(resource.revoke("8", post("/cve-exceptions/8/revoke", ADMIN, JSON), "csrf-root"), 404)
                .get("error").asText());
        assertEquals("'x' is no exception number.", json(resource.revoke("x", post("/cve-exceptions/x/revoke", ADMIN, JSON), "csrf-root"), 400)
                .get("error").asText());
        when(exceptions.find(6)).thenReturn(Optional.of(REVOKED));
        when(exceptions.revoke(6, "ui:root")).thenThrow(new IllegalArgumentException("CVE exception 6 is revoked already."));
        assertEquals("CVE exception 6 is revoked already.", json(resource.revoke("6", post("/cve-exceptions/6/revoke", ADMIN, JSON), "csrf-root"),
                400).get("error").asText());
    }

    @Test
    public void theListShowsEveryExceptionAndRevokeButtonsToAdministrators() {
        when(exceptions.list(any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(ACTIVE, REVOKED)));
        JsonNode json = json(resource.list(getJson("/cve-exceptions/?state=active&issue=cve-2024-9143&sort=expires")));
        verify(exceptions).list(new CveExceptionFilter(CVE, CveExceptionDTO.State.ACTIVE, null, null), new PageRequest(1, 50, "expires", false));
        assertEquals("page,size,total,sort,dir,items", keys(json));
        assertEquals(2, json.get("items").size());
        JsonNode revoked = json.get("items").get(1);
        assertEquals("revoked", revoked.get("state").asText());
        assertTrue(revoked.get("kind").isNull());
        assertTrue(revoked.get("source").isNull());
        assertEquals("ui:root", revoked.get("revoked_by").asText());

        String forAdmin = html(resource.list(get("/cve-exceptions/", ADMIN, HTML)));
        assertTrue(forAdmin, forAdmin.contains("<form class=\"inline-action\" method=\"post\" action=\"/cve-exceptions/7/revoke\">"));
        assertFalse("no revoke button for a revoked one", forAdmin.contains("/cve-exceptions/6/revoke"));
        assertTrue(forAdmin, forAdmin.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-root\">"));
        assertTrue("escaped", forAdmin.contains("Internal &lt;only&gt;"));
        assertTrue(forAdmin, forAdmin.contains("<a href=\"/hosts/db1.example.org\">db1.example.org</a> <span class=\"muted\">(host)</span>"));
        assertTrue(forAdmin, forAdmin.contains("every host and image"));
        assertTrue(forAdmin, forAdmin.contains("<a href=\"/cve-exceptions/?format=openvex\" download>OpenVEX</a>"));
        String forViewer = html(resource.list(get("/cve-exceptions/", LOGGED_IN, HTML)));
        assertFalse(forViewer, forViewer.contains("/revoke"));
        assertTrue(forViewer, forViewer.contains("Internal &lt;only&gt;"));

        assertEquals(301, resource.list(get("/cve-exceptions")).getStatus());
        for (String bad : List.of("state=lapsed", "issue=openssl", "sort=reason", "format=xml")) {
            assertEquals(bad, 400, resource.list(getJson("/cve-exceptions/?" + bad)).getStatus());
        }
        assertEquals(403, resource.list(get("/cve-exceptions/", ANONYMOUS, JSON)).getStatus());
    }

    @Test
    public void theActiveExceptionsDownloadAsVex() {
        when(exceptions.export(CveExceptionService.VexFormat.OPENVEX)).thenReturn("{\"@context\": \"https://openvex.dev/ns/v0.2.0\"}");
        when(exceptions.export(CveExceptionService.VexFormat.CYCLONEDX)).thenReturn("{\"bomFormat\": \"CycloneDX\"}");
        Response openVex = resource.list(get("/cve-exceptions/?format=openvex"));
        assertEquals(200, openVex.getStatus());
        assertEquals("attachment; filename=\"debmonitor-cve-exceptions.openvex.json\"", openVex.getHeaderString("Content-Disposition"));
        assertEquals("application/json", openVex.getMediaType().toString());
        assertEquals("{\"@context\": \"https://openvex.dev/ns/v0.2.0\"}", openVex.getEntity());
        Response cycloneDx = resource.list(get("/cve-exceptions/?format=cyclonedx"));
        assertEquals("attachment; filename=\"debmonitor-cve-exceptions.vex.cdx.json\"", cycloneDx.getHeaderString("Content-Disposition"));
        assertEquals(MediaType.valueOf(CycloneDxBom.MEDIA_TYPE), cycloneDx.getMediaType());
        assertEquals("format=openvex exports every active exception and takes no state.",
                json(resource.list(get("/cve-exceptions/?format=openvex&state=active")), 400).get("error").asText());
        assertEquals(403, resource.list(get("/cve-exceptions/?format=openvex", ANONYMOUS, HTML)).getStatus());
        verify(exceptions, never()).list(any(), any());
    }

    @Test
    public void theListDownloadsAsCsvAndJsonl() throws IOException {
        when(exceptions.list(any(), any())).thenReturn(new PageDTO<>(1, 1000, 2, List.of(ACTIVE, REVOKED)));
        Response csv = resource.list(get("/cve-exceptions/?format=csv&state=active"));
        assertEquals(200, csv.getStatus());
        assertEquals("attachment; filename=\"cve-exceptions.csv\"", csv.getHeaderString("Content-Disposition"));
        String[] rows = body(csv).split("\r\n");
        assertEquals("id,cve,source,kind,entity,reason,by,created,expires,state,revoked,revoked_by", rows[0]);
        assertEquals(3, rows.length);
        assertTrue(rows[1], rows[1].startsWith("7," + CVE + ",openssl,host,db1.example.org,Internal <only>,ui:root,"));
        verify(exceptions).list(new CveExceptionFilter(null, CveExceptionDTO.State.ACTIVE, null, null), new PageRequest(1, 1000, null, false));

        String[] lines = body(resource.list(get("/cve-exceptions/?format=jsonl&issue=" + CVE))).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0], lines[0].startsWith("{\"id\":7,\"cve\":\"" + CVE + "\","));
        assertTrue(lines[1], lines[1].contains("\"state\":\"revoked\""));
        verify(exceptions, never()).export(any());
    }

    private static String body(Response response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) response.getEntity()).write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void theIssuePageOffersTheAcceptFormToAdministratorsOnly() {
        CveFleetService fleet = mock(CveFleetService.class);
        when(fleet.dashboard()).thenReturn(new CveDashboardDTO(Map.of(), 0, 0, 0, 0, 0, 0, null, null, true));
        when(fleet.issue(CVE)).thenReturn(Optional.of(new CveIssueDTO(CVE, null, null, null, List.of("https://security-tracker.debian.org/tracker/"
                + CVE), List.of(new CveIssueDTO.Debian("openssl", "bookworm", "resolved", "3.0.15-1~deb12u1", "not yet assigned", null, null, false,
                        Map.of())))));
        EntityDTO host = new EntityDTO(EntityKind.HOST, "db1.example.org", "Debian 12", "#1 SMP", "6.1.0-18-amd64", NOW, NOW, 400, 2, 1, 0);
        CveFindingDTO accepted = finding(CVE, CveVerdict.AFFECTED_FIXED, null, true, "not_offered")
                .withAccepted(new CveFindingDTO.Accepted(7, "Internal only", "ui:root", NOW, EXPIRES));
        when(fleet.findings(eq(CVE), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(new CveEntityFindingDTO(host, accepted))));
        CveResource cves = new CveResource(fleet, UiTestSupport.pages(config()));

        String forAdmin = html(cves.cve(CVE, get("/cves/" + CVE, ADMIN, HTML)));
        assertTrue(forAdmin, forAdmin.contains("<form class=\"card filters\" method=\"post\" action=\"/cve-exceptions/accept\">"));
        assertTrue(forAdmin, forAdmin.contains("<input type=\"hidden\" name=\"issue\" value=\"" + CVE + "\">"));
        assertTrue(forAdmin, forAdmin.contains("<option value=\"openssl\">openssl</option>"));
        assertTrue(forAdmin, forAdmin.contains("name=\"expires\" type=\"date\""));
        // The accepted finding is listed, marked, not highlighted as counted.
        assertTrue(forAdmin, forAdmin.contains("<a class=\"badge badge-accepted\" href=\"/cve-exceptions/?issue=" + CVE
                + "\" title=\"Accepted by ui:root until 2031-07-01 00:00:00 UTC: Internal only\">accepted</a>"));
        assertFalse(forAdmin, forAdmin.contains("row-security"));
        String forViewer = html(cves.cve(CVE, get("/cves/" + CVE, LOGGED_IN, HTML)));
        assertFalse(forViewer, forViewer.contains("/cve-exceptions/accept"));
        assertTrue(forViewer, forViewer.contains("badge-accepted"));

        JsonNode item = json(cves.cve(CVE, getJson("/cves/" + CVE))).get("findings").get("items").get(0);
        assertFalse(item.get("counted").asBoolean());
        assertEquals("AFFECTED_FIXED", item.get("verdict").asText());
        assertEquals("reason,by,expires", keys(item.get("accepted")));
        assertEquals("Internal only", item.get("accepted").get("reason").asText());
        assertEquals("ui:root", item.get("accepted").get("by").asText());
        assertEquals("2031-07-01T00:00:00.000Z", item.get("accepted").get("expires").asText());
        assertEquals(200, cves.cve(CVE, getJson("/cves/" + CVE + "?state=ACCEPTED")).getStatus());
        verify(exceptions, never()).accept(any(), any(), any(), any(), any(), any(), any());
        verify(exceptions, never()).revoke(anyLong(), any());
    }
}
