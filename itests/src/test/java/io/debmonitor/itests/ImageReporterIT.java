package io.debmonitor.itests;

import static io.debmonitor.itests.OciImages.dir;
import static io.debmonitor.itests.OciImages.dpkgStatus;
import static io.debmonitor.itests.OciImages.dpkgStatusFor;
import static io.debmonitor.itests.OciImages.file;
import static io.debmonitor.itests.OciImages.layer;
import static io.debmonitor.itests.OciImages.opaque;
import static io.debmonitor.itests.OciImages.osRelease;
import static io.debmonitor.itests.OciImages.symlink;
import static io.debmonitor.itests.OciImages.whiteout;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * debmonitor-image-reporter end to end: a real registry on loopback (Debian's docker-registry, TLS
 * with its own CA, and a second one behind token auth), images this test builds itself and pushes
 * with skopeo, the reporter run as its own process against them and the assembled distribution
 * over mutual TLS, and the stored packages read back through the image lookup.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ImageReporterIT {

    @ClassRule
    public static final UiDistribution SERVER = new UiDistribution("ImageReporterIT", server -> { });

    private static TestRegistry registry;
    private static TestRegistry tokenRegistry;
    private static Path work;
    private static String indexDigest;
    private static String debianDigest;

    @BeforeClass
    public static void pushImages() throws Exception {
        work = Files.createTempDirectory("image-reporter-it");
        registry = TestRegistry.plain();
        tokenRegistry = TestRegistry.withTokenAuth("pusher", "push-Secret-9");

        OciImages images = new OciImages(work.resolve("layout"));
        // A plain Debian image; etc/os-release is a symlink, as in Debian's own images.
        debianDigest = images.tag("debian", images.image("linux/amd64", layer(
                file("usr/lib/os-release", osRelease("debian", "12")), symlink("etc/os-release", "../usr/lib/os-release"),
                file("var/lib/dpkg/status", dpkgStatus("base-files=12.4+deb12u5", "libc6=2.36-9+deb12u7=glibc",
                        "libssl3=3.0.15-1~deb12u1=openssl", "libzstd1:i386=1.5.4+dfsg2-5=libzstd", "libfoo1=1.0-1+b1=foo=1.0-1"))))).digest();
        images.push("debian", registry, "library/debian:12");
        // An upper layer replaces var/lib/dpkg wholesale (opaque directory): c is gone, a is upgraded.
        images.tag("opaque", images.image("linux/amd64",
                layer(file("etc/os-release", osRelease("ubuntu", "24.04")), file("var/lib/dpkg/status", dpkgStatus("a=1", "b=1", "c=1"))),
                layer(dir("var/lib/dpkg"), opaque("var/lib/dpkg"), file("var/lib/dpkg/status", dpkgStatus("a=2", "b=1")))));
        images.push("opaque", registry, "app/opaque:1");
        // Distroless: one file per package in status.d; the upper layer whites out tzdata.
        images.tag("distroless", images.image("linux/amd64",
                layer(file("etc/os-release", osRelease("debian", "12")),
                        file("var/lib/dpkg/status.d/base-files", dpkgStatus("base-files=12.4+deb12u5")),
                        file("var/lib/dpkg/status.d/base-files.md5sums", "0123  etc/debian_version\n"),
                        file("var/lib/dpkg/status.d/libc6", dpkgStatus("libc6=2.36-9+deb12u7=glibc")),
                        file("var/lib/dpkg/status.d/tzdata", dpkgStatus("tzdata=2024a-0+deb12u1"))),
                layer(whiteout("var/lib/dpkg/status.d/tzdata"))));
        images.push("distroless", registry, "distroless/base:nonroot");
        // A multi-arch index: the reporter takes linux/amd64 and only logs arm64.
        indexDigest = images.index("multi",
                images.image("linux/amd64", layer(file("etc/os-release", osRelease("debian", "12")),
                        file("var/lib/dpkg/status", dpkgStatus("tool=2.0-1")))),
                images.image("linux/arm64", layer(file("etc/os-release", osRelease("debian", "12")),
                        file("var/lib/dpkg/status", dpkgStatusFor("arm64", "tool=2.0-1", "arm-only=1"))))).digest();
        images.push("multi", registry, "multi/tool:2");
        // No dpkg database at all: skipped, never stored.
        images.tag("alpine", images.image("linux/amd64", layer(file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n"))));
        images.push("alpine", registry, "alpine/base:3");
        // Behind token auth.
        images.tag("secure", images.image("linux/amd64", layer(file("etc/os-release", osRelease("debian", "12")),
                file("var/lib/dpkg/status", dpkgStatus("secret-tool=1.0-1")))));
        images.push("secure", tokenRegistry, "team/secure:1");
    }

    @AfterClass
    public static void stopRegistries() throws Exception {
        for (TestRegistry r : new TestRegistry[] {registry, tokenRegistry}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    public void a_firstWalkStoresEveryImagesPackages() throws Exception {
        Run run = reporter("registry", "--registry", registry.url(), "--registry-ca", registry.caPem().toString());
        assertEquals(run.output, 0, run.exit);
        String r = registry.hostPort();

        JsonNode debian = lookup(r + "/library/debian:12");
        assertEquals("Debian 12", debian.get("os").asText());
        assertEquals(debianDigest, debian.get("digest").asText());
        assertEquals(Map.of("base-files", "12.4+deb12u5", "libc6", "2.36-9+deb12u7", "libssl3", "3.0.15-1~deb12u1",
                "libzstd1:i386", "1.5.4+dfsg2-5", "libfoo1", "1.0-1+b1"), packages(debian));
        // Sources as dpkg records them: a named source at the binary's version, and a binNMU's own source version.
        assertEquals(List.of("Debian 12 2.36-9+deb12u7 [libc6]"), sourceVersions("glibc"));
        assertEquals(List.of("Debian 12 1.0-1 [libfoo1]"), sourceVersions("foo"));

        JsonNode opaque = lookup(r + "/app/opaque:1");
        assertEquals("Ubuntu 24.04", opaque.get("os").asText());
        assertEquals(Map.of("a", "2", "b", "1"), packages(opaque));

        assertEquals(Map.of("base-files", "12.4+deb12u5", "libc6", "2.36-9+deb12u7"), packages(lookup(r + "/distroless/base:nonroot")));

        JsonNode multi = lookup(r + "/multi/tool:2");
        assertEquals("the index's digest, as kubelet shows it", indexDigest, multi.get("digest").asText());
        assertEquals(Map.of("tool", "2.0-1"), packages(multi));

        assertEquals(404, get("/images/" + r + "/alpine/base:3").statusCode());

        // Its CycloneDX SBOM is valid CycloneDX 1.5, with Debian package URLs.
        HttpResponse<String> sbom = SERVER.get(uploader(), "/images/" + r + "/library/debian:12?format=cyclonedx");
        assertEquals(sbom.body(), 200, sbom.statusCode());
        assertEquals(List.of(), new org.cyclonedx.parsers.JsonParser().validate(sbom.body().getBytes(StandardCharsets.UTF_8),
                org.cyclonedx.Version.VERSION_15));
        List<String> purls = new ArrayList<>();
        UiDistribution.JSON.readTree(sbom.body()).get("components").forEach(c -> purls.add(c.path("purl").asText()));
        // A binNMU: the source version differs from the binary's, so it is part of the upstream qualifier.
        assertTrue(purls.toString(), purls.stream().anyMatch(p -> p.startsWith("pkg:deb/debian/libfoo1@1.0-1%2Bb1?")
                && p.contains("distro=debian-12") && p.contains("upstream=foo%401.0-1")));
        assertTrue(run.output, run.output.contains("4 reported, 0 unchanged, 1 skipped, 0 failed"));
    }

    @Test
    public void b_secondWalkSendsNothing() throws Exception {
        String name = registry.hostPort() + "/library/debian:12";
        String modified = lookup(name).get("modified").asText();
        Run run = reporter("registry", "--registry", registry.url(), "--registry-ca", registry.caPem().toString());
        assertEquals(run.output, 0, run.exit);
        assertTrue(run.output, run.output.contains("0 reported, 4 unchanged, 1 skipped, 0 failed"));
        assertEquals(modified, lookup(name).get("modified").asText());
    }

    @Test
    public void c_aRegistryBehindTokenAuth() throws Exception {
        Path password = work.resolve("registry-password");
        Files.writeString(password, tokenRegistry.password() + "\n");
        Run run = reporter("registry", "--registry", tokenRegistry.url(), "--registry-ca", tokenRegistry.caPem().toString(),
                "--registry-user", tokenRegistry.user(), "--registry-password-file", password.toString());
        assertEquals(run.output, 0, run.exit);
        assertEquals(Map.of("secret-tool", "1.0-1"), packages(lookup(tokenRegistry.hostPort() + "/team/secure:1")));
        assertTrue("asked for " + tokenRegistry.tokenServer().requestedScopes(),
                tokenRegistry.tokenServer().requestedScopes().contains("registry:catalog:*"));
    }

    @Test
    public void d_aKubernetesSnapshotMatchesShortAndDigestReferences() throws Exception {
        String r = registry.hostPort();
        String pods = "{\"items\": ["
                + pod("web", "web-1", r + "/multi/tool:2", "docker-pullable://" + r + "/multi/tool@" + indexDigest)
                + "," + pod("web", "web-2", r + "/multi/tool:2", r + "/multi/tool@" + indexDigest)
                + "," + pod("db", "db-1", r + "/library/debian@" + debianDigest, r + "/library/debian@" + debianDigest)
                + "," + pod("tools", "busybox", "busybox", "docker.io/library/busybox@sha256:" + "0".repeat(64))
                + "]}";
        Path file = work.resolve("pods.json");
        Files.writeString(file, pods);
        Run run = reporter("kubernetes", "--cluster", "itest-cluster", file.toString());
        assertEquals(run.output, 0, run.exit);
        JsonNode multi = lookup(r + "/multi/tool:2");
        assertEquals(2, multi.get("containers").asInt());
        assertEquals("itest-cluster", multi.at("/kubernetes/0/cluster").asText());
        assertEquals("web", multi.at("/kubernetes/0/namespace").asText());
        assertEquals(1, lookup(r + "/library/debian:12").get("containers").asInt());
        assertTrue(run.output, run.output.contains("docker.io/library/busybox"));
    }

    private static String pod(String namespace, String name, String image, String imageId) {
        return "{\"metadata\": {\"namespace\": \"" + namespace + "\", \"name\": \"" + name + "\"},"
                + " \"spec\": {\"containers\": [{\"name\": \"main\", \"image\": \"" + image + "\"}]},"
                + " \"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"main\", \"image\": \"" + image
                + "\", \"imageID\": \"" + imageId + "\"}]}}";
    }

    // --- helpers ------------------------------------------------------------------------------

    private record Run(int exit, String output) {
    }

    /** Runs the reporter's jar as its own process with the uploader's (and kubernetes reporter's) certificate. */
    private static Run reporter(String... arguments) throws Exception {
        Path pki = SERVER.pki();
        String identity = arguments[0].equals("kubernetes") ? ItestSupport.KUBERNETES_REPORTER : ItestSupport.UPLOADER;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("itest.imagereporter.jar")));
        command.add(arguments[0]);
        command.addAll(List.of("--server", SERVER.httpsUrl(""), "--cert", pki.resolve(identity + ".pem").toString(),
                "--key", pki.resolve(identity + ".key").toString(), "--ca", pki.resolve("ca.pem").toString()));
        command.addAll(List.of(arguments).subList(1, arguments.length));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), String.join(" ", command) + "\n" + new String(output, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return SERVER.get(uploader(), path, "Accept", "application/json");
    }

    private static HttpClient uploaderClient;

    private static synchronized HttpClient uploader() throws Exception {
        if (uploaderClient == null) {
            uploaderClient = ItestSupport.tlsClient(SERVER.pki().resolve("ca.pem"), SERVER.pki().resolve(ItestSupport.UPLOADER + ".p12"));
        }
        return uploaderClient;
    }

    /** The image lookup as the uploader reads it (SPEC §1.9), with up to 1000 package rows. */
    private static JsonNode lookup(String name) throws Exception {
        HttpResponse<String> response = SERVER.get(uploader(), "/images/" + name + "?size=1000", "Accept", "application/json");
        assertEquals(name + ": " + response.body(), 200, response.statusCode());
        return UiDistribution.JSON.readTree(response.body());
    }

    /** The source package's versions as {@code "<os> <version> [<binaries>]"}, from its page's JSON. */
    private static List<String> sourceVersions(String source) throws Exception {
        HttpResponse<String> response = SERVER.get(uploader(), "/source-packages/" + source + "?format=json");
        assertEquals(source + ": " + response.body(), 200, response.statusCode());
        List<String> versions = new ArrayList<>();
        for (JsonNode item : UiDistribution.JSON.readTree(response.body()).at("/versions/items")) {
            List<String> binaries = new ArrayList<>();
            item.get("binaries").forEach(binary -> binaries.add(binary.get("name").asText()));
            versions.add(item.get("os").asText() + " " + item.get("version").asText() + " " + binaries);
        }
        return versions;
    }

    private static Map<String, String> packages(JsonNode image) {
        Map<String, String> packages = new TreeMap<>();
        for (JsonNode row : image.at("/packages/items")) {
            packages.put(row.get("name").asText(), row.get("version").asText());
        }
        return packages;
    }
}
