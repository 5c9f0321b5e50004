package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class JsonTest {

    @Test
    public void prettyOutputMatchesPythonJsonDumpsOfTheFixtures() throws Exception {
        for (String name : new String[] {"dpkg_hook", "upgradable"}) {
            Object parsed = Json.parse(TestFiles.resource(name + ".json"));
            // The .pretty.json files are python3 json.dumps(sort_keys=True, indent=4) of the fixtures.
            assertEquals(name, TestFiles.resource(name + ".pretty.json"), Json.writePretty(parsed) + "\n");
        }
    }

    @Test
    public void compactOutputKeepsInsertionOrder() {
        Map<String, Object> m = Json.obj("b", "1", "a", List.of(), "c", Json.obj());
        assertEquals("{\"b\":\"1\",\"a\":[],\"c\":{}}", Json.write(m));
    }

    @Test
    public void prettyOutputSortsKeysAndIndentsByFour() {
        Map<String, Object> m = Json.obj("b", List.of(Json.obj("y", "2", "x", "1")), "a", List.of(), "c", Json.obj());
        assertEquals("{\n    \"a\": [],\n    \"b\": [\n        {\n            \"x\": \"1\",\n"
                + "            \"y\": \"2\"\n        }\n    ],\n    \"c\": {}\n}", Json.writePretty(m));
    }

    @Test
    public void stringsAreEscapedLikePythonWithEnsureAscii() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\\u00e9\\u20ac\\ud83d\\ude00/\"",
                Json.write("a\"b\\c\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00/"));
    }

    @Test
    public void parseRoundTrip() throws Exception {
        String text = "{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}, \"a2\": []}";
        Object parsed = Json.parse(text);
        assertEquals("{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\n\"],\"b\":{},\"a2\":[]}", Json.write(parsed));
    }

    @Test
    public void repeatedKeyKeepsTheLastValue() throws Exception {
        assertEquals(Map.of("a", "2"), Json.parse("{\"a\": \"1\", \"a\": \"2\"}"));
    }

    @Test
    public void syntaxErrorsAreReportedWithAPosition() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\": 01}", "tru", "\"\u0001\"", "{} x",
                "{\"a\": \"\\x\"}"}) {
            try {
                Json.parse(bad);
                fail(bad);
            } catch (Json.JsonException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("at character"));
            }
        }
    }
}
