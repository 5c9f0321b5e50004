package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.BeforeClass;
import org.junit.Test;

import io.debmonitor.bench.LabFleet;

public class ReportsTest {

    private static LabFleet fleet;

    @BeforeClass
    public static void fleet() {
        fleet = new LabFleet(1, 3, "lab.example.org");
    }

    @Test
    public void hostsAreNamedUnderTheLabDomain() {
        assertEquals(List.of("h0001.lab.example.org", "h0002.lab.example.org", "h0003.lab.example.org"),
                fleet.hosts().stream().map(LabFleet.Host::fqdn).toList());
    }

    @Test
    public void theFirstAndEveryNthReportAreFullTheOthersAlternate() {
        assertEquals(Reports.Type.FULL, Reports.type(1, 8));
        assertEquals(Reports.Type.UPGRADABLE, Reports.type(2, 8));
        assertEquals(Reports.Type.DPKG_HOOK, Reports.type(3, 8));
        assertEquals(Reports.Type.FULL, Reports.type(8, 8));
        assertEquals(Reports.Type.DPKG_HOOK, Reports.type(9, 8));
        assertEquals(Reports.Type.FULL, Reports.type(16, 8));
    }

    @Test
    public void everyTypeInstallsTheMarkerAndTheTagsAtK() {
        LabFleet.Host host = fleet.hosts().get(1);
        for (Reports.Type type : Reports.Type.values()) {
            Map<String, Object> report = parse(Reports.body(fleet, host, 42, type));
            assertEquals(type.wire, report.get("update_type"));
            assertEquals(host.fqdn(), report.get("hostname"));
            Map<String, String> installed = items(report, "installed").stream()
                    .collect(Collectors.toMap(i -> (String) i.get("name"), i -> (String) i.get("version"), (a, b) -> b));
            assertEquals(type.wire, "1.42", installed.get("zz-dm-seq"));
            for (int i = 1; i <= Reports.TAGS; i++) {
                assertEquals(type.wire, "1.0+r42", installed.get("zz-dm-tag-" + i));
            }
        }
    }

    @Test
    public void aFullReportListsTheWholeStateWithItsUpgrades() {
        LabFleet.Host host = fleet.hosts().get(0);
        List<LabFleet.Pkg> state = Reports.fullState(fleet, host, 7);
        Map<String, Object> report = parse(Reports.body(fleet, host, 7, Reports.Type.FULL));
        assertEquals(state.size(), items(report, "installed").size());
        long upgrades = state.stream().filter(p -> p.upgrade() != null).count();
        assertTrue(upgrades > 0);
        assertEquals(upgrades, items(report, "upgradable").size());
        assertEquals(host.os(), report.get("os"));
        assertEquals(Map.of("release", host.kernelRelease(), "version", host.kernelVersion()), report.get("running_kernel"));
    }

    @Test
    public void smallReportsCarryTheirOwnChanges() {
        LabFleet.Host host = fleet.hosts().get(2);
        Map<String, Object> hook = parse(Reports.body(fleet, host, 3, Reports.Type.DPKG_HOOK));
        LabFleet.AptRun run = fleet.aptRun(host.index(), 3);
        assertEquals(run.installed().size() + Reports.TAGS + 1, items(hook, "installed").size());
        assertEquals(run.removed().size(), items(hook, "uninstalled").size());
        Map<String, Object> upgradable = parse(Reports.body(fleet, host, 4, Reports.Type.UPGRADABLE));
        assertEquals(Reports.TAGS + 1, items(upgradable, "installed").size());
        assertEquals(3, items(upgradable, "upgradable").size());
        assertTrue(items(upgradable, "upgradable").stream().allMatch(i -> i.get("version_to") != null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) {
        return (Map<String, Object>) LabFleet.parseJson(new String(body, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> report, String key) {
        return (List<Map<String, Object>>) report.get(key);
    }
}
