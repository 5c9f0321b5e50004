package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class KubernetesSnapshotTest {

    private static final String D = "sha256:3f39d5c348e5b79d06e842c114e6cc571583bbf44e4b0ebfda1a01ec05745d43";
    private static final String A = "sha256:559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd";
    private static final String B = "sha256:df7e70e5021544f4834bbee64a9e3789febc4be81470df629cad6ddb03320a5c";
    private static final String C = "sha256:6b23c0d5f35d1b11f9b683f0b0a617355deb11277d91ae091d399c655b87940d";
    private static final String E = "sha256:a9f51566bd6705f7ea6ad54bb9deb449f795582d6529a0e22207b8981233ec58";
    private static final String F = "sha256:f67ab10ad4e4c53121b6a5fe4da9c10ddee905b978d3788d2723d7bfacbe28a9";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode fixture() throws IOException {
        try (InputStream in = KubernetesSnapshotTest.class.getResourceAsStream("kubectl-pods.json")) {
            return KubernetesSnapshot.fromPodList("prod-eu", in);
        }
    }

    /** The snapshot of a pod list written with single quotes. */
    private static ObjectNode snapshot(String json) throws IOException {
        byte[] bytes = json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return KubernetesSnapshot.fromPodList("lab", new ByteArrayInputStream(bytes));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    public void countsTheContainersOfRunningAndPendingPodsByImageAndNamespace() throws Exception {
        JsonNode expected = MAPPER.readTree(("{'cluster': 'prod-eu', 'images': {"
                + "'registry.k8s.io/coredns/coredns:v1.11.1@" + A + "': {'kube-system': 2},"
                + "'registry.k8s.io/kube-proxy:v1.29.2@" + B + "': {'kube-system': 1},"
                + "'docker.io/library/nginx:1.25@" + C + "': {'default': 2, 'monitoring': 1},"
                + "'docker.io/library/busybox:latest@" + D + "': {'default': 2},"
                + "'quay.io/prometheus/node-exporter:v1.8.0@" + E + "': {'monitoring': 1},"
                + "'127.0.0.1:5000/app:1': {'apps': 1},"
                + "'registry.example.org/team/api@" + F + "': {'apps': 1},"
                + "'localhost:5000/app:latest': {'apps': 2}}}").replace('\'', '"'));

        ObjectNode snapshot = fixture();

        assertEquals(expected, snapshot);
    }

    @Test
    public void keysKeepTheirInsertionOrder() throws Exception {
        ObjectNode snapshot = fixture();

        assertEquals(List.of("cluster", "images"), fieldNames(snapshot));
        assertEquals(List.of("registry.k8s.io/coredns/coredns:v1.11.1@" + A, "registry.k8s.io/kube-proxy:v1.29.2@" + B,
                "docker.io/library/nginx:1.25@" + C, "docker.io/library/busybox:latest@" + D,
                "quay.io/prometheus/node-exporter:v1.8.0@" + E, "127.0.0.1:5000/app:1",
                "registry.example.org/team/api@" + F, "localhost:5000/app:latest"), fieldNames(snapshot.get("images")));
        assertEquals(List.of("default", "monitoring"),
                fieldNames(snapshot.get("images").get("docker.io/library/nginx:1.25@" + C)));
        assertEquals("{\"cluster\":\"lab\",\"images\":{}}", MAPPER.writeValueAsString(snapshot("{\"items\": []}")));
    }

    @Test
    public void theDigestIsMatchedByContainerName() throws Exception {
        ObjectNode snapshot = snapshot("{'items': [{'metadata': {'namespace': 'ns'},"
                + "'spec': {'containers': [{'name': 'a', 'image': 'a:1'}, {'name': 'b', 'image': 'b:1'}]},"
                + "'status': {'phase': 'Running', 'containerStatuses': ["
                + "{'name': 'b', 'imageID': 'docker-pullable://b@" + B + "'},"
                + "{'name': 'a', 'imageID': 'docker.io/library/a@" + A + "'}]}}]}");

        assertEquals(List.of("docker.io/library/a:1@" + A, "docker.io/library/b:1@" + B),
                fieldNames(snapshot.get("images")));
    }

    @Test
    public void podsWithoutAPhaseOrImageAreSkipped() throws Exception {
        ObjectNode snapshot = snapshot("{'items': [{'metadata': {'namespace': 'ns'},"
                + "'spec': {'containers': [{'name': 'a', 'image': 'a:1'}]}, 'status': {}},"
                + "{'metadata': {'namespace': 'ns'}, 'spec': {'containers': [{'name': 'a'}]},"
                + "'status': {'phase': 'Pending'}}]}");

        assertEquals(0, snapshot.get("images").size());
    }

    @Test
    public void somethingElseThanAPodListIsRefused() {
        IOException e = assertThrows(IOException.class, () -> snapshot("{'kind': 'Pod', 'metadata': {}}"));
        assertTrue(e.getMessage(), e.getMessage().contains("not a pod list"));
        assertThrows(IOException.class, () -> snapshot("[]"));
        assertThrows(IOException.class, () -> snapshot(""));
        assertThrows(IOException.class, () -> snapshot("{'items': ["));
    }

    @Test
    public void normalisesLikeTheContainerRuntime() {
        assertEquals("docker.io/library/nginx:latest", KubernetesSnapshot.normalise("nginx"));
        assertEquals("docker.io/library/nginx:1.25", KubernetesSnapshot.normalise("nginx:1.25"));
        assertEquals("docker.io/library/nginx:latest", KubernetesSnapshot.normalise("library/nginx"));
        assertEquals("docker.io/library/nginx:latest", KubernetesSnapshot.normalise("docker.io/nginx"));
        assertEquals("docker.io/library/nginx:latest", KubernetesSnapshot.normalise("index.docker.io/library/nginx"));
        assertEquals("docker.io/bitnami/redis:7", KubernetesSnapshot.normalise("bitnami/redis:7"));
        assertEquals("quay.io/prometheus/node-exporter:v1.8.0",
                KubernetesSnapshot.normalise("quay.io/prometheus/node-exporter:v1.8.0"));
        assertEquals("localhost:5000/app:1", KubernetesSnapshot.normalise("localhost:5000/app:1"));
        assertEquals("localhost/app:latest", KubernetesSnapshot.normalise("localhost/app"));
        assertEquals("127.0.0.1:5000/app:latest", KubernetesSnapshot.normalise("127.0.0.1:5000/app"));
        assertEquals("registry.example.org/a/b/c@" + A, KubernetesSnapshot.normalise("registry.example.org/a/b/c@" + A));
        assertEquals("registry.example.org:8443/a/b:2@" + A,
                KubernetesSnapshot.normalise("registry.example.org:8443/a/b:2@" + A));
        assertEquals("docker.io/library/nginx@" + A, KubernetesSnapshot.normalise("nginx@" + A));
        assertEquals("docker.io/library/nginx:1.25@" + A, KubernetesSnapshot.normalise("nginx:1.25@" + A));
        assertEquals("Registry.Example.ORG/Team/App:V1", KubernetesSnapshot.normalise("Registry.Example.ORG/Team/App:V1"));
        assertEquals("docker.io/library/Nginx:LATEST", KubernetesSnapshot.normalise("Nginx:LATEST"));
    }

    @Test
    public void keyTakesTheDigestFromThePullableImageId() {
        assertEquals("docker.io/library/nginx:1.25@" + C,
                KubernetesSnapshot.key("nginx:1.25", "docker-pullable://nginx@" + C));
        assertEquals("docker.io/library/nginx:latest@" + C, KubernetesSnapshot.key("nginx", "docker.io/library/nginx@" + C));
        // A digest in the reference is what runs; the imageID can only repeat it.
        assertEquals("docker.io/library/nginx@" + A, KubernetesSnapshot.key("nginx@" + A, "docker.io/library/nginx@" + C));
        assertEquals("docker.io/library/nginx:1.25", KubernetesSnapshot.key("nginx:1.25", C));
        assertEquals("docker.io/library/nginx:1.25", KubernetesSnapshot.key("nginx:1.25", "docker://" + C));
        assertEquals("docker.io/library/nginx:1.25", KubernetesSnapshot.key("nginx:1.25", null));
    }

    @Test
    public void repoDigestAcceptsOnlyAWholeSha256AfterTheAt() {
        assertEquals(C, KubernetesSnapshot.repoDigest("docker-pullable://nginx@" + C));
        assertEquals(C, KubernetesSnapshot.repoDigest("127.0.0.1:5000/app@" + C));
        assertNull(KubernetesSnapshot.repoDigest(C));
        assertNull(KubernetesSnapshot.repoDigest("nginx@sha256:abc"));
        assertNull(KubernetesSnapshot.repoDigest(""));
        assertNull(KubernetesSnapshot.repoDigest(null));
    }
}
