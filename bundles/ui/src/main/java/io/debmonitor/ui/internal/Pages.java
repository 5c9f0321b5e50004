package io.debmonitor.ui.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * The rules every page shares (SPEC §3.2, §5.1), in one place: the trailing-slash redirect of
 * index URLs, the choice between HTML and JSON, access, and how refusals and failures are
 * answered. Each resource references this component and runs its handler through {@link #index}
 * or {@link #detail}.
 * <p>
 * This is the one component of the bundle that reads the PID {@code io.debmonitor.ui}. A change
 * is applied by {@link #modified} without re-creating anything: only this component's service
 * properties change, which neither re-creates the resources (their static references have no
 * updated method) nor makes the rest bundle's whiteboard rebuild the JAX-RS application, so no
 * request sees a page missing. Each request reads the settings once, when it starts.
 */
@Component(service = Pages.class, configurationPid = "io.debmonitor.ui")
@Designate(ocd = UiConfiguration.class)
public class Pages {

    /** One page's work, after the common checks passed. */
    @FunctionalInterface
    interface Handler {
        Response handle(PageCall call);
    }

    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";
    /** Every format a page may offer besides html and json; a page names the ones it offers. */
    static final Set<String> EXPORTS = Set.of("csv", "jsonl", CycloneDxBom.FORMAT);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Logger logger = LoggerFactory.getLogger(Pages.class);
    private final Templates templates;
    private final AccessService access;
    /** The validated configuration; replaced whole on every change. */
    private volatile UiSettings settings;

    /**
     * @throws IllegalArgumentException when the configuration is invalid: the component does not activate
     */
    @Activate
    public Pages(UiConfiguration config, @Reference Templates templates, @Reference AccessService access) {
        this.settings = UiSettings.of(config);
        this.templates = templates;
        this.access = access;
    }

    /**
     * Applies a changed configuration to every page from the next request on.
     *
     * @throws IllegalArgumentException when the configuration is invalid: the previous settings stay in force
     */
    @Modified
    void modified(UiConfiguration config) {
        try {
            settings = UiSettings.of(config);
        } catch (IllegalArgumentException e) {
            logger.error("{}; the UI keeps its previous settings", e.getMessage());
            throw e;
        }
        logger.info("io.debmonitor.ui configuration applied");
    }

    /** @return the current settings; a request reads them once and keeps them to its end */
    UiSettings settings() {
        return settings;
    }

    /** An index page: without its trailing slash, a 301 to the slash form, query kept. */
    Response index(HttpServletRequest request, Handler handler) {
        String uri = request.getRequestURI();
        if (!uri.endsWith("/")) {
            String query = request.getQueryString();
            return Response.status(301).header("Location", uri + "/" + (query == null ? "" : "?" + query)).build();
        }
        return detail(request, handler);
    }

    /** Any other page, with the usual access rule. */
    Response detail(HttpServletRequest request, Handler handler) {
        return detail(request, Set.of(), handler);
    }

    /** A page that also offers the given {@link #EXPORTS}: each is asked for, and refused, as the page's JSON. */
    Response detail(HttpServletRequest request, Set<String> exports, Handler handler) {
        return serve(request, exports, this::jsonRefusal, handler);
    }

    /**
     * The image lookup (SPEC §3.2): its JSON (and its exports) are for image uploaders and UI
     * sessions; another certificate identity is refused, as in v1.
     */
    Response imageLookup(HttpServletRequest request, String reference, Set<String> exports, Handler handler) {
        return serve(request, exports, caller -> caller.session() != null ? null : access.writeRefusal(caller, EntityKind.IMAGE, reference),
                handler);
    }

    private String jsonRefusal(CallerDTO caller) {
        if (caller.verified() || caller.session() != null) {
            return null;
        }
        // A presented certificate that failed says why; with nothing presented, say what would work.
        return caller.failure() != null ? access.identityRefusal(caller)
                : "Log in or present a client certificate to read this page.";
    }

    private Response serve(HttpServletRequest request, Set<String> exports, Function<CallerDTO, String> jsonRefusal, Handler handler) {
        Object attribute = request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE);
        CallerDTO caller = attribute instanceof CallerDTO dto ? dto : new CallerDTO(Set.of(), null, request.isSecure(), null);
        String format = blankToNull(request.getParameter("format"));
        String export = format != null && exports.contains(format) ? format : null;
        boolean json = "json".equals(format) || export != null || (!"html".equals(format) && acceptsOnlyJson(request));
        PageCall call = new PageCall(this, settings, request, caller, json, export);
        if (json) {
            String refusal = jsonRefusal.apply(caller);
            if (refusal != null) {
                return error(call, 403, refusal);
            }
        } else if (!caller.verified() && caller.session() == null && !call.settings.publicUi) {
            return Response.status(302).header("Location", "/login?next=" + URLEncoder.encode(pathAndQuery(request), StandardCharsets.UTF_8))
                    .header("Cache-Control", "no-store").build();
        }
        try {
            if (format != null && !"html".equals(format) && !"json".equals(format) && export == null) {
                String offered = "format must be " + formats(exports) + ".";
                throw PageException.badRequest(EXPORTS.contains(format) ? "This page offers no " + format + " export; " + offered
                        : "Unknown format '" + format + "'; " + offered);
            }
            return handler.handle(call);
        } catch (PageException e) {
            return error(call, e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(call, 400, e.getMessage());
        } catch (StorageUnavailableException e) {
            logger.warn("503: {}", e.getMessage());
            return Response.fromResponse(error(call, 503, "The database is unavailable; try again in a few seconds."))
                    .header("Retry-After", "5").build();
        } catch (RuntimeException e) {
            String requestId = UUID.randomUUID().toString();
            logger.error("500 on {} (request id {})", request.getRequestURI(), requestId, e);
            return error(call, 500, "Internal server error; request id " + requestId + ".");
        }
    }

    /** An HTML page: the model gets the layout's keys (session, identity). */
    Response html(PageCall call, int status, String template, Map<String, Object> model) {
        Map<String, Object> full = new LinkedHashMap<>(model);
        if (call.caller.session() != null) {
            full.put("session", call.caller.session());
        }
        if (call.caller.verified()) {
            full.put("identity", new TreeSet<>(call.caller.identities()).first());
        }
        return Response.status(status).type(HTML).entity(render(template, full, call.settings))
                .header("Cache-Control", "private, no-cache").header("Vary", "Accept").build();
    }

    /** Renders a template; the layout's search box reads {@code searchMinLength} from the given settings. */
    String render(String template, Map<String, Object> model, UiSettings settings) {
        Map<String, Object> full = new LinkedHashMap<>(model);
        full.put("searchMinLength", settings.searchMinLength);
        return templates.render(template, full);
    }

    Response json(int status, Map<String, Object> body) {
        return Response.status(status).type(JSON).entity(toJson(body))
                .header("Cache-Control", "private, no-cache").header("Vary", "Accept").build();
    }

    /** A file to save: {@code fileName} must need no escaping inside a quoted string. */
    Response attachment(String type, String fileName, String body) {
        return Response.status(200).type(type).entity(body).header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .header("Cache-Control", "private, no-cache").header("Vary", "Accept").build();
    }

    Response error(PageCall call, int status, String message) {
        if (call.json) {
            return json(status, Map.of("error", message));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", reason(status));
        model.put("status", status);
        model.put("message", message);
        return html(call, status, "error.ftlh", model);
    }

    static String toJson(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Maps of strings, numbers and lists always serialise", e);
        }
    }

    /** @return e.g. "html or json", "html, json or cyclonedx" */
    private static String formats(Set<String> exports) {
        List<String> formats = new ArrayList<>(List.of("html", "json"));
        formats.addAll(new TreeSet<>(exports));
        return String.join(", ", formats.subList(0, formats.size() - 1)) + " or " + formats.get(formats.size() - 1);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** SPEC §5.1: JSON when Accept lists application/json and not text/html. */
    private static boolean acceptsOnlyJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        boolean json = false;
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (type.equals("text/html")) {
                return false;
            }
            json |= type.equals("application/json");
        }
        return json;
    }

    private static String pathAndQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return "Bad request";
            case 403: return "Forbidden";
            case 404: return "Not found";
            case 503: return "Service unavailable";
            default: return "Server error";
        }
    }
}
