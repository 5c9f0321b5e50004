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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * The rules every page shares (SPEC §3.2, §5.1), in one place: the trailing-slash redirect of
 * index URLs, the choice between HTML and JSON, access, and how refusals and failures are
 * answered, and the csv and jsonl downloads of every table. Each resource references this
 * component and runs its handler through {@link #index} or {@link #detail}, or a form's POST
 * through {@link #action}.
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
    /** Every format a page may offer besides html and json: csv and jsonl come with any table, a page names the others it offers. */
    static final Set<String> EXPORTS = Set.of(TableExport.CSV, TableExport.JSONL, CycloneDxBom.FORMAT, CveExceptionResource.OPENVEX);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Logger logger = LoggerFactory.getLogger(Pages.class);
    private final Templates templates;
    private final AccessService access;
    /** The validated configuration; replaced whole on every change. */
    private volatile UiSettings settings;
    /** Table exports running now; a counter rather than a Semaphore, so that a changed ui.maxConcurrentExports applies at once. */
    private final AtomicInteger runningExports = new AtomicInteger();
    /**
     * Says whether CVE correlation is on (PID io.debmonitor.cve, enabled). Optional: without it (the
     * page tests) the CVE pages are on; core-model provides it whenever the pages' services exist.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CveFeedService cveFeed;

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

    /** What a CVE page answers, with 404, while CVE correlation is off. */
    static final String CVE_OFF = "CVE correlation is turned off on this server (io.debmonitor.cve, enabled = false).";

    /** @return whether CVE correlation is on: the CVE pages, the menu entry and the dashboard card exist */
    boolean cveEnabled() {
        CveFeedService feed = cveFeed;
        return feed == null || feed.enabled();
    }

    /** @throws PageException 404 while CVE correlation is off */
    void requireCve() {
        if (!cveEnabled()) {
            throw new PageException(404, CVE_OFF);
        }
    }

    /** @return the current settings; a request reads them once and keeps them to its end */
    UiSettings settings() {
        return settings;
    }

    /** An index page: without its trailing slash, a 301 to the slash form, query kept. */
    Response index(HttpServletRequest request, Handler handler) {
        return index(request, Set.of(), handler);
    }

    /** An index page that also offers the given {@link #EXPORTS}, as {@link #detail(HttpServletRequest, Set, Handler)}. */
    Response index(HttpServletRequest request, Set<String> exports, Handler handler) {
        String uri = request.getRequestURI();
        if (!uri.endsWith("/")) {
            String query = request.getQueryString();
            return Response.status(301).header("Location", uri + "/" + (query == null ? "" : "?" + query)).build();
        }
        return detail(request, exports, handler);
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

    /**
     * A form's POST: answered in the asked format, and its failures as a page's, but with no access
     * rule of its own (nobody is sent to the login page): the handler authorizes the caller.
     */
    Response action(HttpServletRequest request, Handler handler) {
        String format = blankToNull(request.getParameter("format"));
        boolean json = "json".equals(format) || (!"html".equals(format) && acceptsOnlyJson(request));
        PageCall call = new PageCall(this, settings, request, caller(request), json, null, Set.of(), null);
        if (format != null && !"html".equals(format) && !"json".equals(format)) {
            return error(call, 400, formatRefusal(format, Set.of()));
        }
        return run(call, handler);
    }

    private String jsonRefusal(CallerDTO caller) {
        if (caller.verified() || caller.session() != null) {
            return null;
        }
        // A presented certificate that failed says why; with nothing presented, say what would work.
        return caller.failure() != null ? access.identityRefusal(caller)
                : "Log in or present a client certificate to read this page.";
    }

    /**
     * Serves the page in the asked format. Any other format is taken for a table export: csv and
     * jsonl are offered by every page that builds a {@link Table}, so whether the page offers them
     * (and which formats to name when refusing another) is known only once its handler ran.
     */
    private Response serve(HttpServletRequest request, Set<String> exports, Function<CallerDTO, String> jsonRefusal, Handler handler) {
        CallerDTO caller = caller(request);
        String format = blankToNull(request.getParameter("format"));
        boolean tableExport = format != null && !"html".equals(format) && !"json".equals(format) && !exports.contains(format);
        String export = format != null && (exports.contains(format) || TableExport.FORMATS.contains(format)) ? format : null;
        boolean json = "json".equals(format) || export != null || (!"html".equals(format) && acceptsOnlyJson(request));
        UiSettings current = settings;
        PageCall.Chunk firstChunk = tableExport ? new PageCall.Chunk(1, Math.min(TableExport.CHUNK_SIZE, current.maxPageSize), null) : null;
        PageCall call = new PageCall(this, current, request, caller, json, export, exports, firstChunk);
        if (json) {
            String refusal = jsonRefusal.apply(caller);
            if (refusal != null) {
                return error(call, 403, refusal);
            }
        } else if (!caller.verified() && caller.session() == null && !call.settings.publicUi) {
            return Response.status(302).header("Location", "/login?next=" + URLEncoder.encode(pathAndQuery(request), StandardCharsets.UTF_8))
                    .header("Cache-Control", "no-store").build();
        }
        return run(call, tableExport ? c -> exportTable(c, handler) : handler);
    }

    /** @return the handler's answer, or the page's answer to its failure */
    private Response run(PageCall call, Handler handler) {
        try {
            return handler.handle(call);
        } catch (RuntimeException e) {
            Failure failure = failure(call.request, e);
            Response response = error(call, failure.status(), failure.message());
            return failure.status() == 503 ? Response.fromResponse(response).header("Retry-After", "5").build() : response;
        }
    }

    private static CallerDTO caller(HttpServletRequest request) {
        Object attribute = request.getAttribute(CallerDTO.REQUEST_ATTRIBUTE);
        return attribute instanceof CallerDTO dto ? dto : new CallerDTO(Set.of(), null, request.isSecure(), null);
    }

    /** How a page answers a failure: its status and message. */
    private record Failure(int status, String message) {
    }

    /** @return the answer to {@code e}, logged when it is the server's fault */
    private Failure failure(HttpServletRequest request, RuntimeException e) {
        if (e instanceof PageException refusal) {
            return new Failure(refusal.status, refusal.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new Failure(400, e.getMessage());
        }
        if (e instanceof StorageUnavailableException) {
            logger.warn("503: {}", e.getMessage());
            return new Failure(503, "The database is unavailable; try again in a few seconds.");
        }
        String requestId = UUID.randomUUID().toString();
        logger.error("500 on {} (request id {})", request.getRequestURI(), requestId, e);
        return new Failure(500, "Internal server error; request id " + requestId + ".");
    }

    /**
     * A table export: the handler runs once per chunk, each time one short service call, and the
     * rows its table was given are written instead of its answer. The first chunk runs before
     * answering, so that a refusal or a failure is an ordinary error; the rest run while the
     * file streams, until a chunk comes back short.
     */
    private Response exportTable(PageCall first, Handler handler) {
        String format = first.export;
        // A format that is no table export runs too, uncounted: the page's table refuses it, naming what the page offers.
        boolean counted = format != null;
        if (counted && runningExports.incrementAndGet() > first.settings.maxConcurrentExports) {
            runningExports.decrementAndGet();
            return Response.fromResponse(error(first, 503, "Too many downloads are running (at most " + first.settings.maxConcurrentExports
                    + " at a time); try again in a few seconds.")).header("Retry-After", "5").build();
        }
        boolean streaming = false;
        try {
            List<?> firstRows = tableRows(first, handler);
            String fileName = TableExport.fileName(first.request.getRequestURI(), format);
            // HEAD writes no entity, so the stream that ends the export would never run.
            if ("HEAD".equals(first.request.getMethod())) {
                return attachment(TableExport.mediaType(format), fileName, null);
            }
            Response response = attachment(TableExport.mediaType(format), fileName, stream(first, handler, firstRows));
            streaming = true;
            return response;
        } finally {
            if (counted && !streaming) {
                runningExports.decrementAndGet();
            }
        }
    }

    /**
     * The rest of the export, chunk by chunk. A chunk that fails cannot turn the response into an
     * error any more, and the JAX-RS runtime ends a stream that throws as if it were complete, so
     * the file ends with a line that says it is incomplete instead.
     */
    private StreamingOutput stream(PageCall first, Handler handler, List<?> firstRows) {
        return out -> {
            try {
                TableExport.RowWriter writer = TableExport.writer(first.export, out);
                PageCall chunk = first;
                List<?> rows = firstRows;
                long written = 0;
                while (true) {
                    writer.write(rows);
                    written += rows.size();
                    if (rows.size() < first.chunk.size()) {
                        return;
                    }
                    try {
                        chunk = chunk.nextChunk();
                        rows = tableRows(chunk, handler);
                    } catch (RuntimeException e) {
                        String message = failure(first.request, e).message();
                        logger.warn("Export {} stopped after {} rows: {}", pathAndQuery(first.request), written, message);
                        writer.abort("the export stopped after " + written + " rows and is incomplete: " + message);
                        return;
                    }
                }
            } finally {
                runningExports.decrementAndGet();
            }
        };
    }

    /** @return the rows the handler gave its table for this chunk */
    private static List<?> tableRows(PageCall call, Handler handler) {
        handler.handle(call);
        if (call.tableRows == null) {
            throw PageException.badRequest(formatRefusal(call.param("format"), call.exports));
        }
        return call.tableRows;
    }

    /** @return why a page refuses {@code format}, naming the formats it offers besides html and json */
    static String formatRefusal(String format, Set<String> offered) {
        String formats = "format must be " + formats(offered) + ".";
        return EXPORTS.contains(format) ? "This page offers no " + format + " export; " + formats
                : "Unknown format '" + format + "'; " + formats;
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
        full.put("cveEnabled", cveEnabled());
        return templates.render(template, full);
    }

    Response json(int status, Map<String, Object> body) {
        return Response.status(status).type(JSON).entity(toJson(body))
                .header("Cache-Control", "private, no-cache").header("Vary", "Accept").build();
    }

    /** A file to save: {@code fileName} must need no escaping inside a quoted string; {@code body} a String or a StreamingOutput. */
    Response attachment(String type, String fileName, Object body) {
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
            case 409: return "Conflict";
            case 413: return "Payload too large";
            case 503: return "Service unavailable";
            default: return "Server error";
        }
    }
}
