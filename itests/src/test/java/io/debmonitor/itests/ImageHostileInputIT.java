package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The image and kubernetes write endpoints under malformed, malicious and unauthorized requests
 * (SPEC §1.1–§1.2, §1.4, §1.8–§1.10, §2.7, §3.2): each gets its JSON 4xx and every table is
 * byte-for-byte what it was before. Also the snapshot count rules, the 409 of an image in use,
 * and snapshots that name an image by its manifest digest.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ImageHostileInputIT extends ItestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String REGISTRY = "reg.example:5000/";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    private static final String APP_DIGEST = "sha256:" + "a1".repeat(32);
    private static final String OTHER_DIGEST = "sha256:" + "fedcba9876543210".repeat(4);
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    private static final List<String> SNAPSHOT_KEYS = List.of("missing", "errors", "success");

    /** A request and the status SPEC gives it; 405 answers must also carry {@code Allow}. */
    private record Hostile(String method, String path, byte[] body, int status, String why) {
    }

    /** The trusted-proxy headers a caller sends; none at all for an anonymous one. */
    private record Caller(String label, String... headers) {
    }

    @Before
    public void ready() throws Exception {
        awaitServer();
        awaitImageEndpoints();
    }

    @Test
    public void hostileImageRequestsGetJson4xxAndChangeNothing() throws Exception {
        String image = REGISTRY + "hostile/app:1.0-1";
        reportImage(image, DIGEST);
        List<String> before = dump();
        List<Hostile> requests = hostileImageRequests(image);
        assertTrue("only " + requests.size(), requests.size() >= 200);
        Map<String, String> failures = new LinkedHashMap<>();
        for (Hostile hostile : requests) {
            HttpResponse<String> response = as(UPLOADER, hostile.method(), hostile.path(), hostile.body());
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean allowed = hostile.status() != 405 || response.headers().firstValue("Allow").isPresent();
            if (response.statusCode() != hostile.status() || !type.startsWith("application/json")
                    || !response.body().startsWith("{\"error\":\"") || !allowed) {
                failures.put(hostile.why(), response.statusCode() + " " + type + " " + response.body());
            }
        }
        assertEquals("requests that did not get their JSON 4xx", Map.of(), failures);
        assertEquals(before, dump());
    }

    @Test
    public void malformedSnapshotsGet400AndChangeNothing() throws Exception {
        String image = REGISTRY + "k8s-hostile/app:1";
        reportImage(image, null);
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(validSnapshot("hostile", image, 1)));
        List<String> before = dump();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> bad : malformedSnapshots(image).entrySet()) {
            HttpResponse<String> response = snapshot(bad.getValue());
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() != 400 || !type.startsWith("application/json") || !response.body().startsWith("{\"error\":\"")) {
                failures.put(bad.getKey(), response.statusCode() + " " + type + " " + response.body());
            }
        }
        assertEquals("snapshots that did not get a JSON 400", Map.of(), failures);
        assertEquals(before, dump());
    }

    @Test
    public void badContainerCountsAreReportedAndTheirPairsNotStored() throws Exception {
        String image = REGISTRY + "k8s-counts/app:1";
        reportImage(image, null);
        String body = "{\"cluster\":\"counts\",\"images\":{\"" + image + "\":{\"ok\":2,\"zero\":0,\"max\":2147483647,"
                + "\"string\":\"3\",\"fraction\":1.5,\"negative\":-1,\"null\":null,\"too-big\":2147483648}}}";
        HttpResponse<String> response = snapshot(bytes(body));
        assertEquals(response.body(), 202, response.statusCode());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(SNAPSHOT_KEYS, keys(answer));
        assertEquals(NODES.arrayNode(), answer.get("missing"));
        assertEquals(NODES.booleanNode(false), answer.get("success"));
        List<String> namespaces = new ArrayList<>();
        for (JsonNode error : answer.get("errors")) {
            assertEquals(error.toString(), List.of("image", "cluster", "namespace", "error"), keys(error));
            assertEquals(image, error.get("image").textValue());
            assertEquals("counts", error.get("cluster").textValue());
            assertFalse(error.toString(), error.get("error").asText().isBlank());
            namespaces.add(error.get("namespace").textValue());
        }
        namespaces.sort(null);
        assertEquals(List.of("fraction", "negative", "null", "string", "too-big"), namespaces);
        assertEquals(List.of("max " + image + " 2147483647", "ok " + image + " 2", "zero " + image + " 0"), deployments("counts"));
    }

    @Test
    public void anUnknownImageGoesToMissingAndTheKnownOnesAreStored() throws Exception {
        String image = REGISTRY + "k8s-missing/app:1";
        String unknown = REGISTRY + "k8s-missing/unknown:1.0";
        reportImage(image, null);
        ObjectNode snapshot = validSnapshot("missing", image, 4);
        ((ObjectNode) snapshot.get("images")).putObject(unknown).put("tools", 1);
        assertSnapshotAnswer(202, "{\"missing\":[\"" + unknown + "\"],\"errors\":[],\"success\":false}", snapshot(snapshot));
        assertEquals(List.of("web " + image + " 4"), deployments("missing"));
    }

    @Test
    public void aSnapshotReplacesItsClusterAndLeavesOthersAlone() throws Exception {
        String first = REGISTRY + "k8s-replace/first:1";
        String second = REGISTRY + "k8s-replace/second:1";
        reportImage(first, null);
        reportImage(second, null);
        ObjectNode initial = NODES.objectNode().put("cluster", "replace-a");
        initial.putObject("images").putObject(first).put("ns1", 1).put("ns2", 2);
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(initial));
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(validSnapshot("replace-b", first, 5)));
        List<String> otherCluster = kubernetesDump("replace-b");
        String created = created("replace-a", "ns2");

        ObjectNode next = NODES.objectNode().put("cluster", "replace-a");
        ObjectNode images = next.putObject("images");
        images.putObject(first).put("ns2", 3);
        images.putObject(second).put("ns3", 1);
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(next));

        assertEquals(List.of("ns2 " + first + " 3", "ns3 " + second + " 1"), deployments("replace-a"));
        assertEquals("an upserted row keeps its creation time", created, created("replace-a", "ns2"));
        assertEquals(otherCluster, kubernetesDump("replace-b"));
    }

    @Test
    public void writesByOtherIdentitiesGet403AndChangeNothing() throws Exception {
        String image = REGISTRY + "auth/app:2";
        String unknown = REGISTRY + "auth/never-reported:1";
        String host = "x.itest.example.org";
        reportImage(image, DIGEST);
        List<String> before = dump();
        List<Caller> strangers = List.of(identity("host proxy", PROXY), identity("a host", "db1001.example.org"),
                identity("the kubernetes reporter", KUBERNETES_REPORTER), new Caller("no identity"),
                new Caller("a failed verification", "X-Client-Cert-Verify", "FAILED:certificate has expired",
                        "X-Client-Cert-Subject-DN", "CN=" + UPLOADER + ",O=itest"));
        for (Caller caller : strangers) {
            String who = caller.label() + ": ";
            assertJsonError(who + "POST", 403, send(caller, "POST", "/images/" + image + "/update", bytes(imageReport(image, OTHER_DIGEST))));
            assertJsonError(who + "POST new", 403, send(caller, "POST", "/images/" + unknown + "/update", bytes(imageReport(unknown, null))));
            assertJsonError(who + "DELETE", 403, send(caller, "DELETE", "/images/" + image, null));
            assertJsonError(who + "DELETE unknown", 403, send(caller, "DELETE", "/images/" + unknown, null));
        }
        HttpResponse<String> proxy = send(strangers.get(0), "DELETE", "/images/" + image, null);
        assertEquals("{\"error\":\"Unauthorized to modify image '" + image + "' with identity '" + PROXY + "'\"}", proxy.body());
        HttpResponse<String> failed = send(strangers.get(4), "DELETE", "/images/" + image, null);
        assertTrue("the 403 quotes the verify header: " + failed.body(), failed.body().contains("FAILED:certificate has expired"));

        byte[] snapshot = bytes(validSnapshot("auth", image, 1).toString());
        for (Caller caller : List.of(identity("the uploader", UPLOADER), identity("host proxy", PROXY), new Caller("no identity"))) {
            assertJsonError(caller.label() + ": snapshot", 403, send(caller, "POST", "/kubernetes/update", snapshot));
        }
        Caller uploader = identity("the uploader", UPLOADER);
        assertJsonError("uploader: host report", 403, send(uploader, "POST", "/hosts/" + host + "/update", bytes(hostReport(host))));
        assertJsonError("uploader: host delete", 403, send(uploader, "DELETE", "/hosts/" + host, null));
        assertEquals(before, dump());

        HttpResponse<String> unknownDelete = send(uploader, "DELETE", "/images/" + unknown, null);
        assertJsonError("uploader: DELETE unknown", 404, unknownDelete);
        assertEquals(before, dump());
    }

    @Test
    public void theImageLookupAsJsonIsForUploadersOnly() throws Exception {
        String image = REGISTRY + "lookup/app:3";
        reportImage(image, DIGEST);
        List<Caller> strangers = List.of(identity("host proxy", PROXY), identity("a host", "db1001.example.org"),
                identity("the kubernetes reporter", KUBERNETES_REPORTER), new Caller("no identity"));
        for (Caller caller : strangers) {
            assertJsonError(caller.label(), 403, lookup(caller, image));
        }
        HttpResponse<String> response = lookup(identity("the uploader", UPLOADER), image);
        assertEquals(response.body(), 200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode found = JSON.readTree(response.body());
        assertEquals(image, found.path("name").textValue());
        assertEquals("Debian 12", found.path("os").textValue());
        assertTrue(found.toString(), found.path("created").asText().matches(TIMESTAMP));
        assertTrue(found.toString(), found.path("modified").asText().matches(TIMESTAMP));
        assertTrue(found.toString(), found.get("created").asText().compareTo(found.get("modified").asText()) <= 0);
        assertEquals(DIGEST, found.path("digest").textValue());
    }

    @Test
    public void anImageInUseCannotBeDeletedUntilItsClustersLetGo() throws Exception {
        String image = REGISTRY + "in-use/app:4";
        String path = "/images/" + image;
        reportImage(image, null);
        long id = imageId(image);
        assertEquals(1, count("select count(*) from image_package where image_id = ?", id));
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(validSnapshot("in-use-a", image, 1)));
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(validSnapshot("in-use-b", image, 0)));
        List<String> before = dump();

        HttpResponse<String> refused = as(UPLOADER, "DELETE", path, null);
        assertJsonError(409, refused);
        assertTrue(refused.body(), refused.body().contains("in-use-a") && refused.body().contains("in-use-b"));
        assertEquals(before, dump());

        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(bytes("{\"cluster\":\"in-use-a\",\"images\":{}}")));
        refused = as(UPLOADER, "DELETE", path, null);
        assertJsonError(409, refused);
        assertTrue(refused.body(), refused.body().contains("in-use-b") && !refused.body().contains("in-use-a"));

        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}", snapshot(bytes("{\"cluster\":\"in-use-b\",\"images\":{}}")));
        HttpResponse<String> deleted = as(UPLOADER, "DELETE", path, null);
        assertEquals(deleted.body(), 204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertEquals(0, count("select count(*) from image where name = ?", image));
        assertEquals(0, count("select count(*) from image_package where image_id = ?", id));
    }

    @Test
    public void snapshotsNameImagesByDigest() throws Exception {
        String image = REGISTRY + "app:1";
        reportImage(image, APP_DIGEST);
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}",
                snapshot(validSnapshot("by-digest", REGISTRY + "app@" + APP_DIGEST, 1)));
        assertEquals(List.of("web " + image + " 1"), deployments("by-digest"));
        assertSnapshotAnswer(201, "{\"missing\":[],\"errors\":[],\"success\":true}",
                snapshot(validSnapshot("by-tag-and-digest", REGISTRY + "app:1@" + APP_DIGEST, 2)));
        assertEquals(List.of("web " + image + " 2"), deployments("by-tag-and-digest"));

        String nobodys = REGISTRY + "app@" + OTHER_DIGEST;
        assertSnapshotAnswer(202, "{\"missing\":[\"" + nobodys + "\"],\"errors\":[],\"success\":false}",
                snapshot(validSnapshot("by-unknown-digest", nobodys, 1)));
        assertEquals(List.of(), deployments("by-unknown-digest"));
    }

    // --- the hostile requests ------------------------------------------------------------------

    private static List<Hostile> hostileImageRequests(String image) {
        String update = "/images/" + image + "/update";
        List<Hostile> list = new ArrayList<>();

        // Every string field, replaced by every kind of invalid value.
        List<String> fields = List.of("api_version", "image_name", "os", "update_type", "digest", "installed.0.name", "installed.0.version",
                "installed.0.source", "installed.0.source_version", "uninstalled.0.name", "upgradable.0.name", "upgradable.0.version_from",
                "upgradable.0.version_to", "upgradable.0.source", "upgradable.0.source_version", "upgradable.0.type");
        Map<String, JsonNode> invalid = new LinkedHashMap<>();
        invalid.put("null", NODES.nullNode());
        invalid.put("number", NODES.numberNode(123));
        invalid.put("boolean", NODES.booleanNode(true));
        invalid.put("array", NODES.arrayNode().add("x"));
        invalid.put("object", NODES.objectNode().put("x", "y"));
        invalid.put("empty", NODES.textNode(""));
        invalid.put("256 characters", NODES.textNode("x".repeat(256)));
        invalid.put("NUL", NODES.textNode("a\u0000b"));
        invalid.put("newline", NODES.textNode("a\nb"));
        invalid.put("DEL", NODES.textNode("a\u007fb"));
        invalid.put("escape sequence", NODES.textNode("\u001b[31mred"));
        for (String field : fields) {
            for (Map.Entry<String, JsonNode> value : invalid.entrySet()) {
                if (field.endsWith(".type") && value.getKey().equals("empty")) {
                    continue; // an empty type is valid: no type
                }
                list.add(post(update, with(image, field, value.getValue()), field + " = " + value.getKey()));
            }
        }
        for (String digest : List.of("sha256", "SHA256:abc", "sha256:", ":abc", "sha256:a b", "sha256:ab/cd", DIGEST + "\n", "sha256::abc")) {
            list.add(post(update, with(image, "digest", NODES.textNode(digest)), "digest " + digest));
        }
        list.add(post(update, with(image, "api_version", NODES.textNode("v2")), "api_version v2"));
        list.add(post(update, with(image, "os", NODES.textNode("Debian12")), "os Debian12"));
        list.add(post(update, with(image, "update_type", NODES.textNode("everything")), "unknown update_type"));

        // image_name must equal the reference in the URL exactly.
        for (String name : List.of(REGISTRY + "hostile/app:1.0-2", image.toUpperCase(), image + "/", "/" + image, image + "@" + DIGEST,
                image + " ", REGISTRY + "hostile/app", "hostile/app:1.0-1")) {
            list.add(post(update, with(image, "image_name", NODES.textNode(name)), "image_name " + name));
        }

        // Missing keys and wrong shapes.
        for (String key : List.of("image_name", "os", "update_type")) {
            ObjectNode report = imageReportNode(image, DIGEST);
            report.remove(key);
            list.add(post(update, report, key + " missing"));
        }
        for (String field : List.of("installed.0.name", "installed.0.version", "installed.0.source", "uninstalled.0.name",
                "upgradable.0.name", "upgradable.0.version_from", "upgradable.0.version_to", "upgradable.0.source")) {
            ObjectNode report = imageReportNode(image, DIGEST);
            int dot = field.lastIndexOf('.');
            ((ObjectNode) report.get(field.substring(0, field.indexOf('.'))).get(0)).remove(field.substring(dot + 1));
            list.add(post(update, report, field + " missing"));
        }
        for (String key : List.of("installed", "uninstalled", "upgradable")) {
            for (JsonNode shape : List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.objectNode(), NODES.nullNode(),
                    NODES.arrayNode().add(1), NODES.arrayNode().add("a"), NODES.arrayNode().add(NODES.arrayNode()))) {
                ObjectNode report = imageReportNode(image, DIGEST);
                report.set(key, shape);
                list.add(post(update, report, key + " shaped " + shape));
            }
        }
        ObjectNode lateBadItem = imageReportNode(image, DIGEST);
        lateBadItem.put("os", "Debian 13");
        ((ArrayNode) lateBadItem.get("installed")).addObject().put("name", "new-pkg").put("version", "9").put("source", "s");
        ((ArrayNode) lateBadItem.get("installed")).addObject().put("name", "b").put("version", false).put("source", "b");
        list.add(post(update, lateBadItem, "a bad item after good ones, with an OS change"));

        // Bodies that are not a JSON object, or too big.
        for (Map.Entry<String, byte[]> body : notJsonObjects().entrySet()) {
            list.add(new Hostile("POST", update, body.getValue(), 400, "body " + body.getKey()));
        }
        list.add(new Hostile("POST", update, new byte[16 * 1024 * 1024 + 10], 413, "body over maxBodyBytes"));

        // Hostile references in the URL, POSTed with a matching image_name and DELETEd; the
        // variants of the stored image would delete it if the server trimmed or merged slashes.
        Map<String, String> references = new LinkedHashMap<>(); // URL form -> the decoded name
        references.put("/" + image, "/" + image);
        references.put(image.replace("/hostile/", "//hostile/"), image.replace("/hostile/", "//hostile/"));
        references.put(image + "/", image + "/");
        references.put(image + "//", image + "//");
        references.put(REGISTRY + "hostile/app%20x:1", REGISTRY + "hostile/app x:1");
        references.put(REGISTRY + "hostile/app%0Ax:1", REGISTRY + "hostile/app\nx:1");
        references.put(REGISTRY + "hostile/app%09x:1", REGISTRY + "hostile/app\tx:1");
        references.put(REGISTRY + "x".repeat(300 - REGISTRY.length()), REGISTRY + "x".repeat(300 - REGISTRY.length()));
        references.put(REGISTRY + "x".repeat(256 - REGISTRY.length()), REGISTRY + "x".repeat(256 - REGISTRY.length()));
        references.forEach((url, name) -> {
            list.add(post("/images/" + url + "/update", imageReportNode(name, DIGEST), "POST reference " + url));
            list.add(new Hostile("DELETE", "/images/" + url, null, 400, "DELETE reference " + url));
        });

        // Methods the image paths do not serve.
        for (String method : List.of("PUT", "PATCH")) {
            list.add(new Hostile(method, update, bytes(imageReport(image, DIGEST)), 405, method + " update"));
            list.add(new Hostile(method, "/images/" + image, bytes(imageReport(image, DIGEST)), 405, method + " image"));
            list.add(new Hostile(method, "/kubernetes/update", bytes("{}"), 405, method + " kubernetes/update"));
        }
        list.add(new Hostile("POST", "/images/" + image, bytes(imageReport(image, DIGEST)), 405, "POST without /update"));
        return list;
    }

    private static Map<String, byte[]> malformedSnapshots(String image) {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        Map<String, JsonNode> badClusters = new LinkedHashMap<>();
        badClusters.put("empty", NODES.textNode(""));
        badClusters.put("256 characters", NODES.textNode("c".repeat(256)));
        badClusters.put("number", NODES.numberNode(7));
        badClusters.put("null", NODES.nullNode());
        badClusters.put("boolean", NODES.booleanNode(true));
        badClusters.put("object", NODES.objectNode().put("name", "hostile"));
        badClusters.put("control character", NODES.textNode("host\u0001ile"));
        badClusters.put("newline", NODES.textNode("hostile\n"));
        badClusters.put("DEL", NODES.textNode("host\u007file"));
        ObjectNode noCluster = validSnapshot("hostile", image, 2);
        noCluster.remove("cluster");
        bad.put("cluster missing", bytes(noCluster.toString()));
        badClusters.forEach((why, cluster) -> {
            ObjectNode snapshot = validSnapshot("hostile", image, 2);
            snapshot.set("cluster", cluster);
            bad.put("cluster " + why, bytes(snapshot.toString()));
        });

        bad.put("images missing", bytes("{\"cluster\":\"hostile\"}"));
        for (JsonNode images : List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.nullNode(), NODES.arrayNode(),
                NODES.arrayNode().add(NODES.objectNode().put(image, 1)))) {
            ObjectNode snapshot = NODES.objectNode().put("cluster", "hostile");
            snapshot.set("images", images);
            bad.put("images " + images, bytes(snapshot.toString()));
        }
        for (JsonNode value : List.of(NODES.numberNode(2), NODES.textNode("web"), NODES.nullNode(), NODES.booleanNode(true),
                NODES.arrayNode().add(NODES.objectNode().put("web", 2)))) {
            ObjectNode snapshot = validSnapshot("hostile", image, 2);
            ((ObjectNode) snapshot.get("images")).set(REGISTRY + "k8s-hostile/other:1", value);
            bad.put("image value " + value, bytes(snapshot.toString()));
        }
        for (String namespace : List.of("", "n".repeat(256), "we\u0000b", "web\n", "\u001b[31m", "we\u007fb")) {
            ObjectNode snapshot = validSnapshot("hostile", image, 2);
            ((ObjectNode) snapshot.get("images").get(image)).put(namespace, 1);
            bad.put("namespace " + JSON.valueToTree(namespace), bytes(snapshot.toString()));
        }
        notJsonObjects().forEach((why, body) -> bad.put("body " + why, body));
        return bad;
    }

    /** Bodies that SPEC §1.2 refuses with 400 before any key is read. */
    private static Map<String, byte[]> notJsonObjects() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("blank", bytes(" \n"));
        bodies.put("not JSON", bytes("not json"));
        bodies.put("trailing garbage", bytes("{}x"));
        bodies.put("two objects", bytes("{\"a\":1}{\"b\":2}"));
        bodies.put("single quotes", bytes("{'cluster':'x'}"));
        bodies.put("unquoted keys", bytes("{cluster:\"x\"}"));
        bodies.put("comment", bytes("/* c */ {}"));
        bodies.put("NaN", bytes("{\"n\":NaN}"));
        bodies.put("truncated", bytes("{\"cluster\":"));
        bodies.put("null", bytes("null"));
        bodies.put("array", bytes("[]"));
        bodies.put("string", bytes("\"text\""));
        bodies.put("number", bytes("12"));
        bodies.put("deep nesting", bytes("[".repeat(5000) + "]".repeat(5000)));
        bodies.put("overlong UTF-8", new byte[] {'{', '"', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'});
        bodies.put("lone continuation byte", new byte[] {'{', '"', (byte) 0x80, '"', ':', '1', '}'});
        bodies.put("surrogate in UTF-8", new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'});
        bodies.put("UTF-16", "{\"cluster\":\"x\"}".getBytes(StandardCharsets.UTF_16));
        bodies.put("NUL bytes", new byte[] {0, 0, 0, 0});
        return bodies;
    }

    // --- payloads ----------------------------------------------------------------------------

    /** A valid full image report with every string key of SPEC §1.4 set, and {@code digest} unless null. */
    private static ObjectNode imageReportNode(String image, String digest) {
        ObjectNode report = NODES.objectNode();
        report.put("api_version", "v1").put("image_name", image).put("os", "Debian 12").put("update_type", "full");
        if (digest != null) {
            report.put("digest", digest);
        }
        report.putArray("installed").addObject().put("name", "a").put("version", "1").put("source", "a").put("source_version", "1");
        report.putArray("uninstalled").addObject().put("name", "gone");
        report.putArray("upgradable").addObject().put("name", "a").put("version_from", "1").put("version_to", "2")
                .put("source", "a").put("source_version", "2").put("type", "security");
        return report;
    }

    private static String imageReport(String image, String digest) {
        return imageReportNode(image, digest).toString();
    }

    private static ObjectNode with(String image, String field, JsonNode value) {
        ObjectNode report = imageReportNode(image, DIGEST);
        String[] parts = field.split("\\.");
        JsonNode node = report;
        for (int i = 0; i < parts.length - 1; i++) {
            node = parts[i].matches("\\d+") ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
        }
        ((ObjectNode) node).set(parts[parts.length - 1], value);
        return report;
    }

    private static Hostile post(String path, ObjectNode report, String why) {
        return new Hostile("POST", path, bytes(report.toString()), 400, why);
    }

    private static String hostReport(String host) {
        ObjectNode report = NODES.objectNode().put("hostname", host).put("os", "Debian 12").put("update_type", "full");
        report.putObject("running_kernel").put("version", "#1 SMP");
        return report.toString();
    }

    /** {@code {"cluster": cluster, "images": {image: {"web": containers}}}} */
    private static ObjectNode validSnapshot(String cluster, String image, int containers) {
        ObjectNode snapshot = NODES.objectNode().put("cluster", cluster);
        snapshot.putObject("images").putObject(image).put("web", containers);
        return snapshot;
    }

    // --- requests ------------------------------------------------------------------------------

    private static Caller identity(String label, String identity) {
        return new Caller(label, "X-Client-Cert-Verify", "SUCCESS", "X-Client-Cert-Subject-DN", "CN=" + identity + ",O=itest");
    }

    private HttpResponse<String> send(Caller caller, String method, String path, byte[] body) throws Exception {
        return send(http, baseUrl(), method, path, body, caller.headers());
    }

    private HttpResponse<String> as(String identity, String method, String path, byte[] body) throws Exception {
        return send(identity(identity, identity), method, path, body);
    }

    private HttpResponse<String> lookup(Caller caller, String image) throws Exception {
        String[] headers = Arrays.copyOf(caller.headers(), caller.headers().length + 2);
        headers[headers.length - 2] = "Accept";
        headers[headers.length - 1] = "application/json";
        return send(http, baseUrl(), "GET", "/images/" + image, null, headers);
    }

    private void reportImage(String image, String digest) throws Exception {
        HttpResponse<String> response = as(UPLOADER, "POST", "/images/" + image + "/update", bytes(imageReport(image, digest)));
        assertEquals(response.body(), 201, response.statusCode());
    }

    private HttpResponse<String> snapshot(ObjectNode snapshot) throws Exception {
        return snapshot(bytes(snapshot.toString()));
    }

    private HttpResponse<String> snapshot(byte[] body) throws Exception {
        return as(KUBERNETES_REPORTER, "POST", "/kubernetes/update", body);
    }

    /** Waits until the image source and the image lookup answer an unknown image with 404. */
    private void awaitImageEndpoints() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String image = REGISTRY + "await/never-reported:0";
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> delete = as(UPLOADER, "DELETE", "/images/" + image, null);
            HttpResponse<String> lookup = lookup(identity("the uploader", UPLOADER), image);
            if (delete.statusCode() == 404 && lookup.statusCode() == 404) {
                return;
            }
            last = delete.statusCode() + " " + delete.body() + " / " + lookup.statusCode() + " " + lookup.body();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        fail("The image endpoints did not come up: " + last);
    }

    // --- assertions and queries ----------------------------------------------------------------

    private static void assertJsonError(String why, int status, HttpResponse<String> response) {
        assertEquals(why + ": " + response.body(), status, response.statusCode());
        assertJsonError(response);
    }

    /** The snapshot answer of SPEC §1.8: the status, the JSON value and its key order. */
    private static void assertSnapshotAnswer(int status, String expected, HttpResponse<String> response) throws Exception {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(JSON.readTree(expected), answer);
        assertEquals(SNAPSHOT_KEYS, keys(answer));
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** @return "namespace image containers" for each kubernetes row of the cluster, sorted */
    private List<String> deployments(String cluster) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = "select k.namespace, i.name, k.containers from kubernetes_image k join image i on i.id = k.image_id"
                + " where k.cluster = ? order by k.namespace, i.name";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
                }
            }
        }
        return out;
    }

    /** The cluster's kubernetes rows as {@link #dump()} shows them, timestamps included. */
    private List<String> kubernetesDump(String cluster) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String row : dump()) {
            if (row.startsWith("kubernetes_image|") && row.split("\\|")[2].equals(cluster)) {
                out.add(row);
            }
        }
        return out;
    }

    private String created(String cluster, String namespace) throws SQLException {
        String sql = "select created from kubernetes_image where cluster = ? and namespace = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cluster);
            ps.setString(2, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(cluster + "/" + namespace, rs.next());
                return rs.getString(1);
            }
        }
    }

    private long imageId(String image) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select id from image where name = ?")) {
            ps.setString(1, image);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(image, rs.next());
                return rs.getLong(1);
            }
        }
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
