package io.debmonitor.core.model.v1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.KubernetesSnapshotDTO;

/** SPEC §1.2 and §1.8: what a kubernetes snapshot may hold, and which mistakes refuse all of it or one pair. */
public class KubernetesSnapshotReaderTest {

    private static final String MW = "docker-registry.example.org/wikimedia/mediawiki-httpd:2.4.62-1-20250701";
    private static final String UNKNOWN = "docker-registry.example.org/wikimedia/unknown:1.0";

    private final KubernetesSnapshotReader reader = new KubernetesSnapshotReader();

    private KubernetesSnapshotDTO read(String json) throws InvalidReportException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String json, String messagePart) {
        InvalidReportException e = assertThrows(json, InvalidReportException.class, () -> read(json));
        assertTrue(json + " -> " + e.getMessage(), e.getMessage().contains(messagePart));
    }

    private static String snapshot(String images) {
        return "{\"cluster\": \"eqiad-main\", \"images\": " + images + "}";
    }

    @Test
    public void readsTheSpecExampleInPayloadOrder() throws Exception {
        KubernetesSnapshotDTO snapshot = read("{\"cluster\": \"eqiad-main\", \"images\": {\"" + MW + "\": {\"mw-web\": 40, \"mw-api\": 12},"
                + " \"" + UNKNOWN + "\": {\"tools\": 1}}}");

        assertEquals("eqiad-main", snapshot.cluster());
        assertEquals(List.of(MW, UNKNOWN), List.copyOf(snapshot.images().keySet()));
        assertEquals(List.of("mw-web", "mw-api"), List.copyOf(snapshot.images().get(MW).keySet()));
        assertEquals(Map.of("mw-web", 40, "mw-api", 12), snapshot.images().get(MW));
        assertEquals(Map.of("tools", 1), snapshot.images().get(UNKNOWN));
        assertEquals(List.of(), snapshot.errors());
    }

    @Test
    public void anEmptyImagesObjectIsAValidSnapshot() throws Exception {
        KubernetesSnapshotDTO snapshot = read(snapshot("{}"));

        assertEquals(Map.of(), snapshot.images());
        assertEquals(List.of(), snapshot.errors());
    }

    @Test
    public void unknownKeysAreIgnoredAtEveryLevel() throws Exception {
        KubernetesSnapshotDTO snapshot = read("{\"api_version\": 3, \"cluster\": \"c\", \"extra\": {\"x\": [1]},"
                + " \"images\": {\"a:1\": {\"ns\": 2}}}");

        assertEquals(Map.of("a:1", Map.of("ns", 2)), snapshot.images());
    }

    @Test
    public void aRepeatedKeyKeepsItsLastOccurrence() throws Exception {
        KubernetesSnapshotDTO snapshot = read("{\"cluster\": \"first\", \"cluster\": \"second\", \"images\": {"
                + "\"a:1\": {\"ns\": 1, \"ns\": 2}, \"b:1\": {\"ns\": 1}, \"b:1\": {\"other\": 3}, \"c:1\": {\"ns\": 1, \"ns\": \"x\"}}}");

        assertEquals("second", snapshot.cluster());
        assertEquals(Map.of("ns", 2), snapshot.images().get("a:1"));
        assertEquals(Map.of("other", 3), snapshot.images().get("b:1"));
        assertEquals(Map.of(), snapshot.images().get("c:1"));
        assertEquals(1, snapshot.errors().size());
        KubernetesSnapshotDTO.Error error = snapshot.errors().get(0);
        assertEquals(List.of("c:1", "second", "ns"), List.of(error.image(), error.cluster(), error.namespace()));
    }

    @Test
    public void refusesABodyThatIsNotAJsonObject() {
        assertRefused("", "empty");
        assertRefused("[]", "object");
        assertRefused("\"text\"", "object");
        assertRefused("{\"cluster\": \"c\", \"images\": {}", "not valid JSON at line 1");
        InvalidReportException e = assertThrows(InvalidReportException.class,
                () -> reader.read(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}));
        assertTrue(e.getMessage(), e.getMessage().contains("UTF-8"));
    }

    @Test
    public void refusesABadCluster() {
        assertRefused("{\"images\": {}}", "cluster");
        for (String bad : List.of("null", "5", "true", "\"\"", "{}", "[\"c\"]", "\"" + "c".repeat(256) + "\"", "\"a\\u0001b\"",
                "\"a\\u007fb\"", "\"a\\nb\"")) {
            assertRefused("{\"cluster\": " + bad + ", \"images\": {}}", "cluster");
        }
    }

    @Test
    public void acceptsAClusterOf255Characters() throws Exception {
        String cluster = "\uD83D\uDE00".repeat(255); // 255 characters, 510 UTF-16 units
        assertEquals(cluster, read("{\"cluster\": \"" + cluster + "\", \"images\": {}}").cluster());
    }

    @Test
    public void refusesImagesThatAreMissingOrNotAnObject() {
        assertRefused("{\"cluster\": \"c\"}", "images");
        for (String bad : List.of("null", "[]", "[{}]", "\"x\"", "1")) {
            assertRefused(snapshot(bad), "images");
        }
    }

    @Test
    public void refusesAnImageValueThatIsNotAnObject() {
        for (String bad : List.of("null", "[]", "3", "\"ns\"", "true")) {
            assertRefused(snapshot("{\"a:1\": {\"ns\": 1}, \"b:2\": " + bad + "}"), "b:2");
        }
    }

    @Test
    public void refusesABadNamespaceNamingTheImage() {
        for (String bad : List.of("", "n".repeat(256), "a\\u0000b", "tab\\there", "del\\u007f")) {
            assertRefused(snapshot("{\"a:1\": {\"" + bad + "\": 1}}"), "images[\"a:1\"]");
        }
    }

    @Test
    public void acceptsANamespaceOf255Characters() throws Exception {
        String namespace = "\uD83D\uDE00".repeat(255);
        assertEquals(Map.of(namespace, 7), read(snapshot("{\"a:1\": {\"" + namespace + "\": 7}}")).images().get("a:1"));
    }

    @Test
    public void aBadCountRefusesOnlyItsPair() throws Exception {
        for (String bad : List.of("\"5\"", "1.5", "1e3", "-1", "null", "true", "{}", "[1]", "2147483648", "99999999999999999999")) {
            KubernetesSnapshotDTO snapshot = read(snapshot("{\"a:1\": {\"low\": 0, \"bad\": " + bad + ", \"high\": 2147483647},"
                    + " \"b:1\": {\"bad\": 1}}"));

            assertEquals(bad, Map.of("low", 0, "high", 2147483647), snapshot.images().get("a:1"));
            assertEquals(bad, Map.of("bad", 1), snapshot.images().get("b:1"));
            assertEquals(bad, 1, snapshot.errors().size());
            KubernetesSnapshotDTO.Error error = snapshot.errors().get(0);
            assertEquals(bad, List.of("a:1", "eqiad-main", "bad"), List.of(error.image(), error.cluster(), error.namespace()));
            assertTrue(bad, error.error().contains("2147483647"));
        }
    }

    @Test
    public void anImageWhoseEveryCountIsBadMapsToNoNamespaces() throws Exception {
        KubernetesSnapshotDTO snapshot = read(snapshot("{\"a:1\": {\"x\": -1, \"y\": \"2\"}}"));

        assertEquals(Map.of("a:1", Map.of()), snapshot.images());
        assertEquals(List.of("x", "y"), snapshot.errors().stream().map(KubernetesSnapshotDTO.Error::namespace).toList());
    }
}
