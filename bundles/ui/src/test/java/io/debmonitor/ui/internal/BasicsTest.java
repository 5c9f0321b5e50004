package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.SESSION;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

import io.debmonitor.core.model.api.EntityKind;

/** Links, times, configuration and the layout. */
public class BasicsTest {

    @Test
    public void pathsKeepWhatAPathAllows() {
        assertEquals("libstdc++6", Links.encodePath("libstdc++6"));
        assertEquals("registry.example.org/a/b:1.2-3~x@sha256:00", Links.encodePath("registry.example.org/a/b:1.2-3~x@sha256:00"));
        assertEquals("a%20b%3Fc%23d%25e%3Bf%22%3C%3E", Links.encodePath("a b?c#d%e;f\"<>"));
        assertEquals("caf%C3%A9", Links.encodePath("café"));
        assertEquals("/images/registry.example.org/a/b:1", Links.entity(EntityKind.IMAGE, "registry.example.org/a/b:1"));
        assertEquals("/kernels/3_x", Links.kernel("3_x"));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", "a b&c");
        query.put("os", null);
        query.put("sort", "");
        query.put("page", "2");
        assertEquals("/hosts/?q=a+b%26c&page=2", Links.withQuery("/hosts/", query));
    }

    @Test
    public void relativeTimes() {
        assertEquals("just now", Times.relative(NOW.minusSeconds(10), NOW));
        assertEquals("1 minute ago", Times.relative(NOW.minusSeconds(70), NOW));
        assertEquals("59 minutes ago", Times.relative(NOW.minusSeconds(3599), NOW));
        assertEquals("3 hours ago", Times.relative(NOW.minus(Duration.ofHours(3)), NOW));
        assertEquals("1 day ago", Times.relative(NOW.minus(Duration.ofHours(30)), NOW));
        assertEquals("2 months ago", Times.relative(NOW.minus(Duration.ofDays(65)), NOW));
        assertEquals("1 year ago", Times.relative(NOW.minus(Duration.ofDays(400)), NOW));
        assertEquals("in 5 minutes", Times.relative(NOW.plusSeconds(300), NOW));
        assertEquals("2025-07-03T14:10:09.000Z", Times.iso(Instant.parse("2025-07-03T14:10:09Z")));
        assertEquals("2025-07-03 14:10:09 UTC", Times.utc(Instant.parse("2025-07-03T14:10:09.999Z")));
    }

    @Test
    public void thresholdsInHoursOrWholeDays() {
        assertEquals("1 hour", Times.span(Duration.ofHours(1)));
        assertEquals("48 hours", Times.span(Duration.ofHours(48)));
        assertEquals("50 hours", Times.span(Duration.ofHours(50)));
        assertEquals("3 days", Times.span(Duration.ofHours(72)));
        assertEquals("45 days", Times.span(Duration.ofDays(45)));
    }

    @Test
    public void invalidConfigurationFailsWithTheKey() {
        assertInvalid("ui.pageSize", config("ui_pageSize", 2000));
        assertInvalid("ui.maxPageSize", config("ui_maxPageSize", 20_000));
        assertInvalid("search.minLength", config("search_minLength", 0));
        assertInvalid("search.maxResults", config("search_maxResults", 0));
        assertInvalid("ui.hostLinks entry 'Grafana'", config("ui_hostLinks", new String[] {"Grafana"}));
        assertInvalid("ui.imageLinks", config("ui_imageLinks", new String[] {"=https://x"}));
        assertInvalid("ui.jaasRealm", config("ui_jaasRealm", " "));
        assertInvalid("ui.requiredRoles", config("ui_requiredRoles", new String[] {" , "}));
        assertInvalid("ui.sessionTimeoutMinutes", config("ui_sessionTimeoutMinutes", 0));
        assertInvalid("ui.hstsMaxAgeSeconds", config("ui_hstsMaxAgeSeconds", -1L));
        assertInvalid("cve.maxUploadBytes", config("cve_maxUploadBytes", 0L));
        UiSettings settings = UiSettings.of(config("ui_hostLinks", new String[] {"A=https://a/{fqdn}, B = https://b/?q={hostname}=1"}));
        assertEquals(2, settings.hostLinks.size());
        assertEquals("https://b/?q={hostname}=1", settings.hostLinks.get(1).template());
    }

    private static void assertInvalid(String key, UiConfiguration config) {
        try {
            UiSettings.of(config);
            fail("accepted an invalid " + key);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Invalid io.debmonitor.ui configuration: " + key));
        }
        try {
            UiTestSupport.pages(config);
            fail("Pages activated with an invalid " + key);
        } catch (IllegalArgumentException expected) {
            // the activation check
        }
        Pages pages = UiTestSupport.pages(config("ui_pageSize", 7));
        UiSettings before = pages.settings();
        try {
            pages.modified(config);
            fail("Pages took an invalid " + key + " as a modification");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Invalid io.debmonitor.ui configuration: " + key));
        }
        assertSame(before, pages.settings());
        assertEquals(7, pages.settings().pageSize);
    }

    @Test
    public void layoutReadsASessionRecordAndEscapes() {
        Pages pages = UiTestSupport.pages(config("search_minLength", 5));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", "<b>x</b>");
        model.put("status", 404);
        model.put("message", "No host named '<img src=x>'.");
        model.put("session", SESSION);
        String html = pages.render("error.ftlh", model, pages.settings());
        assertTrue(html, html.contains("<title>&lt;b&gt;x&lt;/b&gt; - DebMonitor</title>"));
        assertTrue(html, html.contains("No host named &#39;&lt;img src=x&gt;&#39;."));
        assertTrue(html, html.contains("<span class=\"user\" title=\"Logged in user\">alice</span>"));
        assertTrue(html, html.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-abc\">"));
        assertTrue(html, html.matches("(?s).*<link rel=\"stylesheet\" href=\"/static/[0-9a-f]{12}/app.css\">.*"));
        assertFalse(html, html.contains("Log in"));
        assertTrue(html, html.contains("name=\"q\" required minlength=\"5\""));
        assertFalse("the caller's model is not changed", model.containsKey("searchMinLength"));
        try {
            pages.render("missing.ftlh", model, pages.settings());
            fail("rendered a missing template");
        } catch (IllegalStateException expected) {
            // a bug of the bundle, not of the request
        }
    }
}
