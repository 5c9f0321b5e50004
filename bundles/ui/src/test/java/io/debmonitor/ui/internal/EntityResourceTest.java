package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.ANONYMOUS;
import static io.debmonitor.ui.internal.UiTestSupport.CERTIFICATE;
import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.STALENESS;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.Before;
import org.junit.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.UpgradeFilter;

public class EntityResourceTest {

    private static final String IMAGE = "docker-registry.example.org/wikimedia/mediawiki:1.2.3-1";

    private final EntityService entities = mock(EntityService.class);
    private final KernelService kernels = mock(KernelService.class);
    private final KubernetesService kubernetes = mock(KubernetesService.class);
    private final AccessService access = UiTestSupport.access();
    private EntityResource resource;

    private static EntityDTO host(String name, long packages, long upgrades, long security) {
        return host(name, NOW.minus(Duration.ofHours(3)), packages, upgrades, security);
    }

    private static EntityDTO host(String name, Instant modified, long packages, long upgrades, long security) {
        return new EntityDTO(EntityKind.HOST, name, "Debian 12", "#1 SMP Debian 6.1.140-1", "6.1.0-37-amd64",
                NOW.minus(Duration.ofDays(40)), modified, packages, upgrades, security, 0);
    }

    private static EntityDTO image(String name, Instant modified) {
        return new EntityDTO(EntityKind.IMAGE, name, "Debian 12", null, null, NOW.minus(Duration.ofDays(90)), modified, 10, 0, 0, 0);
    }

    private EntityResource resource(Object... config) {
        return resource(UiTestSupport.pages(config(config), access));
    }

    private EntityResource resource(Pages pages) {
        return new EntityResource(entities, kernels, kubernetes, STALENESS, mock(io.debmonitor.core.model.api.HistoryService.class), mock(io.debmonitor.core.model.api.CveService.class), mock(io.debmonitor.core.model.api.CveFleetService.class), pages, Clock.fixed(NOW, ZoneOffset.UTC), "0.1.0.SNAPSHOT");
    }

    @Before
    public void setUp() {
        resource = resource();
        when(entities.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        when(entities.rows(any(), anyString(), any(), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        when(kernels.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 100, 0, List.of()));
    }

    @Test
    public void hostsPageEscapesNamesAndShowsOnlyNonZeroBadges() {
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                host("<script>alert(1)</script>.example.org", 812, 3, 1), host("db1001.example.org", 400, 0, 0))));
        String html = html(resource.hosts(get("/hosts/")));
        assertTrue(html, html.contains("<title>Hosts - DebMonitor</title>"));
        assertTrue(html, html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example.org"));
        assertFalse(html, html.contains("<script>alert"));
        assertTrue(html, html.contains("href=\"/hosts/%3Cscript%3Ealert(1)%3C/script%3E.example.org\""));
        assertTrue(html, html.contains("<span class=\"badge badge-installed\" title=\"812 packages installed\">812</span>"));
        assertTrue(html, html.contains("<span class=\"badge badge-upgrades\" title=\"3 upgradable packages\">3</span>"));
        assertTrue(html, html.contains("<span class=\"badge badge-security\" title=\"1 security upgrades\">1</span>"));
        assertEquals("one upgrades badge: db1001 has none", 1, count(html, "badge-upgrades\""));
        assertTrue(html, html.contains("<time datetime=\"2025-07-03T14:10:09.483Z\" title=\"2025-07-03 14:10:09 UTC\">3 hours ago</time>"));
        assertTrue(html, html.contains("<html lang=\"en\">"));
        assertTrue(html, html.contains("href=\"#main\""));
        assertTrue(html, html.contains("<a href=\"/hosts/\" aria-current=\"page\">Hosts</a>"));
        assertTrue(html, html.contains("cumin1001.example.org"));
    }

