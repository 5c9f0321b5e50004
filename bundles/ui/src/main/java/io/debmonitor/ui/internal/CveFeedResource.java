package io.debmonitor.ui.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import org.apache.commons.fileupload.FileItemIterator;
import org.apache.commons.fileupload.FileItemStream;
import org.apache.commons.fileupload.FileUploadBase;
import org.apache.commons.fileupload.FileUploadBase.FileUploadIOException;
import org.apache.commons.fileupload.FileUploadBase.SizeLimitExceededException;
import org.apache.commons.fileupload.FileUploadException;
import org.apache.commons.fileupload.MultipartStream.MalformedStreamException;
import org.apache.commons.fileupload.UploadContext;
import org.apache.commons.fileupload.servlet.ServletFileUpload;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.SessionDTO;

/**
 * {@code /cve-feed/} (CVE.md §11.6): the active snapshot of the tracker feed, the recent imports
 * and checks, and the imports of the DSA and DLA lists and distributions.json; and {@code POST
 * /cve-feed/upload} (CVE.md §2.2), an administrator's upload of a feed file and of those side
 * files, imported as the shell's {@code cve-import} does.
 */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class CveFeedResource {

    /** How many imports and checks the page lists. */
    static final int RECENT = 20;
    static final String ADMINS_ONLY = "Only an administrator's UI session may upload a feed.";
    static final String NO_TOKEN = "The upload lacked this session's CSRF token (the csrf field must come first).";
    static final String NO_FEED = "Choose a feed file, or a DSA list, DLA list or distributions.json, to upload.";
    static final String FEED = "feed";
    /** The side files' fields (CVE.md §2.2), in the order they are imported after the feed (the fetch's, §2.1). */
    private static final List<CveListKind> LISTS = List.of(CveListKind.DISTRIBUTIONS, CveListKind.DSA, CveListKind.DLA);
    /** Longer than any token a session has. */
    private static final int MAX_TOKEN = 256;

    private final Logger logger = LoggerFactory.getLogger(CveFeedResource.class);
    private final CveFeedService feed;
    private final CveFetchService fetch;
    private final Pages pages;

    @Activate
    public CveFeedResource(@Reference CveFeedService feed, @Reference CveFetchService fetch, @Reference Pages pages) {
        this.feed = feed;
        this.fetch = fetch;
        this.pages = pages;
    }

    @GET
    @Path("cve-feed")
    public Response cveFeed(@Context HttpServletRequest request) {
        return pages.index(request, this::show);
    }

    /**
     * The upload form's POST: an administrator's session and its CSRF token (the form's first
     * field), then the files in fields {@code feed}, {@code dsa}, {@code dla} and {@code
     * distributions} (each optional, not all empty), each streamed to a temporary file while the
     * body is counted against {@code cve.maxUploadBytes} ({@code maxBodyBytes}, the reports' limit,
     * does not apply here). The feed is imported first, then the side files; the first that fails
     * ends the upload with its error. HTML answers 303 to the page, which shows the imports; JSON
     * the snapshot, with {@code lists}, the side files' imports, when there were any.
     * The body is read with Commons FileUpload's streaming API, part by part as the loop asks for
     * them (CXF's multipart support reads and caches every part before the resource method runs).
     */
    @POST
    @Path("cve-feed/upload")
    public Response upload(@Context HttpServletRequest request, InputStream body) {
        return pages.action(request, call -> importUpload(call, body));
    }

    private Response importUpload(PageCall call, InputStream body) {
        pages.requireCve();
        SessionDTO session = call.caller.session();
        if (session == null || !session.admin()) {
            throw new PageException(403, ADMINS_ONLY);
        }
        String type = call.request.getContentType();
        // FileUpload takes any multipart/ type, and multipart/related parts have no field names.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(FileUploadBase.MULTIPART_FORM_DATA)) {
            throw PageException.badRequest("The upload must be multipart/form-data, with a boundary.");
        }
        long limit = call.settings.cveMaxUploadBytes;
        ServletFileUpload upload = new ServletFileUpload();
        upload.setSizeMax(limit);
        // Browsers send a part's headers (its field and file names) in UTF-8, and no charset with the Content-Type.
        upload.setHeaderEncoding(StandardCharsets.UTF_8.name());
        Map<String, java.nio.file.Path> files = new LinkedHashMap<>();
        try {
            receive(upload.getItemIterator(new Upload(call.request, new Body(body))), session, files);
            if (files.isEmpty()) {
                throw PageException.badRequest(NO_FEED);
            }
            String origin = "upload:" + session.user();
            Map<String, Object> answer = new LinkedHashMap<>();
            List<Map<String, Object>> lists = new ArrayList<>();
            // What this upload imported before a file failed: the error must not read as if nothing was.
            List<String> done = new ArrayList<>();
            List<String> order = new ArrayList<>();
            if (files.containsKey(FEED)) {
                order.add("the feed");
            }
            LISTS.stream().filter(kind -> files.containsKey(kind.word())).forEach(kind -> order.add(name(kind)));
            String current = null;
            try {
                if (files.containsKey(FEED)) {
                    current = "the feed";
                    CveSnapshotDTO snapshot = feed.importFeed(files.get(FEED), origin);
                    answer.putAll(snapshot(snapshot));
                    done.add("the feed (snapshot " + snapshot.id() + ", " + snapshot.result() + ")");
                }
                for (CveListKind kind : LISTS) {
                    if (files.containsKey(kind.word())) {
                        current = name(kind);
                        CveListImportDTO imported = feed.importList(kind, files.get(kind.word()), origin, null);
                        lists.add(list(imported));
                        done.add(name(kind) + " (import " + imported.id() + ", " + imported.result() + ")");
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                List<String> skipped = order.subList(order.indexOf(current) + 1, order.size());
                throw new PageException(e instanceof IllegalStateException ? 409 : 400, partly(done, current, skipped, e.getMessage()));
            }
            if (!lists.isEmpty()) {
                answer.put("lists", lists);
            }
            if (call.json) {
                return call.json(answer);
            }
            return Response.status(303).header("Location", "/cve-feed/").header("Cache-Control", "no-store").build();
        } catch (FileUploadIOException e) {
            // How FileUpload reports a limit reached while a part's content is read.
            throw refused(e.getCause(), limit);
        } catch (FileUploadException | MalformedStreamException e) {
            throw refused(e, limit);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the upload to a temporary file: " + e.getMessage(), e);
        } finally {
            for (java.nio.file.Path file : files.values()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    logger.warn("Cannot delete the uploaded file {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /**
     * Reads the form: the session's CSRF token first, so that no byte of a file is stored for a
     * forged request, then each file with content into a temporary file of its own, put in {@code
     * files} by field name as soon as it exists (the caller deletes them). A file input left empty
     * still sends its field, with no content: that file was not chosen.
     */
    private static void receive(FileItemIterator form, SessionDTO session, Map<String, java.nio.file.Path> files)
            throws FileUploadException, IOException {
        Set<String> seen = new HashSet<>();
        while (form.hasNext()) {
            FileItemStream part = form.next();
            String name = part.getFieldName();
            InputStream content = part.openStream();
            if (seen.isEmpty() && !(name.equals("csrf") && LoginResource.same(session.csrfToken(), text(content, MAX_TOKEN)))) {
                throw new PageException(403, NO_TOKEN);
            }
            if (!seen.add(name)) {
                throw PageException.badRequest("The form has more than one " + name + " field.");
            }
            if (name.equals(FEED) || LISTS.stream().anyMatch(kind -> kind.word().equals(name))) {
                int first = content.read();
                if (first >= 0) {
                    java.nio.file.Path file = Files.createTempFile("debmonitor-cve-upload-", "." + name);
                    files.put(name, file);
                    try (OutputStream out = Files.newOutputStream(file)) {
                        out.write(first);
                        content.transferTo(out);
                    }
                }
            } else if (!name.equals("csrf")) {
                throw PageException.badRequest("Unknown form field '" + name + "'.");
            }
        }
        if (seen.isEmpty()) {
            throw new PageException(403, NO_TOKEN);
        }
    }

    /** @return the content as UTF-8, or null when it is longer than {@code max} bytes */
    private static String text(InputStream content, int max) throws IOException {
        byte[] bytes = content.readNBytes(max + 1);
        return bytes.length > max ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * @return 413 for a body over {@code limit}; else 400 with FileUpload's reason (it reports a part's
     *         headers over their own limit as a {@link SizeLimitExceededException} too)
     */
    private static PageException refused(Throwable e, long limit) {
        if (e instanceof SizeLimitExceededException tooLarge && tooLarge.getPermittedSize() == limit) {
            return new PageException(413, "The upload is larger than " + limit + " bytes (cve.maxUploadBytes).");
        }
        return PageException.badRequest("The upload is not a valid multipart/form-data body: " + e.getMessage() + ".");
    }

    /** The request as FileUpload reads it, its body the stream CXF gives the resource. */
    private record Upload(HttpServletRequest request, InputStream body) implements UploadContext {

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public int getContentLength() {
            return request.getContentLength();
        }

        @Override
        public String getContentType() {
            return request.getContentType();
        }

        @Override
        public String getCharacterEncoding() {
            return request.getCharacterEncoding();
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }
    }

    /**
     * The request body, a read that fails (the client went away) a 400: the IOExceptions left to
     * {@link #importUpload} are then the temporary file's.
     */
    private static final class Body extends FilterInputStream {

        Body(InputStream in) {
            super(in);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw PageException.badRequest("The upload could not be read: " + e.getMessage());
            }
        }
    }

    private Response show(PageCall call) {
        pages.requireCve();
        for (String parameter : List.of("page", "size", "sort", "dir", "q")) {
            if (call.param(parameter) != null) {
                throw PageException.badRequest("The feed page takes no " + parameter + ".");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("active", feed.active().map(CveFeedResource::snapshot).orElse(null));
        List<Map<String, Object>> recent = new ArrayList<>();
        for (CveSnapshotDTO snapshot : feed.history(RECENT)) {
            recent.add(snapshot(snapshot));
        }
        json.put("imports", recent);
        List<Map<String, Object>> lists = new ArrayList<>();
        for (CveListImportDTO list : feed.lists()) {
            lists.add(list(list));
        }
        json.put("lists", lists);
        Map<String, Object> fetched = new LinkedHashMap<>();
        fetched.put("schedule", fetch.schedule());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CveFetchCheckDTO check : fetch.checks()) {
            checks.add(check(check));
        }
        fetched.put("checks", checks);
        json.put("fetch", fetched);
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>(json);
        model.put("title", "CVE Feed");
        return call.html("cve-feed.ftlh", model);
    }

    /**
     * @param skipped the files after the one that failed, not tried
     * @return the error of the file that failed, after what the upload imported before it, e.g.
     *         {@code Imported the feed (snapshot 4, active); not imported: the DSA list, the DLA list. …}
     */
    static String partly(List<String> imported, String failed, List<String> skipped, String error) {
        if (imported.isEmpty()) {
            return error;
        }
        List<String> not = new ArrayList<>(List.of(failed));
        not.addAll(skipped);
        return "Imported " + String.join(" and ", imported) + "; not imported: " + String.join(", ", not) + ". " + failed.substring(0, 1)
                .toUpperCase(Locale.ROOT) + failed.substring(1) + " failed: " + error;
    }

    /** @return the side file as messages name it */
    private static String name(CveListKind kind) {
        return switch (kind) {
            case DSA -> "the DSA list";
            case DLA -> "the DLA list";
            case DISTRIBUTIONS -> "distributions.json";
        };
    }

    /** A side file's import as the page and the upload's JSON show it. */
    private static Map<String, Object> list(CveListImportDTO i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", i.kind().word());
        out.put("id", i.id());
        out.put("result", i.result());
        out.put("started", Times.iso(i.started()));
        out.put("finished", Times.iso(i.finished()));
        out.put("origin", i.origin());
        out.put("last_modified", Times.iso(i.lastModified()));
        out.put("sha256", i.sha256());
        out.put("entries", i.entries());
        out.put("skipped", i.skipped());
        out.put("error", i.error());
        return out;
    }

    /** The last check of one URL by the fetch (CVE.md §2.1, §11.6). */
    private static Map<String, Object> check(CveFetchCheckDTO c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", c.kind());
        out.put("url", c.url());
        out.put("checked", Times.iso(c.checked()));
        out.put("result", c.result().token());
        out.put("result_label", c.result().label());
        out.put("http_status", c.httpStatus());
        out.put("last_modified", Times.iso(c.lastModified()));
        out.put("sha256", c.sha256());
        out.put("summary", c.summary());
        out.put("error", c.error());
        out.put("imported", Times.iso(c.imported()));
        out.put("imported_last_modified", Times.iso(c.importedLastModified()));
        return out;
    }

    private static Map<String, Object> snapshot(CveSnapshotDTO s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("result", s.result());
        out.put("started", Times.iso(s.started()));
        out.put("finished", Times.iso(s.finished()));
        out.put("origin", s.origin());
        out.put("last_modified", Times.iso(s.lastModified()));
        out.put("sha256", s.sha256());
        out.put("releases", s.releases());
        out.put("rows", s.rowsByRelease());
        out.put("skipped", s.skipped());
        out.put("error", s.error());
        out.put("added", s.added());
        out.put("removed", s.removed());
        out.put("changed", s.changed());
        return out;
    }
}
