package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.cycloneDx15Problems;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

public class CycloneDxBomTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final UUID SERIAL = UUID.fromString("3e671687-395b-41f5-a30f-a58921a69b79");
    private static final List<BomPackage> PACKAGES = List.of(
            new BomPackage("libc6", "2.36-9+deb12u7", "glibc", "2.36-9+deb12u7"),
            new BomPackage("libfoo1", "1.0-1+b1", "foo", "1.0-1"),
            new BomPackage("libstdc++6", "12.2.0-14~deb12u1", "gcc-12", "12.2.0-14~deb12u1"),
            new BomPackage("libzstd1:i386", "1.5.4+dfsg2-5", "libzstd", "1.5.4+dfsg2-5"),
            new BomPackage("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"));

    private static EntityDTO entity(EntityKind kind, String name, String os, String digest) {
        return new EntityDTO(kind, name, os, null, null, NOW, NOW, PACKAGES.size(), 0, 0, 0, digest);
    }

    private static String document(EntityDTO entity) {
        return Pages.toJson(CycloneDxBom.of(entity, PACKAGES, "1.2.3", NOW, SERIAL));
    }

    @Test
    public void aHostIsADeviceWithItsOsAndOneLibraryPerPackage() throws Exception {
        String document = document(entity(EntityKind.HOST, "db1001.example.org", "Debian 12", null));
        assertEquals(List.of(), cycloneDx15Problems(document));
        JsonNode bom = MAPPER.readTree(document);
        assertEquals("bomFormat,specVersion,serialNumber,version,metadata,components", keys(bom));
        assertEquals("CycloneDX", bom.get("bomFormat").asText());
        assertEquals("1.5", bom.get("specVersion").asText());
        assertEquals("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", bom.get("serialNumber").asText());
        assertEquals(1, bom.get("version").asInt());
        JsonNode metadata = bom.get("metadata");
        assertEquals("2025-07-03T17:10:09.483Z", metadata.get("timestamp").asText());
        assertEquals(MAPPER.readTree("{\"components\": [{\"type\": \"application\", \"name\": \"DebMonitor\", \"version\": \"1.2.3\"}]}"),
                metadata.get("tools"));
        assertEquals(MAPPER.readTree("{\"type\": \"device\", \"name\": \"db1001.example.org\"}"), metadata.get("component"));

        JsonNode components = bom.get("components");
        assertEquals(1 + PACKAGES.size(), components.size());
        assertEquals(MAPPER.readTree("{\"type\": \"operating-system\", \"name\": \"debian\", \"version\": \"12\"}"), components.get(0));
        assertEquals(MAPPER.readTree("{\"bom-ref\": \"pkg:deb/debian/libfoo1@1.0-1%2Bb1?distro=debian-12&upstream=foo%401.0-1\","
                + " \"type\": \"library\", \"name\": \"libfoo1\", \"version\": \"1.0-1+b1\","
                + " \"purl\": \"pkg:deb/debian/libfoo1@1.0-1%2Bb1?distro=debian-12&upstream=foo%401.0-1\"}"), components.get(2));
        JsonNode foreign = components.get(4);
        assertEquals("libzstd1", foreign.get("name").asText());
        assertEquals("pkg:deb/debian/libzstd1@1.5.4%2Bdfsg2-5?arch=i386&distro=debian-12&upstream=libzstd", foreign.get("purl").asText());
        assertEquals("libstdc++6", components.get(3).get("name").asText());
        assertEquals("pkg:deb/debian/libstdc%2B%2B6@12.2.0-14~deb12u1?distro=debian-12&upstream=gcc-12", components.get(3).get("purl").asText());
        assertEquals("1:1.2.13.dfsg-1", components.get(5).get("version").asText());
        assertEquals("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?distro=debian-12&upstream=zlib", components.get(5).get("bom-ref").asText());
    }

    @Test
    public void anUbuntuImageIsAContainerVersionedByItsDigest() throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        String document = document(entity(EntityKind.IMAGE, "registry.example.org/app/web:2.1", "Ubuntu 24.04", digest));
        assertEquals(List.of(), cycloneDx15Problems(document));
        JsonNode bom = MAPPER.readTree(document);
        assertEquals(MAPPER.readTree("{\"type\": \"container\", \"name\": \"registry.example.org/app/web:2.1\", \"version\": \"" + digest + "\"}"),
                bom.get("metadata").get("component"));
        assertEquals(MAPPER.readTree("{\"type\": \"operating-system\", \"name\": \"ubuntu\", \"version\": \"24.04\"}"), bom.get("components").get(0));
        List<String> purls = new ArrayList<>();
        bom.get("components").forEach(c -> purls.add(c.path("purl").asText(null)));
        assertEquals(List.of("pkg:deb/ubuntu/libc6@2.36-9%2Bdeb12u7?distro=ubuntu-24.04&upstream=glibc",
                "pkg:deb/ubuntu/libfoo1@1.0-1%2Bb1?distro=ubuntu-24.04&upstream=foo%401.0-1",
                "pkg:deb/ubuntu/libstdc%2B%2B6@12.2.0-14~deb12u1?distro=ubuntu-24.04&upstream=gcc-12",
                "pkg:deb/ubuntu/libzstd1@1.5.4%2Bdfsg2-5?arch=i386&distro=ubuntu-24.04&upstream=libzstd",
                "pkg:deb/ubuntu/zlib1g@1%3A1.2.13.dfsg-1?distro=ubuntu-24.04&upstream=zlib"), purls.subList(1, purls.size()));
    }

    @Test
    public void aBareOsNameGivesAnOsWithoutVersion() throws Exception {
        String document = Pages.toJson(CycloneDxBom.of(entity(EntityKind.IMAGE, "busybox", "Debian", null),
                List.of(new BomPackage("busybox", "1:1.35.0-4+b3", "busybox", "1:1.35.0-4")), "1.2.3", NOW, SERIAL));
        assertEquals(List.of(), cycloneDx15Problems(document));
        JsonNode components = MAPPER.readTree(document).get("components");
        assertEquals(MAPPER.readTree("{\"type\": \"operating-system\", \"name\": \"debian\"}"), components.get(0));
        assertEquals("pkg:deb/debian/busybox@1%3A1.35.0-4%2Bb3?upstream=busybox%401%3A1.35.0-4", components.get(1).get("purl").asText());
        assertEquals(MAPPER.readTree("{\"type\": \"container\", \"name\": \"busybox\"}"), MAPPER.readTree(document).get("metadata").get("component"));
    }

    @Test
    public void theSchemaCheckCatchesABrokenDocument() throws Exception {
        ObjectNode bom = (ObjectNode) MAPPER.readTree(document(entity(EntityKind.HOST, "db1001.example.org", "Debian 12", null)));
        bom.put("serialNumber", "3e671687");
        ((ObjectNode) bom.get("components").get(1)).put("type", "package");
        String problems = cycloneDx15Problems(MAPPER.writeValueAsString(bom)).toString();
        assertTrue(problems, problems.contains("$.serialNumber"));
        assertTrue(problems, problems.contains("$.components[1].type"));
    }

    @Test
    public void fileNamesKeepOnlySafeCharacters() {
        assertEquals("db1001.example.org.cdx.json", CycloneDxBom.fileName("db1001.example.org"));
        assertEquals("registry.example.org_app_web_2.1.cdx.json", CycloneDxBom.fileName("registry.example.org/app/web:2.1"));
        assertEquals("_._evil_name_.cdx.json", CycloneDxBom.fileName("../evil\"name\\"));
        assertEquals("a_b_c_d.cdx.json", CycloneDxBom.fileName("a@b;c\u00e9d"));
    }

    @Test
    public void eachPackageIsOneComponentInTheGivenOrder() throws Exception {
        JsonNode components = MAPPER.readTree(document(entity(EntityKind.HOST, "h", "Debian 12", null))).get("components");
        List<String> names = new ArrayList<>();
        components.forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("debian", "libc6", "libfoo1", "libstdc++6", "libzstd1", "zlib1g"), names);
    }
}
