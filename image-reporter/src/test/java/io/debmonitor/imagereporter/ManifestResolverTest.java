package io.debmonitor.imagereporter;

import static io.debmonitor.imagereporter.FakeRegistry.entry;
import static io.debmonitor.imagereporter.FakeRegistry.imageManifest;
import static io.debmonitor.imagereporter.FakeRegistry.index;
import static io.debmonitor.imagereporter.RegistryClient.DOCKER_LIST;
import static io.debmonitor.imagereporter.RegistryClient.DOCKER_MANIFEST;
import static io.debmonitor.imagereporter.RegistryClient.OCI_INDEX;
import static io.debmonitor.imagereporter.RegistryClient.OCI_MANIFEST;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.After;
import org.junit.Test;

public class ManifestResolverTest {

    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String D3 = "sha256:" + "3".repeat(64);
    private static final String D4 = "sha256:" + "4".repeat(64);

    private final FakeRegistry registry;

    public ManifestResolverTest() throws Exception {
        registry = new FakeRegistry();
    }

    @After
    public void stop() {
        registry.close();
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static Platform p(String text) throws UsageException {
        return Platform.parse(text);
    }

    /** What buildx pushes: two platforms and their attestations. */
    private static final String BUILDX_INDEX = index(OCI_INDEX,
            entry(OCI_MANIFEST, D1, "linux/amd64"), entry(OCI_MANIFEST, D2, "linux/arm64/v8"),
            entry(OCI_MANIFEST, D3, "linux/arm/v7"), entry(OCI_MANIFEST, D4, null));

    @Test
    public void ociIndexGivesTheWantedPlatformAndListsTheOthersWithoutAttestations() throws Exception {
        ManifestResolver.Selection s = ManifestResolver.select(json(BUILDX_INDEX), Platform.DEFAULT);
        assertEquals(D1, s.digest());
        assertEquals(p("linux/amd64"), s.platform());
        assertEquals(List.of(p("linux/arm64/v8"), p("linux/arm/v7")), s.others());
    }

    @Test
    public void arm64MatchesV8AndArmDefaultsToV7() throws Exception {
        assertEquals(D2, ManifestResolver.select(json(BUILDX_INDEX), p("linux/arm64")).digest());
        assertEquals(D2, ManifestResolver.select(json(BUILDX_INDEX), p("linux/arm64/v8")).digest());
        assertEquals(D3, ManifestResolver.select(json(BUILDX_INDEX), p("linux/arm")).digest());
    }

    @Test
    public void dockerManifestListOfDebian() throws Exception {
        String list = index(DOCKER_LIST, entry(DOCKER_MANIFEST, D1, "linux/amd64"),
                entry(DOCKER_MANIFEST, D2, "linux/arm/v5"), entry(DOCKER_MANIFEST, D3, "linux/arm/v7"),
                entry(DOCKER_MANIFEST, D4, "linux/arm64/v8"));
        assertEquals(D3, ManifestResolver.select(json(list), p("linux/arm/v7")).digest());
        assertEquals(D2, ManifestResolver.select(json(list), p("linux/arm/v5")).digest());
        assertEquals(D4, ManifestResolver.select(json(list), p("linux/arm64")).digest());
    }

    @Test
    public void withoutAnExplicitVariantAnyVariantOfTheArchitectureWillDo() throws Exception {
        String list = index(OCI_INDEX, entry(OCI_MANIFEST, D1, "linux/amd64/v3"));
        assertEquals(D1, ManifestResolver.select(json(list), p("linux/amd64")).digest());
        assertThrows(SkippedImage.class, () -> ManifestResolver.select(json(list), p("linux/amd64/v2")));
    }

    @Test
    public void missingPlatformIsASkipThatNamesWhatTheIndexHas() throws Exception {
        SkippedImage e = assertThrows(SkippedImage.class,
                () -> ManifestResolver.select(json(BUILDX_INDEX), p("linux/s390x")));
        assertEquals("no linux/s390x image in the index (it has: linux/amd64, linux/arm64/v8, linux/arm/v7)",
                e.getMessage());
    }

    @Test
    public void resolvesAnIndexToTheLayersOfThePlatformButKeepsTheIndexDigest() throws Exception {
        String config = registry.config("lib/app", "linux", "arm64", "v8");
        String arm = registry.manifest("lib/app", null, OCI_MANIFEST, imageManifest(OCI_MANIFEST,
                ManifestResolver.OCI_CONFIG, config, LAYER, D3, D4));
        String indexDigest = registry.manifest("lib/app", "1.0", OCI_INDEX,
                index(OCI_INDEX, entry(OCI_MANIFEST, D1, "linux/amd64"), entry(OCI_MANIFEST, arm, "linux/arm64/v8")));

        ManifestResolver.ResolvedImage image = new ManifestResolver(registry.client(), p("linux/arm64"))
                .resolve("lib/app", "1.0");

        assertEquals(indexDigest, image.digest());
        assertEquals(p("linux/arm64/v8"), image.platform());
        assertEquals(List.of(new ManifestResolver.Layer(D3, LAYER, 1), new ManifestResolver.Layer(D4, LAYER, 1)),
                image.layers());
        assertEquals(List.of(p("linux/amd64")), image.otherPlatforms());
        // The index says the platform: the configuration blob is not needed.
        assertTrue(registry.http.requestsTo("/v2/lib/app/blobs/").isEmpty());
    }

    @Test
    public void singleDockerManifestTakesItsPlatformFromTheConfiguration() throws Exception {
        String config = registry.config("lib/old", "linux", "arm", "v7");
        String digest = registry.manifest("lib/old", "2", DOCKER_MANIFEST,
                imageManifest(DOCKER_MANIFEST, ManifestResolver.DOCKER_CONFIG, config, DOCKER_LAYER, D1));

        ManifestResolver.ResolvedImage image = new ManifestResolver(registry.client(), Platform.DEFAULT)
                .resolve("lib/old", "2");

        assertEquals(digest, image.digest());
        assertEquals(p("linux/arm/v7"), image.platform());
        assertEquals(List.of(new ManifestResolver.Layer(D1, DOCKER_LAYER, 1)), image.layers());
        assertTrue(image.otherPlatforms().isEmpty());
    }

    @Test
    public void schemaOneIsSkippedWithAClearReason() throws Exception {
        registry.manifest("lib/ancient", "1", RegistryClient.DOCKER_SCHEMA1_SIGNED,
                "{\"schemaVersion\":1,\"name\":\"lib/ancient\",\"tag\":\"1\",\"fsLayers\":[]}");
        SkippedImage e = assertThrows(SkippedImage.class,
                () -> new ManifestResolver(registry.client(), Platform.DEFAULT).resolve("lib/ancient", "1"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("Docker schema 1 manifest"));
    }

    @Test
    public void artifactsAreSkipped() throws Exception {
        registry.manifest("charts/app", "0.1.0", OCI_MANIFEST, imageManifest(OCI_MANIFEST,
                "application/vnd.cncf.helm.config.v1+json", D1, "application/vnd.cncf.helm.chart.content.v1.tar+gzip", D2));
        SkippedImage e = assertThrows(SkippedImage.class,
                () -> new ManifestResolver(registry.client(), Platform.DEFAULT).resolve("charts/app", "0.1.0"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("not a container image"));
    }
}
