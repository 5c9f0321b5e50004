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
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.SessionDTO;

/**
 * {@code /cve-feed/} (CVE.md §11.6): the active snapshot of the tracker feed and the recent imports
 * and checks; and {@code POST /cve-feed/upload} (CVE.md §2.2), an administrator's upload of a feed
 * file, imported as the shell's {@code cve-import} does.
 */
@Component(service = Object.class, property = "debmonitor.jaxrs.resource=true")
@Path("/")
public class CveFeedResource {

    /** How many imports and checks the page lists. */
    static final int RECENT = 20;
    static final String ADMINS_ONLY = "Only an administrator's UI session may upload a feed.";
    static final String NO_TOKEN = "The upload lacked this session's CSRF token (the csrf field must come first).";
    static final String NO_FEED = "Choose a feed file to upload.";
    /** The fields of CVE.md §2.2 this slice does not import yet. */
    private static final Set<String> NOT_YET = Set.of("dsa", "dla", "distributions");
    /** Longer than any token a session has. */
    private static final int MAX_TOKEN = 256;

    private final Logger logger = LoggerFactory.getLogger(CveFeedResource.class);
    private final CveFeedService feed;
    private final Pages pages;

    @Activate
    public CveFeedResource(@Reference CveFeedService feed, @Reference Pages pages) {
        this.feed = feed;
        this.pages = pages;
    }

    @GET
    @Path("cve-feed")
    public Response cveFeed(@Context HttpServletRequest request) {
        return pages.index(request, this::show);
    }

    /**
     * The upload form's POST: an administrator's session and its CSRF token (the form's first
     * field), then the file in field {@code feed}, streamed to a temporary file while the body is
     * counted against {@code cve.maxUploadBytes} ({@code maxBodyBytes}, the reports' limit, does
     * not apply here). HTML answers 303 to the page, which shows the import; JSON the snapshot.
     * The body is read with Commons FileUpload's streaming API, part by part as the loop asks for
     * them (CXF's multipart support reads and caches every part before the resource method runs).
     */
    @POST
    @Path("cve-feed/upload")
    public Response upload(@Context HttpServletRequest request, InputStream body) {
        return pages.action(request, call -> importUpload(call, body));
    }

    private Response importUpload(PageCall call, InputStream body) {
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
        java.nio.file.Path file;
        try {
            file = Files.createTempFile("debmonitor-cve-upload-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file for the upload", e);
        }
        try {
            if (receive(upload.getItemIterator(new Upload(call.request, new Body(body))), session, file) == 0) {
                throw PageException.badRequest(NO_FEED);
            }
            CveSnapshotDTO snapshot;
            try {
                snapshot = feed.importFeed(file, "upload:" + session.user());
            } catch (IllegalStateException e) {
                throw new PageException(409, e.getMessage());
            }
            if (call.json) {
                return call.json(snapshot(snapshot));
            }
            return Response.status(303).header("Location", "/cve-feed/").header("Cache-Control", "no-store").build();
        } catch (FileUploadIOException e) {
            // How FileUpload reports a limit reached while a part's content is read.
            throw refused(e.getCause(), limit);
        } catch (FileUploadException | MalformedStreamException e) {
            throw refused(e, limit);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the upload to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                logger.warn("Cannot delete the uploaded feed {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Reads the form: the session's CSRF token first, so that no byte of a file is stored for a
     * forged request, then the feed into {@code file}.
     *
     * @return the feed's size in bytes; 0 when no file was chosen
     */
    private static long receive(FileItemIterator form, SessionDTO session, java.nio.file.Path file) throws FileUploadException, IOException {
        Set<String> seen = new HashSet<>();
        long size = 0;
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
            if (name.equals("feed")) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    size = content.transferTo(out);
                }
            } else if (NOT_YET.contains(name)) {
                // A file input left empty still sends its field, with no content.
                if (content.read() >= 0) {
                    throw PageException.badRequest("Uploading the " + name + " file is not supported yet; upload the feed alone.");
                }
            } else if (!name.equals("csrf")) {
                throw PageException.badRequest("Unknown form field '" + name + "'.");
            }
        }
        if (seen.isEmpty()) {
            throw new PageException(403, NO_TOKEN);
        }
        return size;
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
        if (call.json) {
            return call.json(json);
        }
        Map<String, Object> model = new LinkedHashMap<>(json);
        model.put("title", "CVE Feed");
        return call.html("cve-feed.ftlh", model);
    }

    private static Map<String, Object> snapshot(CveSnapshotDTO s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("result", s.result());
        out.put("started", Times.iso(s.started()));
        out.put("finished", Times.iso(s.finished()));
        out.put("origin", s.origin());
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
