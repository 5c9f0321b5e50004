package io.debmonitor.client;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PayloadTest {

    private static final List<Payload.Package> INSTALLED = List.of(
            new Payload.Package("libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4"),
            new Payload.Package("binutils", "2.40-2+b1", "binutils", "2.40-2"));
    private static final List<Upgradable.Item> UPGRADABLE = List.of(
            new Upgradable.Item("libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "openssl", "3.0.13-1~deb12u1", true),
            new Upgradable.Item("dpkg", "1.21.22", "1.21.23", "dpkg", null, false));

    @Test
    public void hostPayloadKeyOrder() {
        Map<String, Object> p = Payload.build("Debian 12", INSTALLED, List.of(), UPGRADABLE, Payload.FULL,
                Payload.Subject.host("db1001.example.org", "6.1.0-18-amd64", "#1 SMP"));
        assertEquals(List.of("api_version", "os", "installed", "uninstalled", "upgradable", "update_type",
                "hostname", "running_kernel"), new ArrayList<>(p.keySet()));
        assertEquals("{\"api_version\":\"v1\",\"os\":\"Debian 12\",\"installed\":["
                + "{\"name\":\"libc6\",\"version\":\"2.36-9+deb12u4\",\"source\":\"glibc\",\"source_version\":\"2.36-9+deb12u4\"},"
                + "{\"name\":\"binutils\",\"version\":\"2.40-2+b1\",\"source\":\"binutils\",\"source_version\":\"2.40-2\"}],"
                + "\"uninstalled\":[],\"upgradable\":["
                + "{\"name\":\"libssl3\",\"version_from\":\"3.0.11-1~deb12u2\",\"version_to\":\"3.0.13-1~deb12u1\","
                + "\"source\":\"openssl\",\"source_version\":\"3.0.13-1~deb12u1\",\"type\":\"security\"},"
                + "{\"name\":\"dpkg\",\"version_from\":\"1.21.22\",\"version_to\":\"1.21.23\",\"source\":\"dpkg\"}],"
                + "\"update_type\":\"full\",\"hostname\":\"db1001.example.org\","
                + "\"running_kernel\":{\"release\":\"6.1.0-18-amd64\",\"version\":\"#1 SMP\"}}", Json.write(p));
    }

    @Test
    public void imagePayloadHasImageNameAndNoKernel() {
        Map<String, Object> p = Payload.build("Debian 12", List.of(), List.of(), List.of(), Payload.UPGRADABLE,
                Payload.Subject.image("registry.example.org/app:1.0"));
        assertEquals(List.of("api_version", "os", "installed", "uninstalled", "upgradable", "update_type",
                "image_name"), new ArrayList<>(p.keySet()));
    }

    @Test
    public void dryRunOutputIsSortedWithFourSpaces() {
        Map<String, Object> p = Payload.build("Debian 12", List.of(),
                List.of(new Payload.Package("less", "590-2.1~deb12u2", "less", null)), List.of(), Payload.DPKG_HOOK,
                Payload.Subject.host("localhost", "6.18.44", "#1 SMP PREEMPT_DYNAMIC @0"));
        assertEquals(String.join("\n",
                "{",
                "    \"api_version\": \"v1\",",
                "    \"hostname\": \"localhost\",",
                "    \"installed\": [],",
                "    \"os\": \"Debian 12\",",
                "    \"running_kernel\": {",
                "        \"release\": \"6.18.44\",",
                "        \"version\": \"#1 SMP PREEMPT_DYNAMIC @0\"",
                "    },",
                "    \"uninstalled\": [",
                "        {",
                "            \"name\": \"less\",",
                "            \"source\": \"less\",",
                "            \"version\": \"590-2.1~deb12u2\"",
                "        }",
                "    ],",
                "    \"update_type\": \"dpkg_hook\",",
                "    \"upgradable\": []",
                "}"), Json.writePretty(p));
    }
}
