package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read from HTML and headers without a browser: titles, forms, tags, cookies. */
final class Html {

    /** SPEC §3.4, exactly. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
    /** A start tag with its attributes; quoted values may hold '>'. */
    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/\"']+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s>\"']+))?)*)\\s*/?>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=>/\"']+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>\"']+)))?");
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>.*?</form>", Pattern.DOTALL);

    private Html() {
    }

    static String title(String html) {
        Matcher m = TITLE.matcher(html);
        assertTrue("no <title> in " + html, m.find());
        return unescape(m.group(1).strip());
    }

    /** A start tag: its name and attributes (values unescaped). */
    record Tag(String name, Map<String, String> attributes) {
    }

    static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4) != null ? a.group(4) : "";
                attributes.put(a.group(1).toLowerCase(Locale.ROOT), unescape(value));
            }
            tags.add(new Tag(m.group(1).toLowerCase(Locale.ROOT), attributes));
        }
        return tags;
    }

    /** The fields of the form posting to {@code action}: hidden inputs with their values, other inputs empty. */
    static Map<String, String> form(String html, String action) {
        Matcher m = FORM.matcher(html);
        while (m.find()) {
            List<Tag> tags = tags(m.group());
            if (action.equals(tags.get(0).attributes().get("action"))) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (Tag tag : tags) {
                    if (tag.name().equals("input") && tag.attributes().containsKey("name")) {
                        boolean hidden = "hidden".equals(tag.attributes().get("type"));
                        fields.put(tag.attributes().get("name"), hidden ? tag.attributes().getOrDefault("value", "") : "");
                    }
                }
                return fields;
            }
        }
        fail("no form posting to " + action + " in " + html);
        return null;
    }

    static String urlEncoded(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(key, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /**
     * SPEC §3.4: no inline script or style, no event-handler or style attributes, no third-party
     * URLs; every asset from /static/.
     */
    static void assertSelfContained(String page, String html) {
        assertFalse(page + " has a <style> element", html.toLowerCase(Locale.ROOT).contains("<style"));
        for (Tag tag : tags(html)) {
            for (Map.Entry<String, String> attribute : tag.attributes().entrySet()) {
                String name = attribute.getKey();
                assertFalse(page + ": <" + tag.name() + " " + name + "=...>", name.startsWith("on") || name.equals("style"));
                if (name.equals("href") || name.equals("src") || name.equals("action")) {
                    String url = attribute.getValue();
                    assertFalse(page + ": third-party URL " + url, url.startsWith("//") || url.matches("(?i)[a-z][a-z0-9+.-]*:.*"));
                }
            }
            if (tag.name().equals("script")) {
                String src = tag.attributes().get("src");
                assertTrue(page + ": inline <script>", src != null && src.startsWith("/static/"));
            }
            if (tag.name().equals("link") && "stylesheet".equals(tag.attributes().get("rel"))) {
                assertTrue(page + ": stylesheet " + tag.attributes(), tag.attributes().get("href").startsWith("/static/"));
            }
        }
        Matcher inline = Pattern.compile("<script\\b[^>]*>(.*?)</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(html);
        while (inline.find()) {
            assertEquals(page + ": script content", "", inline.group(1).strip());
        }
    }

    /** SPEC §3.4 headers, on an HTTPS response. */
    static void assertSecurityHeaders(String what, HttpResponse<?> response) {
        assertEquals(what + " CSP", CSP, header(response, "Content-Security-Policy"));
        assertEquals(what + " X-Frame-Options", "DENY", header(response, "X-Frame-Options"));
        assertEquals(what + " X-Content-Type-Options", "nosniff", header(response, "X-Content-Type-Options"));
        assertEquals(what + " Referrer-Policy", "same-origin", header(response, "Referrer-Policy"));
        assertEquals(what + " HSTS", "max-age=31536000", header(response, "Strict-Transport-Security"));
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The Set-Cookie header that sets {@code name}, or null. */
    static String setCookie(HttpResponse<?> response, String name) {
        for (String value : response.headers().allValues("Set-Cookie")) {
            if (value.startsWith(name + "=")) {
                return value;
            }
        }
        return null;
    }

    /** The value a Set-Cookie header gives its cookie. */
    static String cookieValue(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        return pair.substring(pair.indexOf('=') + 1);
    }

    /** The attributes of a Set-Cookie header, lower-cased names (e.g. "httponly", "samesite"). */
    static Map<String, String> cookieAttributes(String setCookie) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].strip().split("=", 2);
            attributes.put(pair[0].toLowerCase(Locale.ROOT), pair.length > 1 ? pair[1] : "");
        }
        return attributes;
    }

    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&#039;", "'")
                .replace("&#x27;", "'").replace("&apos;", "'").replace("&amp;", "&");
    }
}
