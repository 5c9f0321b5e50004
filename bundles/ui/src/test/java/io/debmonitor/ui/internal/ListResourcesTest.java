package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
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
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SourcePackageService;
import io.debmonitor.core.model.api.SourcePackageSummaryDTO;
import io.debmonitor.core.model.api.SourceVersionDTO;

/** The kernels, source packages and kubernetes pages. */
public class ListResourcesTest {

    private final Pages pages = UiTestSupport.pages(config());

    @Test
    public void kernels() {
        KernelService kernels = mock(KernelService.class);
        KernelResource resource = new KernelResource(kernels, pages);
        KernelDTO kernel = new KernelDTO(3, "1-smp-debian", "Debian 12", "#1 SMP Debian 6.1.140-1 (2025-05-22)", 2);
        when(kernels.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(kernel)));
        String html = html(resource.kernels(get("/kernels/")));
        assertTrue(html, html.contains("<a href=\"/kernels/3_1-smp-debian\">#1 SMP Debian 6.1.140-1 (2025-05-22)</a>"));
        assertEquals("os,name,url,hosts", keys(json(resource.kernels(getJson("/kernels/"))).get("items").get(0)));
        assertEquals(301, resource.kernels(get("/kernels")).getStatus());

        when(kernels.find("3_1-smp-debian")).thenReturn(Optional.of(kernel));
        when(kernels.hosts(eq("3_1-smp-debian"), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                new EntityDTO(EntityKind.HOST, "db1001.example.org", "Debian 12", kernel.name(), "6.1.0-37-amd64", NOW, NOW, 1, 0, 0, 0))));
        JsonNode json = json(resource.kernel("3_1-smp-debian", getJson("/kernels/3_1-smp-debian?sort=release&dir=desc")));
        assertEquals("name,os,host_count,hosts", keys(json));
        assertEquals("name,url,release,modified", keys(json.get("hosts").get("items").get(0)));
        verify(kernels).hosts("3_1-smp-debian", null, new PageRequest(1, 50, "release", true));
        String detail = html(resource.kernel("3_1-smp-debian", get("/kernels/3_1-smp-debian")));
        assertTrue(detail, detail.contains("<title>#1 SMP Debian 6.1.140-1 (2025-05-22) - DebMonitor</title>"));
        assertTrue(detail, detail.contains("6.1.0-37-amd64"));
        when(kernels.find("9_x")).thenReturn(Optional.empty());
        html(resource.kernel("9_x", get("/kernels/9_x")), 404);
    }

    @Test
    public void sourcePackages() {
        SourcePackageService sources = mock(SourcePackageService.class);
        SourcePackageResource resource = new SourcePackageResource(sources, pages);
        when(sources.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(
                new SourcePackageSummaryDTO("gcc-12", 2, List.of("Debian 12")))));
        String html = html(resource.sourcePackages(get("/source-packages/")));
        assertTrue(html, html.contains("<a href=\"/source-packages/gcc-12\">gcc-12</a>"));

        when(sources.versions(eq("gcc-12"), isNull(), any())).thenReturn(new PageDTO<>(1, 50, 1, List.of(
                new SourceVersionDTO("Debian 12", "12.2.0-14", List.of("cpp-12", "libstdc++6")))));
        String detail = html(resource.sourcePackage("gcc-12", get("/source-packages/gcc-12")));
        assertTrue(detail, detail.contains("<a href=\"/packages/libstdc++6\">libstdc++6</a>"));
        JsonNode json = json(resource.sourcePackage("gcc-12", getJson("/source-packages/gcc-12")));
        assertEquals("name,versions", keys(json));
        assertEquals("/packages/cpp-12", json.get("versions").get("items").get(0).get("binaries").get(0).get("url").asText());

        // an OS filter that matches nothing is an empty table, not a 404
        when(sources.versions(eq("gcc-12"), eq("Debian 11"), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        assertEquals(0, json(resource.sourcePackage("gcc-12", getJson("/source-packages/gcc-12?os=Debian+11"))).get("versions").get("total").asLong());
        when(sources.versions(eq("gone"), any(), any())).thenReturn(new PageDTO<>(1, 50, 0, List.of()));
        json(resource.sourcePackage("gone", getJson("/source-packages/gone?os=Debian+11")), 404);
        html(resource.sourcePackage("gone", get("/source-packages/gone")), 404);
    }

    @Test
    public void kubernetesGroupsByClusterAndNamespace() {
        KubernetesService kubernetes = mock(KubernetesService.class);
        KubernetesResource resource = new KubernetesResource(kubernetes, pages);
        when(kubernetes.list(any(), any(), any(), argThat(request -> request != null && request.size() == 50))).thenReturn(new PageDTO<>(1, 50, 3, List.of(
                new KubernetesRowDTO("codfw", "mw-web", "reg.example.org/mw:1", "Debian 12", 40, NOW),
                new KubernetesRowDTO("eqiad", "mw-api", "reg.example.org/mw:1", "Debian 12", 12, NOW),
                new KubernetesRowDTO("eqiad", "mw-web", "reg.example.org/mw:1", "Debian 12", 30, NOW))));
        when(kubernetes.list("codfw", null, null, PageRequest.first(1))).thenReturn(new PageDTO<>(1, 1, 1, List.of()));
        when(kubernetes.list("eqiad", null, null, PageRequest.first(1))).thenReturn(new PageDTO<>(1, 1, 7, List.of()));
        when(kubernetes.list(eq("codfw"), eq("mw-web"), isNull(), eq(PageRequest.first(1)))).thenReturn(new PageDTO<>(1, 1, 1, List.of()));
        when(kubernetes.list(eq("eqiad"), eq("mw-api"), isNull(), eq(PageRequest.first(1)))).thenReturn(new PageDTO<>(1, 1, 4, List.of()));
        when(kubernetes.list(eq("eqiad"), eq("mw-web"), isNull(), eq(PageRequest.first(1)))).thenReturn(new PageDTO<>(1, 1, 3, List.of()));
        String html = html(resource.kubernetes(get("/kubernetes/")));
        assertTrue(html, html.contains("<title>Live Kubernetes Images - DebMonitor</title>"));
        assertTrue(html, html.contains("<tr class=\"group group-1\"><th colspan=\"6\" scope=\"rowgroup\">codfw <span class=\"group-count\">1 image</span>"));
        assertTrue(html, html.contains("<tr class=\"group group-1\"><th colspan=\"6\" scope=\"rowgroup\">eqiad <span class=\"group-count\">7 images</span>"));
        assertTrue(html, html.contains("<tr class=\"group group-2\"><th colspan=\"6\" scope=\"rowgroup\">mw-api <span class=\"group-count\">4 images</span>"));
        assertEquals(5, html.split("class=\"group group-", -1).length - 1);
        assertTrue(html, html.contains("<a href=\"/images/reg.example.org/mw:1\">reg.example.org/mw:1</a>"));

        JsonNode json = json(resource.kubernetes(getJson("/kubernetes/?cluster=eqiad&namespace=mw-web&q=mw")));
        assertEquals("cluster,namespace,image,url,os,containers,modified", keys(json.get("items").get(0)));
        verify(kubernetes).list("eqiad", "mw-web", "mw", PageRequest.first(50));
        String sorted = html(resource.kubernetes(get("/kubernetes/?sort=containers")));
        assertFalse(sorted, sorted.contains("group-count"));
    }
}