    @Test
    public void hostsFiltersAndPagingReachTheService() {
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(2, 10, 25, List.of(host("a.example.org", 1, 0, 0))));
        String html = html(resource.hosts(get("/hosts/?q=db&os=Debian+12&upgrades=security&page=2&size=10&sort=name&dir=desc")));
        ArgumentCaptor<EntityFilter> filter = ArgumentCaptor.forClass(EntityFilter.class);
        verify(entities).list(eq(EntityKind.HOST), filter.capture(), eq(new PageRequest(2, 10, "name", true)));
        assertEquals(new EntityFilter("db", "Debian 12", UpgradeFilter.SECURITY, null), filter.getValue());
        assertTrue(html, html.contains("Page 2 of 3"));
        assertTrue(html, html.contains("11–11 of 25"));
        assertTrue(html, html.contains("<a href=\"/hosts/?q=db&amp;os=Debian+12&amp;upgrades=security&amp;sort=name&amp;dir=desc&amp;size=10\">First</a>"));
        assertTrue(html, html.contains("<a href=\"/hosts/?q=db&amp;os=Debian+12&amp;upgrades=security&amp;sort=name&amp;dir=desc&amp;size=10&amp;page=3\">Last</a>"));
        // the current sort column says so and its link reverses the order
        assertTrue(html, html.contains("aria-sort=\"descending\"><a class=\"sort sorted\" href=\"/hosts/?q=db&amp;os=Debian+12&amp;upgrades=security&amp;sort=name&amp;dir=asc&amp;size=10\">Hostname"));
        assertTrue(html, html.contains("<input type=\"hidden\" name=\"sort\" value=\"name\">"));
        assertTrue(html, html.contains("<option value=\"security\" selected>Security</option>"));
    }

    @Test
    public void pastTheLastPageShowsNoRowsAndLinksBack() {
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(9, 10, 25, List.of()));
        String html = html(resource.hosts(get("/hosts/?page=9&size=10")));
        assertTrue(html, html.contains("Page 9 of 3"));
        assertTrue(html, html.contains("<a href=\"/hosts/?size=10&amp;page=3\">Previous</a>"));
        assertTrue(html, html.contains("<span class=\"disabled\" aria-disabled=\"true\">Next</span>"));
    }

    @Test
    public void indexWithoutTrailingSlashRedirectsKeepingTheQuery() {
        Response response = resource.hosts(get("/hosts?q=db&page=2", ANONYMOUS, null));
        assertEquals(301, response.getStatus());
        assertEquals("/hosts/?q=db&page=2", response.getHeaderString("Location"));
        assertEquals("/images/", resource.images(get("/images")).getHeaderString("Location"));
        verifyNoInteractions(entities);
    }

    @Test
    public void invalidParametersAre400InTheAskedFormat() {
        for (String query : List.of("page=0", "page=x", "size=0", "size=1001", "sort=bogus", "sort=containers", "dir=up",
                "upgrades=some", "stale=yes", "format=xml")) {
            Response page = resource.hosts(get("/hosts/?" + query));
            assertTrue(query, html(page, 400).contains("Bad request"));
            JsonNode json = json(resource.hosts(getJson("/hosts/?" + query)), 400);
            assertEquals(query, "error", keys(json));
        }
        assertEquals("Unknown sort key 'kernel'; one of containers, cves, modified, name, os, packages, security, upgrades.",
                json(resource.images(get("/images/?sort=kernel&format=json")), 400).get("error").asText());
        verify(entities, never()).list(any(), any(), any());
    }

    @Test
    public void maxPageSizeComesFromTheConfiguration() {
        resource = resource("ui_maxPageSize", 5000, "ui_pageSize", 20);
        json(resource.hosts(getJson("/hosts/?size=5000")));
        verify(entities).list(eq(EntityKind.HOST), any(), eq(new PageRequest(1, 5000, null, false)));
        json(resource.hosts(getJson("/hosts/")));
        verify(entities).list(eq(EntityKind.HOST), any(), eq(new PageRequest(1, 20, null, false)));
    }

    @Test
    public void aModifiedConfigurationChangesTheExistingResource() {
        Pages pages = UiTestSupport.pages(config(), access);
        EntityResource resource = resource(pages);
        assertEquals(302, resource.hosts(get("/hosts/", ANONYMOUS, null)).getStatus());
        json(resource.hosts(getJson("/hosts/")));
        verify(entities).list(eq(EntityKind.HOST), any(), eq(new PageRequest(1, 50, null, false)));

        pages.modified(config("ui_public", true, "ui_pageSize", 7, "search_minLength", 6));
        json(resource.hosts(getJson("/hosts/")));
        verify(entities).list(eq(EntityKind.HOST), any(), eq(new PageRequest(1, 7, null, false)));
        String html = html(resource.hosts(get("/hosts/", ANONYMOUS, null)));
        assertTrue(html, html.contains("minlength=\"6\""));

        pages.modified(config());
        assertEquals(302, resource.hosts(get("/hosts/", ANONYMOUS, null)).getStatus());
    }

    @Test
    public void serviceRejectionIs400() {
        when(entities.list(any(), any(), any())).thenThrow(new IllegalArgumentException("page must be at least 1"));
        assertEquals("page must be at least 1", json(resource.hosts(getJson("/hosts/")), 400).get("error").asText());
    }

    @Test
    public void hostsJsonHasTheTableShape() {
        EntityDTO host = new EntityDTO(EntityKind.HOST, "db1001.example.org", "Debian 12", "#1 SMP Debian 6.1.140-1", "6.1.0-37-amd64",
                NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofHours(3)), 5, 2, 1, 0, null, 4, 3);
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(host)));
        JsonNode json = json(resource.hosts(get("/hosts/?format=json&sort=security&dir=desc")));
        assertEquals("page,size,total,sort,dir,items", keys(json));
        assertEquals("security", json.get("sort").asText());
        assertEquals("desc", json.get("dir").asText());
        JsonNode item = json.get("items").get(0);
        assertEquals("name,url,os,kernel,modified,stale,packages,upgrades,security,cves,cves_fixable", keys(item));
        assertEquals("/hosts/db1001.example.org", item.get("url").asText());
        assertEquals("2025-07-03T14:10:09.483Z", item.get("modified").asText());
        assertEquals(1, item.get("security").asLong());
        assertTrue(item.get("cves").isIntegralNumber());
        assertEquals(4, item.get("cves").asLong());
        assertEquals(3, item.get("cves_fixable").asLong());
        JsonNode byDefault = json(resource.hosts(getJson("/hosts/")));
        assertTrue(byDefault.get("sort").isNull());
        assertTrue(byDefault.get("dir").isNull());
    }

    @Test
    public void acceptHeaderChoosesJsonOnlyWithoutHtml() {
        assertEquals(MediaType.valueOf(Pages.JSON), resource.hosts(get("/hosts/", CERTIFICATE, "application/json")).getMediaType());
        assertEquals(MediaType.valueOf(Pages.HTML), resource.hosts(get("/hosts/", CERTIFICATE, "text/html, application/json")).getMediaType());
        assertEquals(MediaType.valueOf(Pages.HTML), resource.hosts(get("/hosts/?format=html", CERTIFICATE, "application/json")).getMediaType());
        assertEquals(MediaType.valueOf(Pages.HTML), resource.hosts(get("/hosts/", CERTIFICATE, null)).getMediaType());
    }

    @Test
    public void htmlWithoutIdentityOrSessionGoesToLogin() {
        Response response = resource.hosts(get("/hosts/?q=a b&os=Debian%2012", ANONYMOUS, null));
        assertEquals(302, response.getStatus());
        assertEquals("/login?next=%2Fhosts%2F%3Fq%3Da+b%26os%3DDebian%252012", response.getHeaderString("Location"));
        html(resource.hosts(get("/hosts/", LOGGED_IN, null)));
        verifyNoInteractions(kernels);
    }

    @Test
    public void publicUiOpensHtmlButNotJson() {
        resource = resource("ui_public", true);
        String html = html(resource.hosts(get("/hosts/", ANONYMOUS, null)));
        assertTrue(html, html.contains("<a href=\"/login\">Log in</a>"));
        JsonNode refused = json(resource.hosts(get("/hosts/?format=json", ANONYMOUS, null)), 403);
        assertEquals("Log in or present a client certificate to read this page.", refused.get("error").asText());
        json(resource.hosts(get("/hosts/?format=json", LOGGED_IN, null)));
    }

    @Test
    public void sessionShowsUserAndLogoutForm() {
        String html = html(resource.hosts(get("/hosts/", LOGGED_IN, null)));
        assertTrue(html, html.contains("alice"));
        assertTrue(html, html.contains("<form action=\"/logout\" method=\"post\">"));
        assertTrue(html, html.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-abc\">"));
        assertFalse(html, html.contains(">Log in<"));
    }

    @Test
    public void hostDetailShowsSummaryRowsAndLinks() {
        resource = resource("ui_hostLinks", new String[] {"Grafana=https://grafana.example.org/d/h?var-host={hostname}&x={other}, Netbox=https://netbox/{fqdn}"});
        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 2, 1)));
        when(kernels.list("#1 SMP Debian 6.1.140-1", "Debian 12", new PageRequest(1, 100, null, false))).thenReturn(new PageDTO<>(1, 100, 2, List.of(
                new KernelDTO(3, "1-smp-debian-6-1-140-1-x", "Debian 12", "#1 SMP Debian 6.1.140-1 x", 1),
                new KernelDTO(3, "1-smp-debian-6-1-140-1", "Debian 12", "#1 SMP Debian 6.1.140-1", 4))));
        when(entities.rows(eq(EntityKind.HOST), eq("db1001.example.org"), any(), any())).thenReturn(new PageDTO<>(1, 50, 3, List.of(
                new PackageRowDTO("libssl3", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "security"),
                new PackageRowDTO("libstdc++6", "12.2.0-14", "12.2.0-14+deb12u1", "bookworm-updates"),
                new PackageRowDTO("zlib1g", "1:1.2.13.dfsg-1", null, null))));
        String html = html(resource.host("db1001.example.org", get("/hosts/db1001.example.org")));
        assertTrue(html, html.contains("<title>db1001.example.org - DebMonitor</title>"));
        assertTrue(html, html.contains("<a href=\"/kernels/3_1-smp-debian-6-1-140-1\">#1 SMP Debian 6.1.140-1</a>"));
        assertTrue(html, html.contains("<tr class=\"row-security\">"));
        assertTrue(html, html.contains("3.0.15-1~deb12u1 <span class=\"badge badge-security\" title=\"Security upgrade\">security</span>"));
        assertTrue(html, html.contains("<tr class=\"row-upgrade\">"));
        assertTrue(html, html.contains("12.2.0-14+deb12u1 <span class=\"badge badge-upgrades\" title=\"Upgrade\">upgrade</span>"));
        assertTrue(html, html.contains("<a href=\"/packages/libstdc++6\">libstdc++6</a>"));
        assertTrue(html, html.contains("href=\"https://grafana.example.org/d/h?var-host=db1001&amp;x={other}\""));
        assertTrue(html, html.contains("href=\"https://netbox/db1001.example.org\""));
        assertEquals(2, count(html, "<tr class=\"row-"));
    }

    @Test
    public void hostDetailJsonHasSummaryAndPackagesTable() {
        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 2, 1)));
        when(entities.rows(eq(EntityKind.HOST), eq("db1001.example.org"), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(
                new PackageRowDTO("libssl3", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "security"))));
        JsonNode json = json(resource.host("db1001.example.org", getJson("/hosts/db1001.example.org?q=ssl&upgrades=upgradable")));
        assertEquals("name,os,kernel,kernel_url,kernel_release,created,modified,stale,links,packages", keys(json));
        assertFalse(json.get("stale").asBoolean());
        assertTrue(json.get("kernel_url").isNull());
        assertEquals("page,size,total,sort,dir,items", keys(json.get("packages")));
        assertEquals("name,url,version,upgrade,upgrade_type", keys(json.get("packages").get("items").get(0)));
        verify(entities).rows(EntityKind.HOST, "db1001.example.org", new RowFilter("ssl", UpgradeFilter.UPGRADABLE), PageRequest.first(50));
    }

    @Test
    public void unknownDetailIs404() {
        when(entities.find(any(), anyString())).thenReturn(Optional.empty());
        assertTrue(html(resource.host("nope.example.org", get("/hosts/nope.example.org")), 404).contains("No host named &#39;nope.example.org&#39;."));
        assertEquals("No image named 'a/b:1'.", json(resource.image("a/b:1", getJson("/images/a/b:1")), 404).get("error").asText());
    }

    @Test
    public void imageLookupJsonIsForUploadersAndSessions() {
        EntityDTO image = new EntityDTO(EntityKind.IMAGE, IMAGE, "Debian 12", null, null, NOW.minusSeconds(7200), NOW.minusSeconds(60), 100, 0, 0, 52);
        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image));
        when(kubernetes.ofImage(IMAGE)).thenReturn(List.of(new KubernetesRowDTO("eqiad", "mw-web", IMAGE, "Debian 12", 40, NOW),
                new KubernetesRowDTO("eqiad", "mw-api", IMAGE, "Debian 12", 12, NOW)));
        when(access.writeRefusal(CERTIFICATE, EntityKind.IMAGE, IMAGE)).thenReturn("Unauthorized to modify image");
        assertEquals("Unauthorized to modify image", json(resource.image(IMAGE, getJson("/images/" + IMAGE)), 403).get("error").asText());

        JsonNode json = json(resource.image(IMAGE, get("/images/" + IMAGE, LOGGED_IN, "application/json")));
        assertEquals("name,os,created,modified,stale,digest,containers,kubernetes,links,packages", keys(json));
        assertEquals(IMAGE, json.get("name").asText());
        assertEquals("2025-07-03T15:10:09.483Z", json.get("created").asText());
        assertEquals("2025-07-03T17:09:09.483Z", json.get("modified").asText());
        assertEquals(52, json.get("containers").asLong());
        assertEquals("/kubernetes/?cluster=eqiad&namespace=mw-web", json.get("kubernetes").get(0).get("url").asText());

        when(access.writeRefusal(CERTIFICATE, EntityKind.IMAGE, IMAGE)).thenReturn(null);
        json(resource.image(IMAGE, getJson("/images/" + IMAGE)));
        // the HTML page follows the usual rule: any identity
        when(access.writeRefusal(CERTIFICATE, EntityKind.IMAGE, IMAGE)).thenReturn("Unauthorized to modify image");
        String html = html(resource.image(IMAGE, get("/images/" + IMAGE)));
        assertTrue(html, html.contains("eqiad / mw-web</a>: 40"));
    }

    @Test
    public void hostSbomListsEveryPackageAsCycloneDx() throws Exception {
        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 1, 1)));
        when(entities.installed(EntityKind.HOST, "db1001.example.org")).thenReturn(List.of(
                new InstalledDTO("libfoo1", "1.0-1+b1", "foo", "1.0-1"),
                new InstalledDTO("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
                new InstalledDTO("libzstd1:i386", "1.5.4+dfsg2-5", "libzstd", "1.5.4+dfsg2-5"),
                new InstalledDTO("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1")));
        Response response = resource.host("db1001.example.org", get("/hosts/db1001.example.org?format=cyclonedx"));
        assertEquals(200, response.getStatus());
        assertEquals(MediaType.valueOf("application/vnd.cyclonedx+json; version=1.5"), response.getMediaType());
        assertEquals("attachment; filename=\"db1001.example.org.cdx.json\"", response.getHeaderString("Content-Disposition"));
        String document = (String) response.getEntity();
        assertEquals(List.of(), UiTestSupport.cycloneDx15Problems(document));
        JsonNode bom = new ObjectMapper().readTree(document);
        assertEquals("0.1.0.SNAPSHOT", bom.get("metadata").get("tools").get("components").get(0).get("version").asText());
        assertEquals("db1001.example.org", bom.get("metadata").get("component").get("name").asText());
        List<String> purls = new ArrayList<>();
        bom.get("components").forEach(c -> purls.add(c.path("purl").asText(c.get("type").asText())));
        // The source comes as upstream, with its version only when it differs from the binary's (a binNMU).
        assertEquals(List.of("operating-system", "pkg:deb/debian/libfoo1@1.0-1%2Bb1?distro=debian-12&upstream=foo%401.0-1",
                "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl",
                "pkg:deb/debian/libzstd1@1.5.4%2Bdfsg2-5?arch=i386&distro=debian-12&upstream=libzstd",
                "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?distro=debian-12&upstream=zlib"), purls);
        verify(entities, never()).rows(any(), anyString(), any(), any());

        String again = (String) resource.host("db1001.example.org", get("/hosts/db1001.example.org?format=cyclonedx")).getEntity();
        assertFalse("each SBOM has its own serial number",
                new ObjectMapper().readTree(again).get("serialNumber").equals(bom.get("serialNumber")));
    }

    @Test
    public void sbomTakesNoTableParameters() {
        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 1, 1)));
        for (String parameter : List.of("page=2", "size=10", "sort=name", "dir=asc", "q=ssl", "upgrades=security")) {
            JsonNode refused = json(resource.host("db1001.example.org", get("/hosts/db1001.example.org?format=cyclonedx&" + parameter)), 400);
            String name = parameter.substring(0, parameter.indexOf('='));
            assertEquals("format=cyclonedx takes no " + name + ": the SBOM lists every package.", refused.get("error").asText());
        }
        verify(entities, never()).installed(any(), anyString());
    }

    @Test
    public void sbomIsRefusedAndNotFoundAsTheJsonIs() {
        when(entities.find(any(), anyString())).thenReturn(Optional.empty());
        assertEquals("No host named 'nope.example.org'.",
                json(resource.host("nope.example.org", get("/hosts/nope.example.org?format=cyclonedx")), 404).get("error").asText());
        // no redirect to the login page, even with a public UI: a refusal as JSON
        resource = resource("ui_public", true);
        assertEquals("Log in or present a client certificate to read this page.",
                json(resource.host("nope.example.org", get("/hosts/nope.example.org?format=cyclonedx", ANONYMOUS, null)), 403).get("error").asText());
        verify(entities, times(1)).find(any(), anyString());
    }

    @Test
    public void imageSbomIsForUploadersAndSessions() {
        EntityDTO image = new EntityDTO(EntityKind.IMAGE, IMAGE, "Ubuntu 24.04", null, null, NOW, NOW, 1, 0, 0, 0, "sha256:" + "0".repeat(64));
        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image));
        when(entities.installed(EntityKind.IMAGE, IMAGE)).thenReturn(List.of(new InstalledDTO("libc6", "2.39-0ubuntu8.4", "glibc", "2.39-0ubuntu8.4")));
        when(access.writeRefusal(CERTIFICATE, EntityKind.IMAGE, IMAGE)).thenReturn("Unauthorized to modify image");
        assertEquals("Unauthorized to modify image",
                json(resource.image(IMAGE, get("/images/" + IMAGE + "?format=cyclonedx")), 403).get("error").asText());
        verify(entities, never()).installed(any(), anyString());

        Response response = resource.image(IMAGE, get("/images/" + IMAGE + "?format=cyclonedx", LOGGED_IN, null));
        assertEquals(200, response.getStatus());
        assertEquals("attachment; filename=\"docker-registry.example.org_wikimedia_mediawiki_1.2.3-1.cdx.json\"",
                response.getHeaderString("Content-Disposition"));
        String document = (String) response.getEntity();
        assertEquals(List.of(), UiTestSupport.cycloneDx15Problems(document));
        assertTrue(document, document.contains("\"purl\":\"pkg:deb/ubuntu/libc6@2.39-0ubuntu8.4?distro=ubuntu-24.04&upstream=glibc\""));

        when(access.writeRefusal(CERTIFICATE, EntityKind.IMAGE, IMAGE)).thenReturn(null);
        assertEquals(200, resource.image(IMAGE, get("/images/" + IMAGE + "?format=cyclonedx")).getStatus());
    }

    @Test
    public void onlyDetailPagesOfferTheSbom() {
        assertEquals("This page offers no cyclonedx export; format must be html, json, csv or jsonl.",
                json(resource.hosts(getJson("/hosts/?format=cyclonedx")), 400).get("error").asText());
        assertTrue(html(resource.hosts(get("/hosts/?format=cyclonedx")), 400).contains("This page offers no cyclonedx export"));
        verifyNoInteractions(entities);
        // the page's table decides, so the entity is looked up first
        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image(IMAGE, NOW)));
        assertEquals("Unknown format 'spdx'; format must be html, json, csv, cyclonedx or jsonl.",
                json(resource.image(IMAGE, get("/images/" + IMAGE + "?format=spdx", LOGGED_IN, "application/json")), 400).get("error").asText());
        verify(entities, never()).rows(any(), anyString(), any(), any());
    }

    @Test
    public void hostPackagesDownloadAsCsv() throws Exception {
        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 1, 1)));
        when(entities.rows(eq(EntityKind.HOST), eq("db1001.example.org"), any(), any())).thenReturn(new PageDTO<>(1, 1000, 2, List.of(
                new PackageRowDTO("libssl3", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "security"),
                new PackageRowDTO("zlib1g", "1:1.2.13.dfsg-1", null, null))));
        Response response = resource.host("db1001.example.org", get("/hosts/db1001.example.org?q=l&format=csv"));
        assertEquals(200, response.getStatus());
        assertEquals("attachment; filename=\"hosts-db1001.example.org.csv\"", response.getHeaderString("Content-Disposition"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ((javax.ws.rs.core.StreamingOutput) response.getEntity()).write(out);
        assertEquals("name,version,upgrade,upgrade_type\r\nlibssl3,3.0.11-1~deb12u2,3.0.15-1~deb12u1,security\r\nzlib1g,1:1.2.13.dfsg-1,,\r\n",
                out.toString(java.nio.charset.StandardCharsets.UTF_8));
        verify(entities).rows(EntityKind.HOST, "db1001.example.org", new RowFilter("l", UpgradeFilter.ALL), PageRequest.keyset(null, 1000));
    }

    @Test
    public void imagesListLinksReferencesLiterally() {
        resource = resource("ui_imageLinks", new String[] {"Registry=https://registry.example.org/{image_path}/tags"});
        EntityDTO image = new EntityDTO(EntityKind.IMAGE, IMAGE, "Debian 12", null, null, NOW, NOW, 0, 0, 0, 0);
        when(entities.list(eq(EntityKind.IMAGE), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(image)));
        String html = html(resource.images(get("/images/?in_use=false")));
        assertTrue(html, html.contains("<a href=\"/images/" + IMAGE + "\">" + IMAGE + "</a>"));
        verify(entities).list(EntityKind.IMAGE, new EntityFilter(null, null, UpgradeFilter.ALL, false), PageRequest.first(50));
        assertEquals("in_use must be true or false.", json(resource.images(getJson("/images/?in_use=maybe")), 400).get("error").asText());

        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image));
        assertEquals("https://registry.example.org/wikimedia/mediawiki/tags",
                json(resource.image(IMAGE, get("/images/" + IMAGE, LOGGED_IN, "application/json"))).get("links").get(0).get("url").asText());
    }

    @Test
    public void staleFilterReachesTheServiceAndStaysInTheLinks() {
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(1, 10, 25, List.of(host("a.example.org", 1, 0, 0))));
        String html = html(resource.hosts(get("/hosts/?stale=true&size=10")));
        verify(entities).list(EntityKind.HOST, new EntityFilter(null, null, UpgradeFilter.ALL, null, null, true), PageRequest.first(10));
        assertTrue(html, html.contains("<select id=\"f-stale\" name=\"stale\" data-autosubmit>"));
        assertTrue(html, html.contains("<option value=\"true\" selected>Stale only</option>"));
        assertTrue(html, html.contains("<a href=\"/hosts/?stale=true&amp;size=10&amp;page=3\">Last</a>"));
        assertTrue(html, html.contains("<a class=\"reset\" href=\"/hosts/\">Reset</a>"));

        json(resource.images(getJson("/images/?in_use=true&stale=FALSE")));
        verify(entities).list(EntityKind.IMAGE, new EntityFilter(null, null, UpgradeFilter.ALL, true, null, false), PageRequest.first(50));
        json(resource.images(getJson("/images/?stale=")));
        verify(entities).list(EntityKind.IMAGE, EntityFilter.ALL, PageRequest.first(50));
        assertEquals("stale must be true or false.", json(resource.images(getJson("/images/?stale=1")), 400).get("error").asText());
        assertEquals("stale must be true or false.", json(resource.hosts(getJson("/hosts/?stale=maybe")), 400).get("error").asText());
    }

    @Test
    public void rowsPastTheThresholdAreMarkedStale() {
        Instant threshold = NOW.minus(Duration.ofHours(48));
        when(entities.list(eq(EntityKind.HOST), any(), any())).thenReturn(new PageDTO<>(1, 50, 3, List.of(
                host("old.example.org", threshold.minusMillis(1), 1, 0, 0), host("edge.example.org", threshold, 1, 0, 0),
                host("new.example.org", 1, 0, 0))));
        JsonNode items = json(resource.hosts(getJson("/hosts/"))).get("items");
        assertTrue(items.get(0).get("stale").isBoolean());
        assertTrue(items.get(0).get("stale").asBoolean());
        assertFalse("exactly at the threshold is not yet stale", items.get(1).get("stale").asBoolean());
        assertFalse(items.get(2).get("stale").asBoolean());
        String html = html(resource.hosts(get("/hosts/")));
        assertTrue(html, html.contains("2 days ago</time> <span class=\"badge badge-stale\" title=\"No report for more than 48 hours\">stale</span></td>"));
        assertEquals(1, count(html, "badge-stale\""));

        when(entities.list(eq(EntityKind.IMAGE), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                image("a/old:1", NOW.minus(Duration.ofDays(46))), image("a/new:1", NOW.minus(Duration.ofDays(44))))));
        html = html(resource.images(get("/images/")));
        assertTrue(html, html.contains("<span class=\"badge badge-stale\" title=\"No report for more than 45 days\">stale</span>"));
        assertEquals(1, count(html, "badge-stale\""));
        JsonNode images = json(resource.images(getJson("/images/"))).get("items");
        assertEquals("name,url,os,modified,stale,containers,packages,upgrades,security,cves,cves_fixable", keys(images.get(0)));
        assertTrue(images.get(0).get("stale").asBoolean());
        assertFalse(images.get(1).get("stale").asBoolean());
    }

    @Test
    public void staleDetailPagesSaySinceWhen() {
        when(entities.find(EntityKind.HOST, "old.example.org")).thenReturn(Optional.of(
                host("old.example.org", Instant.parse("2025-06-30T12:00:00Z"), 3, 0, 0)));
        String html = html(resource.host("old.example.org", get("/hosts/old.example.org")));
        assertTrue(html, html.contains("<p class=\"notice notice-stale\" role=\"status\">Stale: no report since "
                + "<time datetime=\"2025-06-30T12:00:00.000Z\" title=\"3 days ago\">2025-06-30 12:00:00 UTC</time> (threshold 48 hours)</p>"));
        assertTrue(json(resource.host("old.example.org", getJson("/hosts/old.example.org"))).get("stale").asBoolean());

        when(entities.find(EntityKind.HOST, "db1001.example.org")).thenReturn(Optional.of(host("db1001.example.org", 3, 0, 0)));
        html = html(resource.host("db1001.example.org", get("/hosts/db1001.example.org")));
        assertFalse(html, html.contains("notice-stale"));

        when(entities.find(EntityKind.IMAGE, IMAGE)).thenReturn(Optional.of(image(IMAGE, NOW.minus(Duration.ofDays(50)))));
        html = html(resource.image(IMAGE, get("/images/" + IMAGE)));
        assertTrue(html, html.contains("(threshold 45 days)</p>"));
        assertTrue(json(resource.image(IMAGE, get("/images/" + IMAGE, LOGGED_IN, "application/json"))).get("stale").asBoolean());
    }

    @Test
    public void imagePathDropsRegistryTagAndDigest() {
        assertEquals("wikimedia/mediawiki", EntityResource.imagePath("docker-registry.example.org/wikimedia/mediawiki:1.2.3-1"));
        assertEquals("wikimedia/mediawiki", EntityResource.imagePath("localhost:5000/wikimedia/mediawiki"));
        assertEquals("debian", EntityResource.imagePath("debian:12"));
        assertEquals("a/b", EntityResource.imagePath("reg.example.org/a/b@sha256:0123"));
    }

    @Test
    public void hostLinkPlaceholders() {
        UiSettings settings = UiSettings.of(config("ui_hostLinks", new String[] {"A=https://x/{hostname}/{fqdn}/{nope}"}));
        assertEquals("https://x/db1001/db1001.eqiad.wmnet/{nope}",
                EntityResource.externalLinks(EntityKind.HOST, "db1001.eqiad.wmnet", settings).get(0).get("url"));
        assertTrue(UiSettings.of(config()).hostLinks.isEmpty());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
