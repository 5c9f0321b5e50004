package io.debmonitor.bench.lab;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.debmonitor.bench.LabFleet;
import io.debmonitor.bench.LabFleet.Pkg;

public class ReconcileTest {

    private static final LabFleet.Host HOST = new LabFleet.Host(0, "h0001.lab.example.org", "Debian 12", "6.1.0-18-amd64",
            "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
    private static final List<Pkg> EXPECTED = List.of(
            new Pkg("curl", "7.88.1-10+deb12u5", "curl", null, "7.88.1-10+deb12u8", true),
            new Pkg("less", "590-2", "less", null, "590-2.1~deb12u2", false),
            new Pkg("zz-dm-seq", "1.9", "zz-dm-seq", null, null, false));

    private static Map<String, Object> summary() {
        return new HashMap<>(Map.of("name", HOST.fqdn(), "os", "Debian 12", "kernel", HOST.kernelVersion(), "kernel_release", HOST.kernelRelease()));
    }

    private static Map<String, Object> row(String name, String version, String upgrade, String type) {
        Map<String, Object> row = new HashMap<>();
        row.put("name", name);
        row.put("url", "/packages/" + name);
        row.put("version", version);
        row.put("upgrade", upgrade);
        row.put("upgrade_type", type);
        return row;
    }

    private static List<Map<String, Object>> rows() {
        return new ArrayList<>(List.of(row("curl", "7.88.1-10+deb12u5", "7.88.1-10+deb12u8", "security"),
                row("less", "590-2", "590-2.1~deb12u2", ""), row("zz-dm-seq", "1.9", null, null)));
    }

    @Test
    public void aHostInTheReportedStateMatches() {
        assertEquals(List.of(), Reconcile.differences(HOST, EXPECTED, summary(), rows()));
    }

    @Test
    public void listsTheMarkerFirstThenTheOtherDifferences() {
        List<Map<String, Object>> rows = rows();
        rows.set(0, row("curl", "7.88.1-10+deb12u5", "7.88.1-10+deb12u8", null));
        rows.set(2, row("zz-dm-seq", "1.8", null, null));
        rows.remove(1);
        rows.add(row("cowsay", "3.03+dfsg2-8", null, null));
        Map<String, Object> summary = summary();
        summary.put("kernel_release", "6.1.0-21-amd64");
        assertEquals(List.of("kernel_release: 6.1.0-21-amd64, expected 6.1.0-18-amd64",
                "zz-dm-seq version: 1.8, expected 1.9",
                "curl upgrade_type: null, expected security",
                "less: missing (expected 590-2)",
                "cowsay: not expected (installed 3.03+dfsg2-8)"), Reconcile.differences(HOST, EXPECTED, summary, rows));
    }
}
