package io.debmonitor.ui.internal;

import static io.debmonitor.ui.internal.UiTestSupport.LOGGED_IN;
import static io.debmonitor.ui.internal.UiTestSupport.NOW;
import static io.debmonitor.ui.internal.UiTestSupport.config;
import static io.debmonitor.ui.internal.UiTestSupport.get;
import static io.debmonitor.ui.internal.UiTestSupport.html;
import static io.debmonitor.ui.internal.UiTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.junit.Test;
import org.mockito.invocation.InvocationOnMock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.KernelDTO;
import io.debmonitor.core.model.api.KernelService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.SearchResultDTO;
import io.debmonitor.core.model.api.SearchService;
import io.debmonitor.core.model.api.SourcePackageService;
import io.debmonitor.core.model.api.SourcePackageSummaryDTO;
import io.debmonitor.core.model.api.SourceVersionDTO;
import io.debmonitor.core.model.api.StorageUnavailableException;

/** {@code ?format=csv} and {@code ?format=jsonl} on the table pages (issue #13), through the kernels and other resources. */
public class TableExportTest {

    /** Chunks of 2 rows: ui.maxPageSize is smaller than the export's own chunk size. */
    private static final int CHUNK = 2;

    private final KernelService kernels = mock(KernelService.class);
    private Pages pages = UiTestSupport.pages(config("ui_maxPageSize", CHUNK, "ui_pageSize", CHUNK));
    private KernelResource resource = new KernelResource(kernels, pages);

    /** Five kernels whose names need CSV quoting: a comma, quotes, a line break. */
    private static final List<KernelDTO> KERNELS = List.of(
            new KernelDTO(3, "a", "Debian 12", "#1 SMP Debian 6.1.140-1 (2025-05-22)", 4),
            new KernelDTO(3, "b", "Debian 12", "comma, inside", 3),
            new KernelDTO(3, "c", "Debian 12", "say \"quoted\"", 2),
            new KernelDTO(3, "d", "Debian 12", "two\nlines", 1),
            new KernelDTO(4, "e", "Debian 13", "plain", 0));

    /** The service pages through {@code rows} as the database would. */
    private static <T> PageDTO<T> slice(List<T> rows, PageRequest request) {
        int from = (int) Math.min(rows.size(), request.offset());
        return new PageDTO<>(request.page(), request.size(), rows.size(), rows.subList(from, Math.min(rows.size(), from + request.size())));
    }

    private void kernelsAre(List<KernelDTO> rows) {
        doAnswer((InvocationOnMock call) -> slice(rows, call.getArgument(2))).when(kernels).list(any(), any(), any());
    }

