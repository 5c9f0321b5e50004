package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.ANONYMOUS;
import static io.debmonitor.ui.internal.UiTestSupport.CERTIFICATE;
import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.getJson;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static io.debmonitor.ui.internal.UiTestSupport.keys;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.SessionDTO;

/** {@code /cve-feed/}: the active snapshot and the recent imports, and the upload of a feed (CVE.md §2.2). */
public class CveFeedResourceTest {

    private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";
    private static final String JSON = "application/json";
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    private static final SessionDTO ADMIN_SESSION = new SessionDTO("admin-token", "root", Set.of("admin", "viewer"), "csrf-root", NOW, NOW);
    private static final CallerDTO ADMIN = new CallerDTO(Set.of(), null, true, ADMIN_SESSION);
    private static final CveSnapshotDTO IMPORTED = new CveSnapshotDTO(4, NOW, NOW, "upload:root", null, "ef".repeat(32), "active",
            List.of("bookworm"), Map.of("bookworm", 12L), 1, null, 12L, 0L, 0L);

    private final CveFeedService feed = mock(CveFeedService.class);
    private final CveFetchService fetch = mock(CveFetchService.class);
    private final CveFeedResource resource = new CveFeedResource(feed, fetch, UiTestSupport.pages(config()));
    /** What the fake import read: the file's bytes by origin, and the files it was given. */
    private final Map<String, byte[]> imported = new LinkedHashMap<>();
    private final List<Path> importedFiles = new ArrayList<>();

    @Before
    public void setUp() {
        when(feed.importFeed(any(), anyString())).thenAnswer(call -> {
            Path file = call.getArgument(0);
            importedFiles.add(file);
            imported.put(call.getArgument(1), Files.readAllBytes(file));
            return IMPORTED;
        });
    }

    @Test
    public void theActiveSnapshotAndRecentChecks() {
        CveSnapshotDTO active = new CveSnapshotDTO(2, NOW, NOW, "file:/var/tmp/json", null, "ab".repeat(32), "active", List.of("bookworm", "sid"),
                Map.of("bookworm", 40L, "sid", 30L), 0, null, 1L, 2L, 3L);
        CveSnapshotDTO failed = new CveSnapshotDTO(3, NOW, NOW, "file:/tmp/<x>.json", null, "cd".repeat(32), "failed", List.of(), Map.of(), 0,
                "The feed is not valid JSON (truncated?): <eof>", null, null, null);
        when(feed.active()).thenReturn(Optional.of(active));
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of(failed, active));
        JsonNode json = json(resource.cveFeed(getJson("/cve-feed/")));
        assertEquals("active,imports,lists,fetch", keys(json));
        assertEquals(2, json.get("active").get("id").asInt());
        assertEquals(40, json.get("active").get("rows").get("bookworm").asInt());
        assertEquals("failed", json.get("imports").get(0).get("result").asText());
        String page = html(resource.cveFeed(get("/cve-feed/")));
        assertTrue(page, page.contains("bookworm (40 rows)"));
        assertTrue(page, page.contains("1 added, 2 removed, 3 changed"));
        assertTrue("escaped", page.contains("file:/tmp/&lt;x&gt;.json"));
        assertEquals(301, resource.cveFeed(get("/cve-feed")).getStatus());
        assertEquals(400, resource.cveFeed(getJson("/cve-feed/?page=2")).getStatus());

