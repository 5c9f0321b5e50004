package io.debmonitor.ui.internal;

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
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HolderFilter;
import io.debmonitor.core.model.api.PackageHolderDTO;
import io.debmonitor.core.model.api.PackageService;
import io.debmonitor.core.model.api.PackageSummaryDTO;
import io.debmonitor.core.model.api.PackageVersionCountDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

public class PackageResourceTest {

    private static final String IMAGE = "registry.example.org/a/b:1";

    private final PackageService packages = mock(PackageService.class);
    private PackageResource resource;

    @Before
    public void setUp() {
        resource = new PackageResource(packages, mock(io.debmonitor.core.model.api.HistoryService.class), UiTestSupport.pages(config()));
        when(packages.versions("libc6")).thenReturn(List.of(
                new PackageVersionCountDTO("Debian 11", "2.31-13+deb11u11", 3, 0, 0),
                new PackageVersionCountDTO("Debian 12", "2.36-9+deb12u4", 10, 0, 0),
                new PackageVersionCountDTO("Debian 12", "2.36-9+deb12u10", 5, 10, 10)));
        when(packages.sources("libc6")).thenReturn(List.of("glibc"));
        when(packages.holders(eq("libc6"), any(), any())).thenReturn(new PageDTO<>(1, 50, 18, List.of(
                new PackageHolderDTO("Debian 11", "2.31-13+deb11u11", EntityKind.HOST, "old.example.org", null, null),
                new PackageHolderDTO("Debian 12", "2.36-9+deb12u4", EntityKind.HOST, "db1001.example.org", "2.36-9+deb12u10", "security"),
                new PackageHolderDTO("Debian 12", "2.36-9+deb12u4", EntityKind.IMAGE, IMAGE, "2.36-9+deb12u10", "security"))));
    }

    @Test
    public void indexShowsBadgesAndOses() {
        when(packages.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(
                new PackageSummaryDTO("libstdc++6", 3, List.of("Debian 11", "Debian 12"), 120, 7, 0))));
        String html = html(resource.packages(get("/packages/?os=Debian+12")));
        verify(packages).list(null, "Debian 12", PageRequest.first(50));
        assertTrue(html, html.contains("<title>Binary Packages - DebMonitor</title>"));
        assertTrue(html, html.contains("<a href=\"/packages/libstdc++6\">libstdc++6</a>"));
        assertTrue(html, html.contains("badge badge-installed\" title=\"Installed on 120 hosts and images\">120<"));
        assertTrue(html, html.contains("badge badge-upgrades\" title=\"7 hosts and images can upgrade it\">7<"));
        assertFalse(html, html.contains("badge-security"));
        assertTrue(html, html.contains("<td>Debian 11, Debian 12</td>"));
        JsonNode item = json(resource.packages(getJson("/packages/"))).get("items").get(0);
        assertEquals("name,url,versions,oses,installed,upgrades,security", keys(item));
        assertEquals("Debian 12", item.get("oses").get(1).asText());
    }

    @Test
    public void detailGroupsRowsByOsAndVersion() {
        String html = html(resource.binaryPackage("libc6", get("/packages/libc6")));
        assertTrue(html, html.contains("<a href=\"/source-packages/glibc\">glibc</a>"));
        assertEquals(2, html.split("<tr class=\"group\"><th colspan=\"5\"", -1).length - 1);
        assertTrue(html, html.contains("Debian 12 · 2.36-9+deb12u4 <span class=\"group-count\">10 installed</span>"));
        assertTrue(html, html.contains("<a href=\"/images/registry.example.org/a/b:1\">registry.example.org/a/b:1</a> <span class=\"muted\">(image)</span>"));
        assertTrue(html, html.contains("<a href=\"/hosts/db1001.example.org\">db1001.example.org</a> <span class=\"muted\">(host)</span>"));
        assertTrue(html, html.contains("<a href=\"/packages/libc6?os=Debian+12&amp;version=2.36-9%2Bdeb12u10\""));
        // sorted by name, the rows are not grouped
        String byName = html(resource.binaryPackage("libc6", get("/packages/libc6?sort=name")));
        assertFalse(byName, byName.contains("group-count"));
    }

    @Test
    public void detailFiltersReachTheService() {
        json(resource.binaryPackage("libc6", getJson("/packages/libc6?q=db&os=Debian+12&version=2.36-9%2Bdeb12u4&kind=image&upgrades=upgradable")));
        verify(packages).holders("libc6", new HolderFilter("db", "Debian 12", "2.36-9+deb12u4", EntityKind.IMAGE, UpgradeFilter.UPGRADABLE),
                PageRequest.first(50));
        assertEquals("kind must be host or image.", json(resource.binaryPackage("libc6", getJson("/packages/libc6?kind=vm")), 400).get("error").asText());
    }

    @Test
    public void detailJsonHasSummaryAndRows() {
        JsonNode json = json(resource.binaryPackage("libc6", getJson("/packages/libc6")));
        assertEquals("name,sources,oses,rows", keys(json));
        assertEquals("/source-packages/glibc", json.get("sources").get(0).get("url").asText());
        JsonNode debian12 = json.get("oses").get(1);
        assertEquals("os,installed,upgradable,security,versions", keys(debian12));
        assertEquals(15, debian12.get("installed").asLong());
        assertEquals(10, debian12.get("security").asLong());
        assertEquals("2.36-9+deb12u10", debian12.get("versions").get(1).get("version").asText());
        JsonNode row = json.get("rows").get("items").get(2);
        assertEquals("os,version,name,kind,url,upgrade,upgrade_type", keys(row));
        assertEquals("/images/" + IMAGE, row.get("url").asText());
        assertEquals(18, json.get("rows").get("total").asLong());
    }

    @Test
    public void packageWithoutVersionsIs404() {
        when(packages.versions(anyString())).thenReturn(List.of());
        assertEquals("No binary package named 'gone'.", json(resource.binaryPackage("gone", getJson("/packages/gone")), 404).get("error").asText());
        html(resource.binaryPackage("gone", get("/packages/gone")), 404);
    }
}
