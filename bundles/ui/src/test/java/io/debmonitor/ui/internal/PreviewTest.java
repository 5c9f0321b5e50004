package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.Test;

import io.debmonitor.core.model.api.*;

public class PreviewTest {
    @Test
    public void preview() throws Exception {
        Path out = Path.of("/tmp/ui-preview");
        Files.createDirectories(out);
        UiConfiguration config = config("ui_hostLinks", new String[] {"Grafana=https://grafana/{hostname}", "Netbox=https://netbox/{fqdn}"});
        Templates templates = UiTestSupport.templates(config);
        AccessService access = UiTestSupport.access();
        EntityService entities = mock(EntityService.class);
        KernelService kernels = mock(KernelService.class);
        KubernetesService kubernetes = mock(KubernetesService.class);
        List<EntityDTO> hosts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            hosts.add(new EntityDTO(EntityKind.HOST, "mw" + (1400 + i) + ".eqiad.wmnet", i % 3 == 0 ? "Debian 11" : "Debian 12",
                    "#1 SMP PREEMPT_DYNAMIC Debian 6.1.140-1 (2025-05-22)", "6.1.0-37-amd64", NOW.minus(Duration.ofDays(300)),
                    NOW.minus(Duration.ofMinutes(i * 37L)), 800 + i, i % 4 == 0 ? 0 : i, i % 5 == 0 ? 2 : 0, 0));
        }
        when(entities.list(any(), any(), any())).thenReturn(new PageDTO<>(2, 25, 1234, hosts));
        when(entities.find(eq(EntityKind.HOST), anyString())).thenReturn(Optional.of(hosts.get(0)));
        when(kernels.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 100, 1, List.of(new KernelDTO(2, "1-smp", "Debian 12", hosts.get(0).kernel(), 10))));
        when(entities.rows(any(), anyString(), any(), any())).thenReturn(new PageDTO<>(1, 50, 3, List.of(
                new PackageRowDTO("libssl3", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "security"),
                new PackageRowDTO("libstdc++6", "12.2.0-14", "12.2.0-14+deb12u1", "bookworm-updates"),
                new PackageRowDTO("zlib1g", "1:1.2.13.dfsg-1", null, null),
                new PackageRowDTO("adduser", "3.134", null, null))));
        EntityResource entity = new EntityResource(entities, kernels, kubernetes, templates, access, config);
        write(out, "hosts.html", entity.hosts(get("/hosts/?sort=security&dir=desc&page=2&size=25", LOGGED_IN, null)));
        write(out, "host.html", entity.host("mw1400.eqiad.wmnet", get("/hosts/mw1400.eqiad.wmnet")));
        write(out, "error.html", entity.hosts(get("/hosts/?page=0")));

        PackageService packages = mock(PackageService.class);
        when(packages.versions("libc6")).thenReturn(List.of(
                new PackageVersionCountDTO("Debian 11", "2.31-13+deb11u11", 3, 0, 0),
                new PackageVersionCountDTO("Debian 12", "2.36-9+deb12u4", 10, 0, 0),
                new PackageVersionCountDTO("Debian 12", "2.36-9+deb12u10", 5, 10, 10)));
        when(packages.sources("libc6")).thenReturn(List.of("glibc"));
        when(packages.holders(eq("libc6"), any(), any())).thenReturn(new PageDTO<>(1, 50, 18, List.of(
                new PackageHolderDTO("Debian 11", "2.31-13+deb11u11", EntityKind.HOST, "old.example.org", null, null),
                new PackageHolderDTO("Debian 12", "2.36-9+deb12u4", EntityKind.HOST, "db1001.example.org", "2.36-9+deb12u10", "security"),
                new PackageHolderDTO("Debian 12", "2.36-9+deb12u4", EntityKind.IMAGE, "reg.example.org/a/b:1", "2.36-9+deb12u10", "security"))));
        when(packages.list(any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 2, List.of(
                new PackageSummaryDTO("libstdc++6", 3, List.of("Debian 11", "Debian 12"), 120, 7, 0),
                new PackageSummaryDTO("libssl3", 2, List.of("Debian 12"), 1200, 70, 70))));
        PackageResource pkg = new PackageResource(packages, templates, access, config);
        write(out, "package.html", pkg.binaryPackage("libc6", get("/packages/libc6")));
        write(out, "packages.html", pkg.packages(get("/packages/")));

        KubernetesResource k8s = new KubernetesResource(kubernetes, templates, access, config);
        when(kubernetes.list(any(), any(), any(), any())).thenReturn(new PageDTO<>(1, 50, 3, List.of(
                new KubernetesRowDTO("codfw", "mw-web", "reg.example.org/mw:1", "Debian 12", 40, NOW),
                new KubernetesRowDTO("eqiad", "mw-api", "reg.example.org/mw:1", "Debian 12", 12, NOW),
                new KubernetesRowDTO("eqiad", "mw-web", "reg.example.org/mw:1", "Debian 12", 30, NOW))));
        write(out, "kubernetes.html", k8s.kubernetes(get("/kubernetes/")));

        DashboardService dashboard = mock(DashboardService.class);
        when(dashboard.counts()).thenReturn(new DashboardDTO(
                new DashboardDTO.Entities(1200, 300, 25, NOW, NOW.minusSeconds(86_400 * 3)),
                new DashboardDTO.Entities(40, 10, 0, null, null),
                17, 250, new DashboardDTO.Targets(5000, 120, 9), new DashboardDTO.Targets(9000, 130, 10), 2100, 3000,
                new DashboardDTO.Upgrades(4000, 300, 40, 0)));
        write(out, "dashboard.html", new DashboardResource(dashboard, templates, access, config).dashboard(get("/")));

        SearchService search = mock(SearchService.class);
        java.util.Map<String, SearchResultDTO.Scope> scopes = new java.util.LinkedHashMap<>();
        scopes.put("hosts", new SearchResultDTO.Scope(3, List.of(new SearchResultDTO.Item("ssl1.example.org", "ssl1.example.org"))));
        scopes.put("packages", new SearchResultDTO.Scope(1, List.of(new SearchResultDTO.Item("libssl3", "libssl3"))));
        scopes.put("kernels", new SearchResultDTO.Scope(0, List.of()));
        when(search.search(anyString(), any(), org.mockito.ArgumentMatchers.anyInt())).thenReturn(new SearchResultDTO("ssl", scopes));
        write(out, "search.html", new SearchResource(search, templates, access, config).search(get("/search?q=ssl1")));
        Path css = out.resolve("static/" + new StaticFiles().version());
        Files.createDirectories(css);
        for (String f : List.of("app.css", "app.js", "favicon.svg")) {
            Files.copy(Path.of("src/main/resources/static/" + f), css.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void write(Path out, String name, Response response) throws Exception {
        Files.writeString(out.resolve(name), (String) response.getEntity());
    }
}
