package io.debmonitor.imagereporter;

import static io.debmonitor.imagereporter.FakeRegistry.entry;
import static io.debmonitor.imagereporter.FakeRegistry.imageManifest;
import static io.debmonitor.imagereporter.FakeRegistry.index;
import static io.debmonitor.imagereporter.RegistryClient.OCI_INDEX;
import static io.debmonitor.imagereporter.RegistryClient.OCI_MANIFEST;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class WalkerTest {

    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String DEBIAN = "registry.example.org/library/debian:12";

    private FakeRegistry registry;
    private FakeHttp debmonitor;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private Consumer<String> previousSink;
    private String indexDigest;
    private long debianLayerBytes;
    private long alpineLayerBytes;
    private String debianLayer;

    private static String stanza(String pkg, String version, String source) {
        return "Package: " + pkg + "\nStatus: install ok installed\nArchitecture: amd64\n"
                + (source != null ? "Source: " + source + "\n" : "") + "Version: " + version + "\n\n";
    }

    @Before
    public void start() throws Exception {
        previousSink = Log.setSink(log::add);
        registry = new FakeRegistry();
        debmonitor = new FakeHttp();
        registry.http.on("GET", "/v2/_catalog", FakeHttp.Reply.json(200,
                "{\"repositories\":[\"library/debian\",\"library/alpine\",\"library/gone\",\"tools/ci\"]}"));
        registry.http.on("GET", "/v2/library/debian/tags/list", FakeHttp.Reply.json(200, "{\"tags\":[\"12\",\"12-dev\"]}"));
        registry.http.on("GET", "/v2/library/alpine/tags/list", FakeHttp.Reply.json(200, "{\"tags\":[\"3\"]}"));
        registry.http.on("GET", "/v2/tools/ci/tags/list", FakeHttp.Reply.json(200, "{\"tags\":[\"1\"]}"));

        byte[] base = new TarLayer().dir("etc").file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                .dir("var/lib/dpkg").file("var/lib/dpkg/status", stanza("dpkg", "1.21.22", null)
                        + stanza("libc6", "2.36-9+deb12u4", "glibc")).gzip();
        byte[] upper = new TarLayer().file("var/lib/dpkg/status", stanza("dpkg", "1.21.22", null)
                + stanza("libc6", "2.36-9+deb12u4", "glibc") + stanza("curl", "7.88.1-10", null)).gzip();
        debianLayer = registry.blob("library/debian", base);
        String amd64 = registry.manifest("library/debian", null, OCI_MANIFEST, imageManifest(OCI_MANIFEST,
                ManifestResolver.OCI_CONFIG, "sha256:" + "c".repeat(64), LAYER, debianLayer,
                registry.blob("library/debian", upper)));
        indexDigest = registry.manifest("library/debian", "12", OCI_INDEX, index(OCI_INDEX,
                entry(OCI_MANIFEST, amd64, "linux/amd64"), entry(OCI_MANIFEST, "sha256:" + "d".repeat(64), "linux/arm64/v8")));
        debianLayerBytes = base.length + upper.length;

        byte[] alpine = new TarLayer().dir("etc").file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n").gzip();
        alpineLayerBytes = alpine.length;
        registry.manifest("library/alpine", "3", OCI_MANIFEST, imageManifest(OCI_MANIFEST, ManifestResolver.OCI_CONFIG,
                registry.config("library/alpine", "linux", "amd64", null), LAYER, registry.blob("library/alpine", alpine)));
    }

    @After
    public void stop() {
        Log.setSink(previousSink);
        registry.close();
        debmonitor.close();
    }

    private Walker.Summary walk(boolean dryRun, PrintStream out) throws Exception {
        List<String> args = new ArrayList<>(List.of("--registry", registry.http.base().toString(),
                "--registry-name", "registry.example.org", "--include", "library/**", "--exclude", "**:*-dev",
                "--concurrency", "2"));
        args.addAll(dryRun ? List.of("--dry-run") : List.of("--server", debmonitor.base().toString()));
        args.add("registry");
        Options o = Options.parse(args.toArray(new String[0]), Map.of(), Path.of("/nonexistent/image-reporter.conf"));
        DebMonitor server = dryRun ? null
                : new DebMonitor(o.server, FakeRegistry.plainHttp(), Duration.ofSeconds(5), o.retries, waits::add);
        return new Walker(o, registry.client(), server, out, waits::add).run();
    }

    private Walker.Summary walk() throws Exception {
        return walk(false, System.out);
    }

    @Test
    public void reportsTheDebianImageWithItsIndexDigestAndSkipsTheRest() throws Exception {
        debmonitor.on("POST", "/images/" + DEBIAN + "/update", FakeHttp.Reply.empty(201));

        Walker.Summary s = walk();

        assertEquals(new Walker.Summary(2, 1, 0, 1, 0, debianLayerBytes + alpineLayerBytes, s.nanos()), s);
        List<FakeHttp.Request> posts = debmonitor.requestsTo("/images/" + DEBIAN + "/update");
        assertEquals(1, posts.size());
        JsonNode payload = new ObjectMapper().readTree(posts.get(0).body());
        assertEquals(List.of("api_version", "os", "installed", "uninstalled", "upgradable", "update_type",
                "image_name", "digest"), fieldNames(payload));
        assertEquals("Debian 12", payload.get("os").asText());
        assertEquals(DEBIAN, payload.get("image_name").asText());
        assertEquals(indexDigest, payload.get("digest").asText());
        assertEquals("full", payload.get("update_type").asText());
        assertEquals(3, payload.get("installed").size());
        assertEquals("glibc", payload.get("installed").get(1).get("source").asText());
        // Nothing of the excluded tag or of the repository outside the include glob was read.
        assertTrue(registry.http.requestsTo("/v2/library/debian/manifests/12-dev").isEmpty());
        assertTrue(registry.http.requestsTo("/v2/tools/ci/manifests/").isEmpty());
        assertTrue(log.toString(), log.contains("[INFO] " + DEBIAN + ": reporting linux/amd64; the index also has linux/arm64/v8"));
        assertTrue(log.toString(), log.stream().anyMatch(l -> l.startsWith("[INFO] skipped registry.example.org/library/alpine:3: ")));
        assertTrue(log.toString(), log.get(log.size() - 1).startsWith("[INFO] summary: 2 images in "));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void stored(String digest, Instant modified) {
        debmonitor.on("GET", "/images/" + DEBIAN, FakeHttp.Reply.json(200, "{\"name\":\"" + DEBIAN + "\",\"digest\":\""
                + digest + "\",\"modified\":\"" + modified + "\"}"));
        debmonitor.on("POST", "/images/" + DEBIAN + "/update", FakeHttp.Reply.empty(201));
    }

    @Test
    public void anUnchangedRecentImageIsNeitherReadNorPosted() throws Exception {
        stored(indexDigest, Instant.now().minus(Duration.ofDays(29)));

        Walker.Summary s = walk();

        assertEquals(1, s.unchanged());
        assertEquals(0, s.reported());
        assertTrue(debmonitor.requestsTo("/images/" + DEBIAN + "/update").isEmpty());
        assertTrue(registry.http.requestsTo("/v2/library/debian/blobs/").isEmpty());
    }

    @Test
    public void anUnchangedImageIsPostedAgainAfterTheRefreshDays() throws Exception {
        stored(indexDigest, Instant.now().minus(Duration.ofDays(31)));
        assertEquals(1, walk().reported());
    }

    @Test
    public void aNewDigestIsPosted() throws Exception {
        stored("sha256:" + "0".repeat(64), Instant.now());
        assertEquals(1, walk().reported());
    }

    @Test
    public void aLayerReadFailingWithAnIoErrorIsRetried() throws Exception {
        debmonitor.on("POST", "/images/" + DEBIAN + "/update", FakeHttp.Reply.empty(201));
        FakeHttp.Reply good = FakeHttp.Reply.of(200, "application/octet-stream", layerBytes());
        int[] calls = {0};
        registry.http.on("GET", "/v2/library/debian/blobs/" + debianLayer,
                r -> calls[0]++ == 0 ? FakeHttp.Reply.json(503, "{}") : good);

        Walker.Summary s = walk();

        assertEquals(1, s.reported());
        assertEquals(0, s.failed());
        assertEquals(List.of(1000L), waits);
    }

    private byte[] layerBytes() throws Exception {
        try (var in = registry.client().openBlob("library/debian", debianLayer)) {
            return in.readAllBytes();
        }
    }

    @Test
    public void aRefusedPostIsAFailure() throws Exception {
        debmonitor.on("POST", "/images/" + DEBIAN + "/update", FakeHttp.Reply.json(403, "{\"error\":\"not an uploader\"}"));
        Walker.Summary s = walk();
        assertEquals(1, s.failed());
        assertTrue(log.toString(), log.contains("[ERROR] cannot send the report of " + DEBIAN + ": HTTP 403: not an uploader"));
    }

    /** Standard output for a dry run that fails with {@code error} when a payload is printed. */
    private static PrintStream failingWith(Error error) {
        return new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void println(String line) {
                throw error;
            }
        };
    }

    @Test
    public void anErrorOfOneImageFailsThatImageOnly() throws Exception {
        // As when zstd-jni cannot load its native library (a noexec /tmp), or a deep recursion.
        for (Error error : List.of(new UnsatisfiedLinkError("no zstd-jni in java.library.path"),
                new NoClassDefFoundError("Could not initialize class com.github.luben.zstd.Zstd"),
                new StackOverflowError())) {
            log.clear();

            Walker.Summary s = walk(true, failingWith(error));

            assertEquals(new Walker.Summary(2, 0, 0, 1, 1, s.bytesRead(), s.nanos()), s);
            assertTrue(log.toString(), log.contains("[ERROR] " + DEBIAN + ": " + error));
            assertTrue(log.toString(), log.get(log.size() - 1).startsWith("[INFO] summary: 2 images in "));
        }
    }

    @Test
    public void otherVirtualMachineErrorsEndTheWalkAfterTheSummary() {
        InternalError error = new InternalError("the JVM is broken");

        assertSame(error, assertThrows(InternalError.class, () -> walk(true, failingWith(error))));
        assertTrue(log.toString(), log.get(log.size() - 1).startsWith("[INFO] summary: "));
    }

    @Test
    public void dryRunPrintsThePayloadAndContactsNoServer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Walker.Summary s = walk(true, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals(1, s.reported());
        assertTrue(debmonitor.requests.isEmpty());
        JsonNode printed = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(DEBIAN, printed.get("image_name").asText());
        assertEquals(indexDigest, printed.get("digest").asText());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  \"os\" : \"Debian 12\""));
    }
}
