package io.debmonitor.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.DashboardDTO;
import io.debmonitor.core.model.api.DashboardService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

public class StatsTest {

    @Test
    public void printsEveryDashboardCountAsALabelAndValue() throws Exception {
        DashboardService dashboard = mock(DashboardService.class);
        when(dashboard.counts()).thenReturn(new DashboardDTO(
                new DashboardDTO.Entities(10, 4, 2, Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-11-01T00:00:00.5Z"), 3),
                new DashboardDTO.Entities(3, 1, 0, null, null, 1),
                5, 7,
                new DashboardDTO.Targets(900, 40, 12),
                new DashboardDTO.Targets(1200, 41, 13),
                300, 320,
                new DashboardDTO.Upgrades(50, 6, 20, 0)));
        StalenessPolicy staleness = mock(StalenessPolicy.class);
        when(staleness.threshold(EntityKind.HOST)).thenReturn(Duration.ofHours(48));
        when(staleness.threshold(EntityKind.IMAGE)).thenReturn(Duration.ofDays(1));
        CveFleetService cves = mock(CveFleetService.class);
        when(cves.dashboard()).thenReturn(new CveDashboardDTO(Map.of("high", Map.of("fix_available", 2L, "wont_fix", 1L, "accepted", 2L),
                "low", Map.of("negligible", 5L, "fix_not_offered", 3L)), 2, 0, 1, 0, 4, 0, null, 90_000L, true));
        Stats command = new Stats();
        command.dashboard = dashboard;
        command.staleness = staleness;
        command.cves = cves;
        assertEquals(List.of(
                "Hosts: 10",
                "Hosts with upgrades: 4",
                "Hosts with security upgrades: 2",
                "Hosts latest update: 2026-12-04T10:00:00Z",
                "Hosts oldest update: 2026-11-01T00:00:00Z",
                "Hosts stale: 3 (no report for 48 hours)",
                "Kernels: 5",
                "Live Kubernetes images: 7",
                "Binary packages: 900",
                "Binary packages with upgrades: 40",
                "Binary packages with security upgrades: 12",
                "Source packages: 300",
                "Source package versions: 320",
                "Binary versions: 1200",
                "Binary versions upgrade targets: 41",
                "Binary versions security upgrade targets: 13",
                "Images: 3",
                "Images with upgrades: 1",
                "Images with security upgrades: 0",
                "Images latest update: -",
                "Images oldest update: -",
                "Images stale: 1 (no report for 1 day)",
                "Upgradable host rows: 50",
                "Upgradable image rows: 6",
                "Security host rows: 20",
                "Security image rows: 0",
                "CVE findings counted: 6",
                "CVE findings with a fix available: 2",
                "Hosts with a fixable high CVE: 2",
                "Images with a fixable high CVE: 0",
                "Hosts to reboot for kernel fixes: 1",
                "CVE feed age: 25 hours (stale)"), Console.run(command));
    }
}