        when(feed.active()).thenReturn(Optional.empty());
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of());
        assertTrue(json(resource.cveFeed(getJson("/cve-feed/"))).get("active").isNull());
        assertTrue(html(resource.cveFeed(get("/cve-feed/"))).contains("No feed imported yet"));
    }

    @Test
    public void anAdminUploadIsImportedAndTheBrowserSentBackToThePage() throws IOException {
        byte[] content = feedBytes();
        int before = temporaryFiles();
        // The longest file name a Linux file system has still fits in FileUpload's 512 bytes of part headers.
        Response response = upload(resource, ADMIN, HTML, new Form().field("csrf", "csrf-root")
                .file("feed", "n".repeat(248) + ".json.gz", content).file("dsa", "", new byte[0]).file("dla", "", new byte[0]).file("distributions", "", new byte[0]).bytes());
        assertEquals(303, response.getStatus());
        assertEquals("/cve-feed/", response.getHeaderString("Location"));
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        assertEquals(List.of("upload:root"), List.copyOf(imported.keySet()));
        assertArrayEquals(content, imported.get("upload:root"));
        assertFalse("the temporary file is deleted", Files.exists(importedFiles.get(0)));
        assertEquals(before, temporaryFiles());
    }

    @Test
    public void theJsonAnswerIsTheSnapshotAsThePageShowsIt() {
        when(feed.active()).thenReturn(Optional.of(IMPORTED));
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of(IMPORTED));
        JsonNode page = json(resource.cveFeed(getJson("/cve-feed/")));
        byte[] body = new Form().field("csrf", "csrf-root").file("feed", "json", "{}".getBytes(UTF_8)).bytes();
        JsonNode answer = json(upload(resource, ADMIN, JSON, body));
        assertEquals("id,result,started,finished,origin,last_modified,sha256,releases,rows,skipped,error,added,removed,changed", keys(answer));
        assertEquals(page.get("active"), answer);
        // ?format=json, and a body of unknown length (chunked), as a script would send it.
        assertEquals(answer, json(upload(resource, ADMIN, "/cve-feed/upload?format=json", HTML, body, false)));
        assertEquals("This page offers no csv export; format must be html or json.",
                json(upload(resource, ADMIN, "/cve-feed/upload?format=csv", JSON, body, true), 400).get("error").asText());
    }

    @Test
    public void onlyAnAdminSessionWithItsTokenMayUpload() {
        byte[] feedBytes = "{}".getBytes(UTF_8);
        byte[] good = new Form().field("csrf", "csrf-root").file("feed", "json", feedBytes).bytes();
        assertTrue(html(upload(resource, ANONYMOUS, HTML, good), 403).contains("Only an administrator&#39;s UI session may upload a feed."));
        assertEquals(CveFeedResource.ADMINS_ONLY, json(upload(resource, CERTIFICATE, JSON, good), 403).get("error").asText());
        // A viewer's session, with its own token.
        byte[] viewer = new Form().field("csrf", "csrf-abc").file("feed", "json", feedBytes).bytes();
        assertEquals(CveFeedResource.ADMINS_ONLY, json(upload(resource, LOGGED_IN, JSON, viewer), 403).get("error").asText());
        for (byte[] forged : List.of(
                new Form().field("csrf", "csrf-abc").file("feed", "json", feedBytes).bytes(),
                new Form().field("csrf", "").file("feed", "json", feedBytes).bytes(),
                new Form().field("csrf", "csrf-root" + "x".repeat(300)).file("feed", "json", feedBytes).bytes(),
                new Form().file("feed", "json", feedBytes).field("csrf", "csrf-root").bytes(),
                new Form().file("feed", "json", feedBytes).bytes(),
                new Form().bytes())) {
            assertEquals(CveFeedResource.NO_TOKEN, json(upload(resource, ADMIN, JSON, forged), 403).get("error").asText());
        }
        assertTrue(html(upload(resource, ADMIN, HTML, new Form().field("csrf", "wrong").bytes()), 403).contains("CSRF token"));
        verify(feed, never()).importFeed(any(), anyString());
    }

    @Test
    public void anEmptyUploadOrABadFeedIs400() throws IOException {
        int before = temporaryFiles();
        byte[] empty = new byte[0];
        Map<byte[], String> bad = new LinkedHashMap<>();
        bad.put(new Form().field("csrf", "csrf-root").file("feed", "", empty).bytes(), CveFeedResource.NO_FEED);
        bad.put(new Form().field("csrf", "csrf-root").bytes(), CveFeedResource.NO_FEED);
        bad.put(new Form().field("csrf", "csrf-root").file("feed", "", empty).file("dsa", "", empty).file("dla", "", empty)
                .file("distributions", "", empty).bytes(), CveFeedResource.NO_FEED);
        bad.put(new Form().field("csrf", "csrf-root").field("url", "https://example.org/json").bytes(), "Unknown form field 'url'.");
        bad.put(new Form().field("csrf", "csrf-root").file("feed", "a", "{}".getBytes(UTF_8)).file("feed", "b", "{}".getBytes(UTF_8)).bytes(),
                "The form has more than one feed field.");
        byte[] cut = new Form().field("csrf", "csrf-root").file("feed", "json", "{}".getBytes(UTF_8)).bytes();
        bad.put(Arrays.copyOf(cut, cut.length - 10), "The upload is not a valid multipart/form-data body: Stream ended unexpectedly.");
        // FileUpload reports a part's headers over its limit (512 bytes) as SizeLimitExceededException: not the upload's 413.
        bad.put(new String(cut, UTF_8).replace("Content-Disposition: form-data; name=\"feed\"", "X: " + "x".repeat(500)
                + "\r\nContent-Disposition: form-data; name=\"feed\"").getBytes(UTF_8),
                "The upload is not a valid multipart/form-data body: Header section has more than 512 bytes (maybe it is not properly terminated).");
        for (Map.Entry<byte[], String> e : bad.entrySet()) {
            assertEquals(e.getValue(), json(upload(resource, ADMIN, JSON, e.getKey()), 400).get("error").asText());
        }
        verify(feed, never()).importFeed(any(), anyString());
        verify(feed, never()).importList(any(), any(), anyString(), any());

        HttpServletRequest urlEncoded = post("/cve-feed/upload", ADMIN, JSON, "csrf=csrf-root".length());
        when(urlEncoded.getContentType()).thenReturn("application/x-www-form-urlencoded");
        assertEquals("The upload must be multipart/form-data, with a boundary.",
                json(resource.upload(urlEncoded, new ByteArrayInputStream("csrf=csrf-root".getBytes(UTF_8))), 400).get("error").asText());
        // The client went away in the middle of the feed: its fault, not the server's.
        HttpServletRequest goneAway = post("/cve-feed/upload", ADMIN, JSON, cut.length);
        when(goneAway.getContentType()).thenReturn("multipart/form-data; boundary=" + BOUNDARY);
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream(cut, 0, cut.length - 10), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Early EOF");
            }
        });
        assertEquals("The upload could not be read: Early EOF", json(resource.upload(goneAway, broken), 400).get("error").asText());

        String invalid = "The feed is not valid JSON (truncated?): <eof>";
        doThrow(new IllegalArgumentException(invalid)).when(feed).importFeed(any(), anyString());
        byte[] body = new Form().field("csrf", "csrf-root").file("feed", "json", "{\"openssl\":".getBytes(UTF_8)).bytes();
        assertEquals(invalid, json(upload(resource, ADMIN, JSON, body), 400).get("error").asText());
        assertTrue(html(upload(resource, ADMIN, HTML, body), 400).contains("The feed is not valid JSON (truncated?): &lt;eof&gt;"));
        assertEquals(before, temporaryFiles());
    }

    @Test
    public void anImportAlreadyRunningIs409() {
        String running = "A CVE feed import is already running; try again when it has ended.";
        doThrow(new IllegalStateException(running)).when(feed).importFeed(any(), anyString());
        byte[] body = new Form().field("csrf", "csrf-root").file("feed", "json", "{}".getBytes(UTF_8)).bytes();
        assertEquals(running, json(upload(resource, ADMIN, JSON, body), 409).get("error").asText());
        assertTrue(html(upload(resource, ADMIN, HTML, body), 409).contains(running));
    }

    @Test
    public void anUploadOverCveMaxUploadBytesIs413() throws IOException {
        int before = temporaryFiles();
        CveFeedResource small = new CveFeedResource(feed, fetch, UiTestSupport.pages(config("cve_maxUploadBytes", 10_000L)));
        byte[] fits = new Form().field("csrf", "csrf-root").file("feed", "json", new byte[9_000]).bytes();
        byte[] over = new Form().field("csrf", "csrf-root").file("feed", "json", new byte[10_000]).bytes();
        String tooLarge = "The upload is larger than 10000 bytes (cve.maxUploadBytes).";
        // Refused on its declared length, before the body is read; or, sent chunked, once 10000 bytes were read
        // (while the feed is copied: FileUpload reads the body 4096 bytes at a time).
        assertEquals(tooLarge, json(upload(small, ADMIN, "/cve-feed/upload", JSON, over, true), 413).get("error").asText());
        assertEquals(tooLarge, json(upload(small, ADMIN, "/cve-feed/upload", JSON, over, false), 413).get("error").asText());
        assertTrue(html(upload(small, ADMIN, "/cve-feed/upload", HTML, over, false), 413).contains(tooLarge));
        verify(feed, never()).importFeed(any(), anyString());
        assertEquals(303, upload(small, ADMIN, "/cve-feed/upload", HTML, fits, false).getStatus());
        assertEquals(before, temporaryFiles());
    }

    @Test
    public void theFormIsShownToAdminSessionsOnly() {
        when(feed.active()).thenReturn(Optional.empty());
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of());
        String page = html(resource.cveFeed(get("/cve-feed/", ADMIN, HTML)));
        assertTrue(page, page.contains("<form class=\"card filters\" method=\"post\" action=\"/cve-feed/upload\" enctype=\"multipart/form-data\">"));
        assertTrue(page, page.indexOf("name=\"csrf\" value=\"csrf-root\"") < page.indexOf("name=\"feed\" type=\"file\""));
        assertTrue(page, page.contains("<button type=\"submit\">Import</button>"));
        assertTrue(page, page.contains("or upload it below"));
        for (CallerDTO caller : List.of(LOGGED_IN, CERTIFICATE)) {
            String other = html(resource.cveFeed(get("/cve-feed/", caller, HTML)));
            assertFalse(other, other.contains("/cve-feed/upload"));
            assertFalse(other, other.contains("upload it below"));
        }
    }

    private static CveListImportDTO listImport(long id, CveListKind kind, String result, long entries, String error) {
        return new CveListImportDTO(id, kind, NOW, NOW, "upload:root", null, "cd".repeat(32), entries, 0, result, error);
    }

    @Test
    public void theSideFilesAreUploadedWithOrWithoutAFeed() throws IOException {
        Map<CveListKind, byte[]> lists = new LinkedHashMap<>();
        when(feed.importList(any(), any(), anyString(), any())).thenAnswer(call -> {
            CveListKind kind = call.getArgument(0);
            Path file = call.getArgument(1);
            importedFiles.add(file);
            lists.put(kind, Files.readAllBytes(file));
            assertEquals("upload:root", call.getArgument(2));
            return listImport(kind.ordinal() + 10, kind, "active", 2, null);
        });
        int before = temporaryFiles();
        byte[] dsa = "[07 Feb 2023] DSA-5343-1 openssl - security update\n\t{CVE-2023-0286}\n".getBytes(UTF_8);
        byte[] distributions = "{\"bookworm\": {\"major-version\": \"12\"}}".getBytes(UTF_8);
        byte[] body = new Form().field("csrf", "csrf-root").file("feed", "", new byte[0]).file("dsa", "list", dsa).file("dla", "", new byte[0])
                .file("distributions", "distributions.json", distributions).bytes();
        JsonNode answer = json(upload(resource, ADMIN, JSON, body));
        assertEquals("lists", keys(answer));
        assertEquals("distributions.json first, as the fetch imports them", List.of(CveListKind.DISTRIBUTIONS, CveListKind.DSA),
                List.copyOf(lists.keySet()));
        assertArrayEquals(dsa, lists.get(CveListKind.DSA));
        assertArrayEquals(distributions, lists.get(CveListKind.DISTRIBUTIONS));
        assertEquals("kind,id,result,started,finished,origin,last_modified,sha256,entries,skipped,error", keys(answer.get("lists").get(0)));
        assertEquals("distributions", answer.get("lists").get(0).get("kind").asText());
        assertEquals("dsa", answer.get("lists").get(1).get("kind").asText());
        verify(feed, never()).importFeed(any(), anyString());
        assertEquals(303, upload(resource, ADMIN, HTML, body).getStatus());

        // With a feed: the snapshot, then the lists.
        lists.clear();
        JsonNode both = json(upload(resource, ADMIN, JSON, new Form().field("csrf", "csrf-root").file("feed", "json", "{}".getBytes(UTF_8))
                .file("dla", "DLA", "[31 Jan 2024] DLA-3725-1 libde265 - security update\n".getBytes(UTF_8)).bytes()));
        assertEquals("id,result,started,finished,origin,last_modified,sha256,releases,rows,skipped,error,added,removed,changed,lists", keys(both));
        assertEquals(List.of(CveListKind.DLA), List.copyOf(lists.keySet()));
        assertEquals(List.of("upload:root"), List.copyOf(imported.keySet()));
        assertTrue("every temporary file is deleted", importedFiles.stream().noneMatch(Files::exists));
        assertEquals(before, temporaryFiles());

        // A list that is none: 400 with its one line; another import running: 409.
        doThrow(new IllegalArgumentException("The DSA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update')."))
                .when(feed).importList(any(), any(), anyString(), any());
        byte[] garbage = new Form().field("csrf", "csrf-root").file("dsa", "list", "<html>".getBytes(UTF_8)).bytes();
        assertEquals("The DSA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update').",
                json(upload(resource, ADMIN, JSON, garbage), 400).get("error").asText());
        doThrow(new IllegalStateException("An advisory list or distributions.json import is already running; try again when it has ended."))
                .when(feed).importList(any(), any(), anyString(), any());
        assertEquals(409, upload(resource, ADMIN, JSON, garbage).getStatus());
        assertEquals(before, temporaryFiles());
    }

    @Test
    public void aListThatFailsAfterTheFeedSaysTheFeedWasImported() {
        doThrow(new IllegalArgumentException("The DSA list holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update')."))
                .when(feed).importList(eq(CveListKind.DSA), any(), anyString(), any());
        byte[] body = new Form().field("csrf", "csrf-root").file("feed", "json", "{}".getBytes(UTF_8))
                .file("dsa", "list", "<html>".getBytes(UTF_8)).file("dla", "DLA", "[31 Jan 2024] DLA-3725-1 x\n".getBytes(UTF_8)).bytes();
        String expected = "Imported the feed (snapshot 4, active); not imported: the DSA list, the DLA list. The DSA list failed: The DSA list"
                + " holds no advisory (lines like '[07 Feb 2023] DSA-5343-1 openssl - security update').";
        assertEquals(expected, json(upload(resource, ADMIN, JSON, body), 400).get("error").asText());
        String page = html(upload(resource, ADMIN, HTML, body), 400);
        assertTrue(page, page.contains("Imported the feed (snapshot 4, active); not imported: the DSA list, the DLA list."));
        verify(feed, never()).importList(eq(CveListKind.DLA), any(), anyString(), any());

        // Another import running, after distributions.json: 409, saying what was imported.
        when(feed.importList(eq(CveListKind.DISTRIBUTIONS), any(), anyString(), any()))
                .thenReturn(listImport(9, CveListKind.DISTRIBUTIONS, "active", 2, null));
        doThrow(new IllegalStateException("An advisory list or distributions.json import is already running; try again when it has ended."))
                .when(feed).importList(eq(CveListKind.DSA), any(), anyString(), any());
        byte[] lists = new Form().field("csrf", "csrf-root").file("distributions", "d.json", "{}".getBytes(UTF_8))
                .file("dsa", "list", "<html>".getBytes(UTF_8)).bytes();
        assertEquals("Imported distributions.json (import 9, active); not imported: the DSA list. The DSA list failed: An advisory list or"
                + " distributions.json import is already running; try again when it has ended.", json(upload(resource, ADMIN, JSON, lists), 409)
                .get("error").asText());
    }

    @Test
    public void thePageShowsTheSideFilesImports() {
        when(feed.active()).thenReturn(Optional.of(IMPORTED));
        when(feed.history(CveFeedResource.RECENT)).thenReturn(List.of(IMPORTED));
        when(feed.lists()).thenReturn(List.of(
                new CveListImportDTO(3, CveListKind.DSA, NOW, NOW, "https://salsa.example.org/DSA/list", Instant.parse("2023-02-07T10:00:00Z"),
                        "ab".repeat(32), 5900, 1, "active", null),
                listImport(4, CveListKind.DSA, "failed", 0, "The DSA list must start with an advisory line like '[07 Feb 2023] <x>'."),
                listImport(5, CveListKind.DISTRIBUTIONS, "active", 6, null)));
        JsonNode lists = json(resource.cveFeed(getJson("/cve-feed/"))).get("lists");
        assertEquals(3, lists.size());
        assertEquals("as the snapshot's", "2023-02-07T10:00:00.000Z", lists.get(0).get("last_modified").asText());
        assertTrue(lists.get(1).get("last_modified").isNull());
        assertEquals(5900, lists.get(0).get("entries").asInt());
        assertEquals("failed", lists.get(1).get("result").asText());
        String page = html(resource.cveFeed(get("/cve-feed/", ADMIN, HTML)));
        assertTrue(page, page.contains("<td>DSA list</td><td>active</td>"));
        assertTrue(page, page.contains("5900 advisories"));
        assertTrue(page, page.contains("6 codenames"));
        assertTrue(page, page.contains("<td><time datetime=\"2023-02-07T10:00:00.000Z\" title=\"2023-02-07 10:00:00 UTC\">"));
        assertTrue("escaped", page.contains("&lt;x&gt;"));
        for (String field : List.of("feed", "dsa", "dla", "distributions")) {
            assertTrue(field, page.contains("<input id=\"" + field + "\" name=\"" + field + "\" type=\"file\">"));
        }
        when(feed.lists()).thenReturn(List.of());
        assertTrue(html(resource.cveFeed(get("/cve-feed/"))).contains("None imported: findings carry no advisory label"));
    }

    /** A POST of {@code body} to /cve-feed/upload, with its Content-Length. */
    private static Response upload(CveFeedResource resource, CallerDTO caller, String accept, byte[] body) {
        return upload(resource, caller, "/cve-feed/upload", accept, body, true);
    }

    /** A POST of a form, with its Content-Length or (as chunked) without. */
    private static Response upload(CveFeedResource resource, CallerDTO caller, String uri, String accept, byte[] body, boolean declared) {
        HttpServletRequest request = post(uri, caller, accept, declared ? body.length : -1);
        when(request.getContentType()).thenReturn("multipart/form-data; boundary=" + BOUNDARY);
        return resource.upload(request, new ByteArrayInputStream(body));
    }

    private static HttpServletRequest post(String uri, CallerDTO caller, String accept, long contentLength) {
        HttpServletRequest request = get(uri, caller, accept);
        when(request.getMethod()).thenReturn("POST");
        when(request.getContentLengthLong()).thenReturn(contentLength);
        return request;
    }

    /**
     * A feed file's bytes larger than the reader's buffer, holding what looks like the start of a
     * boundary (a CRLF, dashes, most of the boundary) without being one.
     */
    private static byte[] feedBytes() {
        byte[] noise = new byte[150_000];
        new Random(12).nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(noise);
        out.writeBytes(("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "\r\n-\r\n--").getBytes(UTF_8));
        out.writeBytes(noise);
        out.writeBytes("\r\n".getBytes(UTF_8));
        return out.toByteArray();
    }

    /** @return how many upload files are in the temporary directory now */
    private static int temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return (int) files.filter(f -> f.getFileName().toString().startsWith("debmonitor-cve-upload-")).count();
        }
    }

    /** A multipart/form-data body as a browser sends it, fields in the order added. */
    static final class Form {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            return part("form-data; name=\"" + name + "\"", null, value.getBytes(UTF_8));
        }

        Form file(String name, String fileName, byte[] content) {
            return part("form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"", "application/octet-stream", content);
        }

        private Form part(String disposition, String type, byte[] content) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n")
                    + "\r\n").getBytes(UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(out.toByteArray());
            body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(UTF_8));
            return body.toByteArray();
        }
    }
}
