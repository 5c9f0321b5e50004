package io.debmonitor.source.sbom.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

public class SbomSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "db1001.eqiad.example.org";
    /** Index of the operating-system component in the fixture's {@code components}. */
    private static final int OS = 7;

    private final SbomSource source = new SbomSource();

    @Test
    public void aSyftSbomBecomesAFullHostReport() throws Exception {
        ReportDTO report = source.read(HOST, bytes(fixture()));

        assertEquals(EntityKind.HOST, source.kind());
        assertEquals("Debian 12", report.os());
        assertEquals(UpdateType.FULL, report.updateType());
        assertEquals(CycloneDxReader.UNKNOWN_KERNEL, report.kernelVersion());
        assertNull(report.kernelRelease());
        assertEquals(List.of(
                new InstalledDTO("dpkg", "1.21.22", "dpkg", "1.21.22"),
                new InstalledDTO("libc6", "2.36-9+deb12u4", "glibc", null),
                new InstalledDTO("libc6:i386", "2.36-9+deb12u4", "glibc", null),
                new InstalledDTO("login", "1:4.13+dfsg1-1+b1", "shadow", "1:4.13+dfsg1-1"),
                new InstalledDTO("libssl3", "3.0.11-1~deb12u2", "openssl", null),
                new InstalledDTO("tzdata", "2024a-0+deb12u1", "tzdata", "2024a-0+deb12u1")), report.installed());
        assertEquals(List.of(), report.uninstalled());
        assertEquals(List.of(), report.upgradable());
    }

    @Test
    public void theRunningKernelComesFromMetadataProperties() throws Exception {
        ObjectNode bom = fixture();
        ((ObjectNode) bom.get("metadata")).putArray("properties")
                .add(property(CycloneDxReader.KERNEL_VERSION_PROPERTY, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"))
                .add(property("syft:other", "ignored"))
                .add(property(CycloneDxReader.KERNEL_RELEASE_PROPERTY, "6.1.0-18-amd64"));

        ReportDTO report = source.read(HOST, bytes(bom));

        assertEquals("#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", report.kernelVersion());
        assertEquals("6.1.0-18-amd64", report.kernelRelease());
    }

    @Test
    public void theOsMayBeTheMetadataComponentAndPackagesMayBeNested() throws Exception {
        ObjectNode bom = fixture();
        ArrayNode components = (ArrayNode) bom.get("components");
        components.remove(OS);
        ObjectNode metadata = (ObjectNode) bom.get("metadata");
        metadata.putObject("component").put("type", "operating-system").put("name", "ubuntu").put("version", "24.04");
        ObjectNode image = JSON.createObjectNode().put("type", "container").put("name", "rootfs");
        image.set("components", components);
        bom.putArray("components").add(image);

        ReportDTO report = source.read(HOST, bytes(bom));

        assertEquals("Ubuntu 24.04", report.os());
        assertEquals(6, report.installed().size());
        assertEquals("libc6:i386", report.installed().get(2).name());
    }

    @Test
    public void debianPointReleasesAndMissingVersionsGiveTheClientsOsNames() throws Exception {
        ObjectNode bom = fixture();
        osComponent(bom).put("version", "12.5");
        assertEquals("Debian 12", source.read(HOST, bytes(bom)).os());
        osComponent(bom).remove("version");
        assertEquals("Debian", source.read(HOST, bytes(bom)).os());
    }

    @Test
    public void anEpochQualifierIsFoldedIntoTheVersionAndMustAgreeWithAStatedOne() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 3, "pkg:deb/debian/login@1%3A4.13%2Bdfsg1-1?arch=amd64&epoch=1");
        assertEquals("1:4.13+dfsg1-1", source.read(HOST, bytes(bom)).installed().get(3).version());

        purl(bom, 3, "pkg:deb/debian/login@1%3A4.13%2Bdfsg1-1?arch=amd64&epoch=2");
        assertEquals("components[3].purl: the qualifier epoch=2 contradicts the epoch of version '1:4.13+dfsg1-1'.", error(bom));
        purl(bom, 3, "pkg:deb/debian/login@4.13?arch=amd64&epoch=one");
        assertEquals("components[3].purl: the qualifier epoch='one' is not a number.", error(bom));
    }

    @Test
    public void withoutDpkgTheMostFrequentArchitectureIsNative() throws Exception {
        ObjectNode bom = fixture();
        ((ArrayNode) bom.get("components")).remove(0);

        List<InstalledDTO> installed = source.read(HOST, bytes(bom)).installed();

        assertEquals(List.of("libc6", "libc6:i386", "login", "libssl3", "tzdata"),
                installed.stream().map(InstalledDTO::name).toList());
    }

    @Test
    public void anUpstreamQualifierNeedsANameAndANonEmptyVersion() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 1, "pkg:deb/debian/libc6@2.36-9?arch=amd64&upstream=glibc%40");
        assertEquals("components[1].purl: the qualifier upstream='glibc@' must be a source package name, "
                + "optionally followed by '@' and its version.", error(bom));
    }

    // --- errors ---------------------------------------------------------------------------------

    @Test
    public void bodiesThatAreNotJsonObjectsAreRefused() {
        assertEquals("The request body is empty.", error(new byte[0]));
        assertEquals("The request body is not valid UTF-8.", error(new byte[] {'{', (byte) 0xc3, '}'}));
        assertTrue(error("{\"bomFormat\": ".getBytes(StandardCharsets.UTF_8)),
                error("{\"bomFormat\": ".getBytes(StandardCharsets.UTF_8)).startsWith("The request body is not valid JSON at line 1, column "));
        assertTrue(error("{} {}".getBytes(StandardCharsets.UTF_8)).startsWith("The request body is not valid JSON"));
        assertEquals("The request body must be a JSON object: a CycloneDX BOM.", error("[]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void onlyCycloneDxIsAccepted() throws Exception {
        ObjectNode bom = fixture();
        bom.put("bomFormat", "SPDX");
        assertEquals("bomFormat: expected \"CycloneDX\", not 'SPDX'; this source reads CycloneDX JSON SBOMs only.", error(bom));
        bom.put("bomFormat", 1);
        assertEquals("bomFormat: expected \"CycloneDX\", not a JSON number; this source reads CycloneDX JSON SBOMs only.", error(bom));
        ObjectNode spdx = JSON.createObjectNode().put("spdxVersion", "SPDX-2.3").put("name", "/");
        assertTrue(error(spdx), error(spdx).startsWith("bomFormat: missing; this source reads CycloneDX JSON SBOMs only"));
    }

    @Test
    public void anSbomWithoutAnOperatingSystemComponentIsRefused() throws Exception {
        ObjectNode bom = fixture();
        ((ArrayNode) bom.get("components")).remove(OS);
        assertTrue(error(bom), error(bom).startsWith("components: no component of type \"operating-system\" names the Debian or Ubuntu release"));
    }

    @Test
    public void anOsThatIsNoDebianOrUbuntuReleaseIsRefused() throws Exception {
        ObjectNode bom = fixture();
        osComponent(bom).put("name", "alpine").put("version", "3.20");
        assertEquals("components[7]: the operating system 'alpine' version '3.20' gives the OS name 'Alpine 3.20', which is not "
                + "a Debian or Ubuntu release (e.g. \"Debian 12\" or \"Ubuntu 24.04\").", error(bom));
        osComponent(bom).put("name", "ubuntu").put("version", "22");
        assertTrue(error(bom), error(bom).contains("gives the OS name 'Ubuntu 22', which is not"));
        osComponent(bom).put("name", "debian").put("version", "111");
        assertTrue(error(bom), error(bom).contains("gives the OS name 'Debian 111', which is not"));
        osComponent(bom).put("version", "12\n");
        assertEquals("components[7].version: control characters are not allowed.", error(bom));
        osComponent(bom).remove("name");
        assertEquals("components[7].name: missing.", error(bom));
    }

    @Test
    public void twoOperatingSystemsThatDisagreeAreRefused() throws Exception {
        ObjectNode bom = fixture();
        ((ObjectNode) bom.get("metadata")).putObject("component").put("type", "operating-system").put("name", "ubuntu").put("version", "24.04");
        assertEquals("components[7]: this operating-system component names 'Debian 12' but metadata.component names "
                + "'Ubuntu 24.04'; an SBOM describes one system.", error(bom));
    }

    @Test
    public void aDebPurlWithoutAVersionIsRefused() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 1, "pkg:deb/debian/libc6?arch=amd64&upstream=glibc");
        assertEquals("components[1].purl: 'pkg:deb/debian/libc6?arch=amd64&upstream=glibc' has no version; an installed package "
                + "needs one (pkg:deb/<vendor>/<name>@<version>).", error(bom));
    }

    @Test
    public void aPackageNameWithASlashIsRefused() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 1, "pkg:deb/debian/lib%2Fc6@2.36-9?arch=amd64");
        assertEquals("components[1].purl (package name): 'lib/c6' is not a package name: it contains '/' or whitespace.", error(bom));
        purl(bom, 1, "pkg:deb/debian/libc6@2.36-9?arch=amd64&upstream=gl%2Fibc");
        assertEquals("components[1].purl (upstream source name): 'gl/ibc' is not a package name: it contains '/' or whitespace.", error(bom));
    }

    @Test
    public void aHostNameWithASlashIsRefused() throws Exception {
        try {
            source.read("db1001/eqiad", bytes(fixture()));
            fail("accepted a name with '/'");
        } catch (InvalidReportException e) {
            assertEquals("A host name is one path segment and cannot contain '/'.", e.getMessage());
        }
    }

    @Test
    public void malformedOrMistypedPurlsAndComponentsAreRefused() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 2, "pkg:deb/");
        assertEquals("components[2].purl: 'pkg:deb/' is not a valid package URL: Invalid purl: does not contain both a type and name",
                error(bom));
        ((ObjectNode) bom.get("components").get(2)).put("purl", 42);
        assertEquals("components[2].purl: expected a string.", error(bom));
        purl(bom, 2, "pkg:deb/debian/libc6@2.36-9?arch=AMD%2064");
        assertEquals("components[2].purl: the qualifier arch='AMD 64' is not a Debian architecture name (e.g. amd64, i386, all).", error(bom));
        purl(bom, 2, "pkg:deb/debian/libc6@" + "1".repeat(256));
        assertEquals("components[2].purl (version): expected a non-empty string of at most 255 characters.", error(bom));

        ((ArrayNode) bom.get("components")).set(2, JSON.getNodeFactory().textNode("libc6"));
        assertEquals("components[2]: expected an object.", error(bom));
        bom.putObject("components");
        assertEquals("components: expected a list.", error(bom));
    }

    @Test
    public void purlsOfOtherPackageTypesAreIgnoredButAtLeastOneDebIsRequired() throws Exception {
        ObjectNode bom = fixture();
        purl(bom, 6, "pkg:npm/%40scope/not a valid purl@@");
        assertEquals(6, source.read(HOST, bytes(bom)).installed().size());

        ArrayNode onlyOs = JSON.createArrayNode().add(bom.get("components").get(OS)).add(bom.get("components").get(6));
        bom.set("components", onlyOs);
        assertTrue(error(bom), error(bom).startsWith("components: no component has a pkg:deb purl"));
    }

    // --- helpers --------------------------------------------------------------------------------

    private static ObjectNode fixture() throws IOException {
        try (InputStream in = SbomSourceTest.class.getResourceAsStream("/sbom/debian12-syft.cdx.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private static ObjectNode osComponent(ObjectNode bom) {
        return (ObjectNode) bom.get("components").get(OS);
    }

    private static void purl(ObjectNode bom, int component, String purl) {
        ((ObjectNode) bom.get("components").get(component)).put("purl", purl);
    }

    private static ObjectNode property(String name, String value) {
        return JSON.createObjectNode().put("name", name).put("value", value);
    }

    private static byte[] bytes(JsonNode bom) {
        return bom.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String error(JsonNode bom) {
        return error(bytes(bom));
    }

    private String error(byte[] body) {
        try {
            source.read(HOST, body);
        } catch (InvalidReportException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + new String(body, StandardCharsets.UTF_8));
    }
}
