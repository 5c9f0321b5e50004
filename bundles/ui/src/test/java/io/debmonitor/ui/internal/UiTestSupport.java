package io.debmonitor.ui.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.StalenessPolicy;

/** Requests, callers, configuration and assertions shared by the page tests. */
final class UiTestSupport {

    static final Instant NOW = Instant.parse("2025-07-03T17:10:09.483Z");
    static final CallerDTO ANONYMOUS = new CallerDTO(Set.of(), null, false, null);
    static final CallerDTO CERTIFICATE = new CallerDTO(Set.of("cumin1001.example.org"), null, true, null);
    static final SessionDTO SESSION = new SessionDTO("token", "alice", Set.of("viewer"), "csrf-abc", NOW, NOW);
    static final CallerDTO LOGGED_IN = new CallerDTO(Set.of(), null, true, SESSION);
    /** The default thresholds of PID io.debmonitor.staleness. */
    static final StalenessPolicy STALENESS = kind -> kind == EntityKind.HOST ? Duration.ofHours(48) : Duration.ofDays(45);
    static final String NO_IDENTITY = "Client certificate validation failed: no client certificate was presented";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Anything the CSP of SPEC §3.4 would block: inline style or script, event handlers, foreign URLs. */
    private static final Pattern CSP_VIOLATION = Pattern.compile(
            "<style|style=|\\son[a-z]+=|<script(?![^>]*\\ssrc=\"/static/)|(src=|<link[^>]*href=)\"(https?:)?//", Pattern.CASE_INSENSITIVE);

    private UiTestSupport() {
    }

    /** @return the configuration with its defaults, except the given keys (method names, e.g. "ui_public") */
    static UiConfiguration config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return mock(UiConfiguration.class, call -> values.getOrDefault(call.getMethod().getName(), call.getMethod().getDefaultValue()));
    }

    /** @return the shared page rules as DS activates them with this configuration */
    static Pages pages(UiConfiguration config, AccessService access) {
        return new Pages(config, new Templates(Clock.fixed(NOW, ZoneOffset.UTC)), access);
    }

    static Pages pages(UiConfiguration config) {
        return pages(config, access());
    }

    static AccessService access() {
        AccessService access = mock(AccessService.class);
        when(access.identityRefusal(any())).thenAnswer(call -> ((CallerDTO) call.getArgument(0)).verified() ? null : NO_IDENTITY);
        return access;
    }

    /** A GET of {@code uri} (with its query) by {@code caller}, with an optional Accept header. */
    static HttpServletRequest get(String uri, CallerDTO caller, String accept) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        int question = uri.indexOf('?');
        String query = question < 0 ? null : uri.substring(question + 1);
        Map<String, String> parameters = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                parameters.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        when(request.getMethod()).thenReturn("GET");
        when(request.getRequestURI()).thenReturn(question < 0 ? uri : uri.substring(0, question));
        when(request.getQueryString()).thenReturn(query);
        when(request.getParameter(anyString())).thenAnswer(call -> parameters.get(call.<String>getArgument(0)));
        when(request.getHeader("Accept")).thenReturn(accept);
        when(request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE)).thenReturn(caller);
        when(request.isSecure()).thenReturn(caller.secure());
        return request;
    }

    static HttpServletRequest get(String uri) {
        return get(uri, CERTIFICATE, "text/html,application/xhtml+xml,*/*;q=0.8");
    }

    static HttpServletRequest getJson(String uri) {
        return get(uri, CERTIFICATE, "application/json");
    }

    /** @return the HTML body, after checking the status, the media type and that the CSP would allow the page */
    static String html(Response response, int status) {
        assertEquals(status, response.getStatus());
        assertEquals(MediaType.valueOf(Pages.HTML), response.getMediaType());
        String html = (String) response.getEntity();
        assertFalse("CSP violation in:\n" + html, CSP_VIOLATION.matcher(html).find());
        return html;
    }

    static String html(Response response) {
        return html(response, 200);
    }

    static JsonNode json(Response response, int status) {
        assertEquals(status, response.getStatus());
        assertEquals(MediaType.valueOf(Pages.JSON), response.getMediaType());
        try {
            return MAPPER.readTree((String) response.getEntity());
        } catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + response.getEntity(), e);
        }
    }

    static JsonNode json(Response response) {
        return json(response, 200);
    }

    /** @return what the CycloneDX 1.5 JSON schema finds wrong with the document; empty when it is valid */
    static List<String> cycloneDx15Problems(String document) {
        try {
            return new JsonParser().validate(document.getBytes(StandardCharsets.UTF_8), Version.VERSION_15).stream()
                    .map(Throwable::getMessage).toList();
        } catch (java.io.IOException e) {
            throw new AssertionError("Not JSON: " + document, e);
        }
    }

    /** @return an openssl finding on bookworm with the given state, no upgrade candidate and no history */
    static CveFindingDTO finding(String cve, CveVerdict verdict, CveSubState subState, boolean counted, String fix) {
        return new CveFindingDTO(cve, "openssl", "bookworm", List.of(new CveFindingDTO.Binary("libssl3", "3.0.14-1~deb12u2", "3.0.14-1~deb12u2",
                "reported")), "3.0.14-1~deb12u2", "reported", verdict, verdict, subState, counted, fix, null, "3.0.15-1~deb12u1", "3.3.2-2",
                "not yet assigned", false, null, null, null, false, null, null, new CveFindingDTO.Explanation("AFFECTED — x",
                        "not yet assigned (Debian)", "libssl3", "3.0.14-1~deb12u2 < 3.0.15-1~deb12u1 (dpkg) → affected", null, null, null, "data",
                        List.of("https://security-tracker.debian.org/tracker/" + cve)), null, List.of());
    }

    /** @return the field names of a JSON object, in order, joined by commas */
    static String keys(JsonNode node) {
        StringBuilder keys = new StringBuilder();
        node.fieldNames().forEachRemaining(name -> keys.append(keys.length() == 0 ? "" : ",").append(name));
        return keys.toString();
    }
}