    private static String body(Response response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) response.getEntity()).write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<List<String>> parseCsv(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(csv)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    public void csvHoldsEveryRowOnceAcrossChunksEachOneServiceCall() throws IOException {
        kernelsAre(KERNELS);
        Response response = resource.kernels(get("/kernels/?q=e&os=Debian&sort=hosts&dir=desc&format=csv"));
        assertEquals(200, response.getStatus());
        assertEquals(MediaType.valueOf("text/csv; charset=utf-8"), response.getMediaType());
        assertEquals("attachment; filename=\"kernels.csv\"", response.getHeaderString("Content-Disposition"));
        // the first chunk ran before answering, the others wait for the stream
        verify(kernels).list("e", "Debian", new PageRequest(1, CHUNK, "hosts", true));
        verify(kernels, times(1)).list(any(), any(), any());

        String csv = body(response);
        verify(kernels).list("e", "Debian", new PageRequest(2, CHUNK, "hosts", true));
        verify(kernels).list("e", "Debian", new PageRequest(3, CHUNK, "hosts", true));
        verify(kernels, times(3)).list(any(), any(), any());
        assertTrue(csv, csv.startsWith("os,name,hosts\r\n"));
        assertTrue(csv, csv.contains("\r\nDebian 12,\"comma, inside\",3\r\n"));
        assertTrue(csv, csv.contains("\r\nDebian 12,\"say \"\"quoted\"\"\",2\r\n"));
        assertTrue(csv, csv.contains("\r\nDebian 12,\"two\nlines\",1\r\n"));
        assertEquals(List.of(List.of("os", "name", "hosts"), List.of("Debian 12", "#1 SMP Debian 6.1.140-1 (2025-05-22)", "4"),
                List.of("Debian 12", "comma, inside", "3"), List.of("Debian 12", "say \"quoted\"", "2"), List.of("Debian 12", "two\nlines", "1"),
                List.of("Debian 13", "plain", "0")), parseCsv(csv));
    }

    @Test
    public void aLastFullChunkTakesOneMoreCallThatComesBackEmpty() throws IOException {
        kernelsAre(KERNELS.subList(0, 4));
        Response response = resource.kernels(get("/kernels/?format=csv"));
        assertEquals(5, parseCsv(body(response)).size());
        verify(kernels).list(null, null, new PageRequest(3, CHUNK, null, false));
        verify(kernels, times(3)).list(any(), any(), any());
    }

    @Test
    public void jsonLinesKeepEveryKeyOneObjectALine() throws IOException {
        kernelsAre(KERNELS);
        Response response = resource.kernels(get("/kernels/?format=jsonl"));
        assertEquals(MediaType.valueOf("application/x-ndjson; charset=utf-8"), response.getMediaType());
        assertEquals("attachment; filename=\"kernels.jsonl\"", response.getHeaderString("Content-Disposition"));
        String jsonl = body(response);
        assertTrue(jsonl, jsonl.endsWith("}\n"));
        String[] lines = jsonl.split("\n");
        assertEquals(5, lines.length);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode third = mapper.readTree(lines[2]);
        assertEquals("os,name,url,hosts", UiTestSupport.keys(third));
        assertEquals("say \"quoted\"", third.get("name").asText());
        assertEquals("/kernels/3_c", third.get("url").asText());
        assertEquals("two\nlines", mapper.readTree(lines[3]).get("name").asText());
        assertEquals(0, mapper.readTree(lines[4]).get("hosts").asLong());
    }

    @Test
    public void nestedValuesAreCompactJsonCells() throws IOException {
        SourcePackageService sources = mock(SourcePackageService.class);
        SourcePackageResource sourceResource = new SourcePackageResource(sources, pages);
        when(sources.list(any(), any(), any())).thenReturn(new PageDTO<>(1, CHUNK, 1, List.of(
                new SourcePackageSummaryDTO("gcc-12", 2, List.of("Debian 11", "Debian 12")))));
        String csv = body(sourceResource.sourcePackages(get("/source-packages/?format=csv")));
        assertEquals("name,versions,oses\r\ngcc-12,2,\"[\"\"Debian 11\"\",\"\"Debian 12\"\"]\"\r\n", csv);

        when(sources.versions(eq("gcc-12"), any(), any())).thenReturn(new PageDTO<>(1, CHUNK, 1, List.of(
                new SourceVersionDTO("Debian 12", "12.2.0-14", List.of("cpp-12")))));
        Response detail = sourceResource.sourcePackage("gcc-12", get("/source-packages/gcc-12?format=csv"));
        assertEquals("attachment; filename=\"source-packages-gcc-12.csv\"", detail.getHeaderString("Content-Disposition"));
        assertEquals("os,version,binaries\r\nDebian 12,12.2.0-14,\"[{\"\"name\"\":\"\"cpp-12\"\",\"\"url\"\":\"\"/packages/cpp-12\"\"}]\"\r\n",
                body(detail));
    }

    @Test
    public void detailPagesExportTheirTable() throws IOException {
        KernelDTO kernel = KERNELS.get(0);
        when(kernels.find("3_a")).thenReturn(Optional.of(kernel));
        List<EntityDTO> hosts = List.of(host("db1001.example.org"), host("db1002.example.org"), host("db1003.example.org"));
        when(kernels.hosts(eq("3_a"), any(), any())).thenAnswer((InvocationOnMock call) -> slice(hosts, call.getArgument(2)));
        Response response = resource.kernel("3_a", get("/kernels/3_a?q=db&sort=name&format=csv"));
        assertEquals("attachment; filename=\"kernels-3_a.csv\"", response.getHeaderString("Content-Disposition"));
        assertEquals("name,release,modified\r\ndb1001.example.org,6.1.0-37-amd64,2025-07-03T17:10:09.483Z\r\n"
                + "db1002.example.org,6.1.0-37-amd64,2025-07-03T17:10:09.483Z\r\ndb1003.example.org,6.1.0-37-amd64,2025-07-03T17:10:09.483Z\r\n",
                body(response));
        verify(kernels).hosts("3_a", "db", new PageRequest(2, CHUNK, "name", false));
    }

    private static EntityDTO host(String name) {
        return new EntityDTO(EntityKind.HOST, name, "Debian 12", "#1", "6.1.0-37-amd64", NOW, NOW, 1, 0, 0, 0);
    }

    @Test
    public void pageAndSizeAreRefused() {
        for (String parameter : List.of("page=2", "size=10", "page=1&size=2")) {
            JsonNode refused = json(resource.kernels(get("/kernels/?format=csv&" + parameter)), 400);
            assertEquals("format=csv takes no page or size: an export holds every row.", refused.get("error").asText());
        }
        assertEquals("format=jsonl takes no page or size: an export holds every row.",
                json(resource.kernels(get("/kernels/?size=5&format=jsonl")), 400).get("error").asText());
        verifyNoInteractions(kernels);
    }

    @Test
    public void onlyPagesWithATableOfferTheExports() {
        SearchService searchService = mock(SearchService.class);
        when(searchService.search(anyString(), any(), anyInt())).thenReturn(new SearchResultDTO("libc", Map.of()));
        SearchResource search = new SearchResource(searchService, mock(CveFleetService.class), pages);
        assertEquals("This page offers no csv export; format must be html or json.",
                json(search.search(get("/search?q=libc&format=csv")), 400).get("error").asText());
        assertEquals("This page offers no jsonl export; format must be html or json.",
                json(search.search(get("/search?q=libc&format=jsonl")), 400).get("error").asText());
        assertEquals("Unknown format 'xml'; format must be html or json.",
                json(search.search(UiTestSupport.getJson("/search?q=libc&format=xml")), 400).get("error").asText());

        // a table page names them when it refuses another format
        assertEquals("Unknown format 'xml'; format must be html, json, csv or jsonl.",
                json(resource.kernels(UiTestSupport.getJson("/kernels/?format=xml")), 400).get("error").asText());
        assertTrue(html(resource.kernels(get("/kernels/?format=xml")), 400).contains("Unknown format"));
        assertEquals("This page offers no cyclonedx export; format must be html, json, csv or jsonl.",
                json(resource.kernels(UiTestSupport.getJson("/kernels/?format=cyclonedx")), 400).get("error").asText());
        verifyNoInteractions(kernels);
    }

    @Test
    public void aFailingFirstChunkIsTheUsualErrorResponse() {
        when(kernels.list(any(), any(), any())).thenThrow(new StorageUnavailableException("down", null));
        Response unavailable = resource.kernels(get("/kernels/?format=csv"));
        assertEquals("The database is unavailable; try again in a few seconds.", json(unavailable, 503).get("error").asText());
        assertEquals("5", unavailable.getHeaderString("Retry-After"));

        when(kernels.find(anyString())).thenReturn(Optional.empty());
        assertEquals("No kernel '9_x'.", json(resource.kernel("9_x", get("/kernels/9_x?format=jsonl")), 404).get("error").asText());
        assertEquals("Unknown sort key 'bogus'; one of hosts, name, os.",
                json(resource.kernels(get("/kernels/?format=csv&sort=bogus")), 400).get("error").asText());
        // exports are refused as the page's JSON is
        assertEquals(403, resource.kernels(get("/kernels/?format=csv", UiTestSupport.ANONYMOUS, null)).getStatus());
    }

    @Test
    public void aChunkThatFailsLaterEndsTheFileWithAnIncompleteLine() throws IOException {
        when(kernels.list(any(), any(), any())).thenAnswer((InvocationOnMock call) -> {
            PageRequest request = call.getArgument(2);
            if (request.page() == 2) {
                throw new StorageUnavailableException("down", null);
            }
            return slice(KERNELS, request);
        });
        String csv = body(resource.kernels(get("/kernels/?format=csv")));
        assertEquals("os,name,hosts\r\nDebian 12,#1 SMP Debian 6.1.140-1 (2025-05-22),4\r\nDebian 12,\"comma, inside\",3\r\n"
                + "ERROR: the export stopped after 2 rows and is incomplete: The database is unavailable; try again in a few seconds.\r\n", csv);
        String jsonl = body(resource.kernels(get("/kernels/?format=jsonl")));
        String[] lines = jsonl.split("\n");
        assertEquals(3, lines.length);
        assertEquals("{\"error\":\"the export stopped after 2 rows and is incomplete: The database is unavailable; try again in a few seconds.\"}",
                lines[2]);
        // both streams gave their slot back
        pages.modified(config("ui_maxPageSize", CHUNK, "ui_pageSize", CHUNK, "ui_maxConcurrentExports", 1));
        assertEquals(200, resource.kernels(get("/kernels/?format=csv")).getStatus());
    }

    @Test
    public void exportsBeyondTheLimitAre503UntilOneEnds() throws IOException {
        pages = UiTestSupport.pages(config("ui_maxPageSize", CHUNK, "ui_pageSize", CHUNK, "ui_maxConcurrentExports", 1));
        resource = new KernelResource(kernels, pages);
        kernelsAre(KERNELS);
        Response running = resource.kernels(get("/kernels/?format=csv"));
        assertEquals(200, running.getStatus());

        Response refused = resource.kernels(get("/kernels/?format=jsonl"));
        assertEquals("Too many downloads are running (at most 1 at a time); try again in a few seconds.", json(refused, 503).get("error").asText());
        assertEquals("5", refused.getHeaderString("Retry-After"));
        verify(kernels, times(1)).list(any(), any(), any());
        // the pages themselves are not limited
        json(resource.kernels(UiTestSupport.getJson("/kernels/")));

        body(running);
        Response next = resource.kernels(get("/kernels/?format=jsonl"));
        assertEquals(200, next.getStatus());
        body(next);
        // a refused export and a HEAD request hold no slot
        assertEquals(400, resource.kernels(get("/kernels/?format=csv&page=2")).getStatus());
        HttpServletRequest head = get("/kernels/?format=csv");
        when(head.getMethod()).thenReturn("HEAD");
        Response headers = resource.kernels(head);
        assertEquals(200, headers.getStatus());
        assertNull(headers.getEntity());
        assertEquals("attachment; filename=\"kernels.csv\"", headers.getHeaderString("Content-Disposition"));
        assertEquals(200, resource.kernels(get("/kernels/?format=csv")).getStatus());
    }

    @Test
    public void theLimitIsASetting() {
        assertEquals(4, UiSettings.of(config()).maxConcurrentExports);
        assertEquals(64, UiSettings.of(config("ui_maxConcurrentExports", 64)).maxConcurrentExports);
        for (int bad : new int[] {0, 65}) {
            try {
                UiSettings.of(config("ui_maxConcurrentExports", bad));
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertEquals("Invalid io.debmonitor.ui configuration: ui.maxConcurrentExports must be between 1 and 64, got " + bad, e.getMessage());
            }
        }
    }

    @Test
    public void tablesLinkTheirDownloadsWithFiltersAndSort() {
        kernelsAre(KERNELS);
        String html = html(resource.kernels(get("/kernels/?q=SMP&sort=hosts&dir=desc&size=2&page=2")));
        assertTrue(html, html.contains("<p class=\"downloads\">Download <a href=\"/kernels/?q=SMP&amp;sort=hosts&amp;dir=desc&amp;format=csv\" download>CSV</a>"
                + " · <a href=\"/kernels/?q=SMP&amp;sort=hosts&amp;dir=desc&amp;format=jsonl\" download>JSON Lines</a></p>"));
        kernelsAre(List.of());
        assertFalse("nothing to download", html(resource.kernels(get("/kernels/"))).contains("Download"));
    }

    @Test
    public void anEmptyTableIsAnEmptyFile() throws IOException {
        kernelsAre(List.of());
        assertEquals("", body(resource.kernels(get("/kernels/?format=csv"))));
        assertEquals("", body(resource.kernels(get("/kernels/?format=jsonl", LOGGED_IN, null))));
        verify(kernels, never()).list(any(), any(), eq(new PageRequest(2, CHUNK, null, false)));
    }

    @Test
    public void fileNamesKeepOnlySafeCharacters() {
        assertEquals("hosts.csv", TableExport.fileName("/hosts/", "csv"));
        assertEquals("hosts-db1001.example.org.jsonl", TableExport.fileName("/hosts/db1001.example.org", "jsonl"));
        assertEquals("packages-libstdc++6.csv", TableExport.fileName("/packages/libstdc++6", "csv"));
        assertEquals("images-registry.example.org_wikimedia_mediawiki_1.2.3-1.csv",
                TableExport.fileName("/images/registry.example.org/wikimedia/mediawiki:1.2.3-1", "csv"));
        assertEquals("hosts-_3Cscript_3E_22.csv", TableExport.fileName("/hosts/%3Cscript%3E%22", "csv"));
    }
}
