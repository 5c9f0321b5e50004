package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Malformed bodies and paths (SPEC §1.2, §2.2) each get a 4xx JSON error, and the stored data,
 * timestamps included, is exactly what it was before.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadInputIT extends ItestSupport {

    private static final String HOST = "bad-input.itest.example.org";

    private record Bad(String method, String path, byte[] body, int status, String why) {
    }

    @Before
    public void ready() throws Exception {
        awaitServer();
    }

    @Test
    public void everyMalformedRequestGets4xxAndChangesNothing() throws Exception {
        HttpResponse<String> seed = send("POST", "/hosts/" + HOST + "/update", body("'hostname':'" + HOST + "','os':'Debian 12',"
                + "'update_type':'full','running_kernel':{'version':'#1 SMP'},'installed':[{'name':'a','version':'1','source':'a'}],'upgradable':[{'name':'a','version_from':'1','version_to':'2','source':'a'}]"));
        assertEquals(seed.body(), 201, seed.statusCode());

        List<String> before = dump();
        List<Bad> requests = badRequests();
        assertTrue(requests.size() >= 20);
        for (Bad bad : requests) {
            HttpResponse<String> response = send(bad.method(), bad.path(), bad.body());
            assertEquals(bad.why() + ": " + response.body(), bad.status(), response.statusCode());
            assertJsonError(response);
            if (bad.status() == 405) {
                assertTrue(bad.why(), response.headers().firstValue("Allow").isPresent());
            }
        }
        assertEquals(before, dump());
    }

    private static List<Bad> badRequests() {
        String update = "/hosts/" + HOST + "/update";
        String kernel = "'running_kernel':{'version':'#1 SMP'},";
        String head = "'hostname':'" + HOST + "','os':'Debian 12','update_type':'full'," + kernel;
        List<Bad> list = new ArrayList<>();
        list.add(new Bad("POST", update, new byte[0], 400, "empty body"));
        list.add(new Bad("POST", update, bytes("not json"), 400, "not JSON"));
        list.add(new Bad("POST", update, bytes("[]"), 400, "array at top level"));
        list.add(new Bad("POST", update, bytes("\"text\""), 400, "string at top level"));
        list.add(new Bad("POST", update, bytes("{\"hostname\":"), 400, "truncated JSON"));
        list.add(new Bad("POST", update, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, 400, "invalid UTF-8"));
        list.add(new Bad("POST", update, body("'os':'Debian 12','update_type':'full'," + kernel.replaceAll(",$", "")), 400, "hostname missing"));
        list.add(new Bad("POST", update, body(head.replace(HOST, "other.example.org")), 400, "hostname does not match URL"));
        list.add(new Bad("POST", update, body(head.replace("'" + HOST + "'", "42")), 400, "hostname is a number"));
        list.add(new Bad("POST", update, body(head.replace("'os':'Debian 12',", "")), 400, "os missing"));
        for (String os : List.of("Debian12", "Debian 111", "debian 12", "Ubuntu 22", "Ubuntu 22.04.1", "unknown", "Debian 12\\n")) {
            list.add(new Bad("POST", update, body(head.replace("Debian 12", os)), 400, "os " + os));
        }
        list.add(new Bad("POST", update, body(head.replace("'update_type':'full',", "")), 400, "update_type missing"));
        list.add(new Bad("POST", update, body(head.replace("'full'", "'everything'")), 400, "unknown update_type"));
        list.add(new Bad("POST", update, body(head.replace(kernel, "")), 400, "running_kernel missing"));
        list.add(new Bad("POST", update, body(head.replace(kernel, "'running_kernel':'6.1',")), 400, "running_kernel a string"));
        list.add(new Bad("POST", update, body(head.replace(kernel, "'running_kernel':{'release':'6.1'},")), 400, "kernel version missing"));
        list.add(new Bad("POST", update, body(head + "'api_version':'v2'"), 400, "api_version v2"));
        list.add(new Bad("POST", update, body(head + "'installed':{}"), 400, "installed not a list"));
        list.add(new Bad("POST", update, body(head + "'installed':['a']"), 400, "installed item not an object"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'a','source':'a'}]"), 400, "version missing"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'a','version':1,'source':'a'}]"), 400, "version a number"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'','version':'1','source':'a'}]"), 400, "empty name"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'" + "n".repeat(256) + "','version':'1','source':'a'}]"), 400, "256-character name"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'a','version':'1','source':'a\\u0007'}]"), 400, "control character"));
        list.add(new Bad("POST", update, body(head + "'installed':[{'name':'a','version':'1','source':'a','source_version':null}]"), 400, "null source_version"));
        list.add(new Bad("POST", update, body(head + "'uninstalled':[{'version':'1'}]"), 400, "uninstalled item without name"));
        list.add(new Bad("POST", update, body(head + "'upgradable':[{'name':'a','version_from':'1','source':'a'}]"), 400, "version_to missing"));
        list.add(new Bad("POST", update, body(head + "'upgradable':[{'name':'a','version_from':'1','version_to':'2','source':'a','type':5}]"), 400, "type a number"));
        // Valid items before a bad one: the whole payload is validated before anything is written.
        list.add(new Bad("POST", update, body(head.replace("Debian 12", "Debian 13") + "'installed':[{'name':'new-pkg','version':'9','source':'s'},"
                + "{'name':'b','version':true,'source':'b'}]"), 400, "bad item after good ones"));
        list.add(new Bad("POST", update, bytes("[".repeat(5000) + "]".repeat(5000)), 400, "deep nesting"));
        list.add(new Bad("POST", update, new byte[16 * 1024 * 1024 + 1], 413, "body over maxBodyBytes"));
        list.add(new Bad("POST", "/hosts/a%20b/update", body(head), 400, "space in URL name"));
        list.add(new Bad("POST", "/hosts/a%01b/update", body(head), 400, "control character in URL name"));
        list.add(new Bad("POST", "/hosts/" + "x".repeat(256) + "/update", body(head), 400, "256-character URL name"));
        list.add(new Bad("POST", "/hosts/a/b/update", body(head), 400, "host name with a slash"));
        list.add(new Bad("GET", update, null, 405, "GET on the update path"));
        list.add(new Bad("PUT", "/hosts/" + HOST, bytes("{}"), 405, "PUT on a host"));
        list.add(new Bad("POST", "/nosuch/" + HOST + "/update", body(head), 404, "unknown collection"));
        list.add(new Bad("DELETE", "/hosts/unknown-" + HOST, null, 404, "delete of an unknown host"));
        list.add(new Bad("DELETE", "/hosts/a%0Ab", null, 400, "delete with a control character"));
        return list;
    }

    private static byte[] body(String content) {
        return bytes(("{" + content + "}").replace('\'', '"'));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
