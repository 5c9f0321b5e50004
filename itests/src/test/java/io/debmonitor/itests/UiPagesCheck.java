package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pages of SPEC §5 and their JSON twins over plain HTTPS, on H2 and MariaDB: shapes, counts
 * and orders against the seeded {@link Fleet}, paging and filters, the status codes of §5.1, the
 * access rules of §3.2 and the headers of §3.4. Part of {@link WebUiIT}.
 */
public class UiPagesCheck {

    @ClassRule
    public static final UiDistribution UI = UiDistribution.shared();

    private static final Fleet FLEET = Fleet.standard();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String NGINX_HOST = "app1002.eqiad.example.org";

    /** Every page, with its HTML title (SPEC §5.1: "<page title> - DebMonitor"). */
    private static final Map<String, String> PAGES = new LinkedHashMap<>();

    @BeforeClass
    public static void pages() throws Exception {
        PAGES.put("/", "DebMonitor - DebMonitor");
        PAGES.put("/hosts/", "Hosts - DebMonitor");
        PAGES.put("/hosts/" + NGINX_HOST, NGINX_HOST + " - DebMonitor");
        PAGES.put("/kernels/", "Kernels - DebMonitor");
        PAGES.put(kernelUrl(Fleet.KERNEL_12, Fleet.DEBIAN_12), Fleet.KERNEL_12 + " - DebMonitor");
        PAGES.put("/packages/", "Binary Packages - DebMonitor");
        PAGES.put("/packages/nginx", "nginx - DebMonitor");
        PAGES.put("/source-packages/", "Source Packages - DebMonitor");
        PAGES.put("/source-packages/openssl", "openssl - DebMonitor");
        PAGES.put("/images/", "Images - DebMonitor");
        PAGES.put("/kubernetes/", "Live Kubernetes Images - DebMonitor");
        PAGES.put("/search?q=ngi", "Search - DebMonitor");
    }

    private static HttpClient identity() {
        return UI.proxy();
    }

    private static JsonNode json(String path) throws Exception {
        return UI.json(identity(), path);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        return UI.get(identity(), path, headers);
    }

    /** The kernel page's URL, from the kernels list (its key holds the OS id). */
    private static String kernelUrl(String kernel, String os) throws Exception {
        for (JsonNode item : json("/kernels/?size=100").get("items")) {
            if (item.get("name").asText().equals(kernel) && item.get("os").asText().equals(os)) {
                return item.get("url").asText();
            }
        }
        throw new AssertionError("no kernel " + kernel + " on " + os);
    }

    private static List<String> texts(JsonNode items, String key) {
        List<String> texts = new ArrayList<>();
        items.forEach(item -> texts.add(item.get(key).asText()));
        return texts;
    }

    private static void assertTable(String page, JsonNode table, long total) {
        assertEquals(page + " table keys", List.of("page", "size", "total", "sort", "dir", "items"), fieldNames(table));
        assertEquals(page + " total", total, table.get("total").asLong());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    public void dashboardCountsMatchTheFleet() throws Exception {
        JsonNode dashboard = json("/");
        ObjectNode withoutTimes = dashboard.deepCopy();
        for (String kind : List.of("hosts", "images")) {
            ObjectNode counts = (ObjectNode) withoutTimes.get(kind);
            assertEquals(kind, List.of("total", "with_upgrades", "with_security", "latest_update", "oldest_update", "stale"), fieldNames(counts));
            // The fleet reported moments ago: nothing is stale yet.
            assertEquals(kind, 0, counts.get("stale").asLong());
            counts.remove(List.of("latest_update", "oldest_update", "stale"));
        }
        // The vulnerabilities card follows the CVE feed (CveIT, and the browser check's upload): its keys only.
        assertEquals(List.of("matrix", "fixable_high", "reboot_required", "not_assessed", "pending", "feed"), fieldNames(withoutTimes.get("cves")));
        withoutTimes.remove("cves");
        // Through text, so that both sides hold the same number node types.
        assertEquals(UiDistribution.JSON.readTree(FLEET.dashboard().toString()), withoutTimes);
        assertEquals(List.of("hosts", "images", "kernels", "kubernetes", "packages", "package_versions", "source_packages", "upgrades",
                "cves"),
                fieldNames(dashboard));
        String latest = dashboard.at("/hosts/latest_update").asText();
        String oldest = dashboard.at("/hosts/oldest_update").asText();
        assertTrue(latest, latest.matches(TIMESTAMP));
        assertTrue(oldest, oldest.matches(TIMESTAMP));
        assertTrue(oldest + " <= " + latest, oldest.compareTo(latest) <= 0);
        assertTrue(dashboard.at("/images/latest_update").isNull());
    }

    /** SPEC §5.1: the same URL gives JSON for format=json and for an Accept that lists JSON but not HTML. */
    @Test
    public void everyPageHasAJsonTwin() throws Exception {
        for (Map.Entry<String, String> page : PAGES.entrySet()) {
            String path = page.getKey();
            HttpResponse<String> html = get(path);
            assertEquals(path, 200, html.statusCode());
            assertTrue(path, Html.header(html, "Content-Type").startsWith("text/html"));
            assertEquals(path, page.getValue(), Html.title(html.body()));
            Html.assertSelfContained(path, html.body());

            JsonNode byFormat = json(path);
            HttpResponse<String> byAccept = get(path, "Accept", "application/json");
            assertEquals(path, 200, byAccept.statusCode());
            assertTrue(path, Html.header(byAccept, "Content-Type").startsWith("application/json"));
            assertEquals(path, byFormat, UiDistribution.JSON.readTree(byAccept.body()));

            HttpResponse<String> both = get(path, "Accept", "application/json, text/html;q=0.9");
            assertTrue(path, Html.header(both, "Content-Type").startsWith("text/html"));
            HttpResponse<String> forced = get(path + (path.contains("?") ? "&" : "?") + "format=html", "Accept", "application/json");
            assertTrue(path, Html.header(forced, "Content-Type").startsWith("text/html"));
            assertEquals(path, 200, UI.send(identity(), "HEAD", UI.httpsUrl(path), null).statusCode());
        }
    }

    @Test
    public void hostsTableIsPagedSortedAndFilteredOnTheServer() throws Exception {
        JsonNode all = json("/hosts/");
        assertTable("/hosts/", all, FLEET.hosts.size());
        assertEquals(FLEET.hostsInDefaultOrder(), texts(all.get("items"), "name"));
        assertEquals(50, all.get("size").asInt());
        JsonNode first = all.get("items").get(0);
        Fleet.Host host = FLEET.host(first.get("name").asText());
        assertEquals(Set.of("name", "url", "os", "kernel", "modified", "stale", "packages", "upgrades", "security", "cves", "cves_fixable"),
                new TreeSet<>(fieldNames(first)));
        assertFalse(first.get("stale").asBoolean());
        assertEquals("/hosts/" + Fleet.pathSegment(host.name()), first.get("url").asText());
        assertEquals(host.os(), first.get("os").asText());
        assertEquals(host.kernel(), first.get("kernel").asText());
        assertEquals(host.rows().size(), first.get("packages").asInt());
        assertEquals(host.upgrades(), first.get("upgrades").asLong());
        assertEquals(host.security(), first.get("security").asLong());
        assertTrue(first.get("modified").asText().matches(TIMESTAMP));

        List<String> order = FLEET.hostsInDefaultOrder();
        JsonNode second = json("/hosts/?size=10&page=2");
        assertEquals(2, second.get("page").asInt());
        assertEquals(10, second.get("size").asInt());
        assertEquals(order.subList(10, 20), texts(second.get("items"), "name"));
        assertEquals(order.subList(30, 31), texts(json("/hosts/?size=10&page=4").get("items"), "name"));
        JsonNode past = json("/hosts/?size=10&page=5");
        assertEquals(0, past.get("items").size());
        assertEquals(FLEET.hosts.size(), past.get("total").asInt());

        List<String> byName = FLEET.hosts.stream().map(Fleet.Host::name).sorted().collect(Collectors.toList());
        JsonNode ascending = json("/hosts/?sort=name");
        assertEquals("name", ascending.get("sort").asText());
        assertEquals("asc", ascending.get("dir").asText());
        assertEquals(byName, texts(ascending.get("items"), "name"));
        List<String> descending = new ArrayList<>(byName);
        Collections.reverse(descending);
        assertEquals(descending, texts(json("/hosts/?sort=name&dir=desc").get("items"), "name"));

        assertHosts("/hosts/?upgrades=security", h -> h.security() > 0);
        assertHosts("/hosts/?upgrades=upgradable", h -> h.upgrades() > 0);
        assertHosts("/hosts/?upgrades=all", h -> true);
        assertHosts("/hosts/?os=" + enc(Fleet.DEBIAN_11), h -> h.os().equals(Fleet.DEBIAN_11));
        assertHosts("/hosts/?q=" + enc("DEBIAN 11"), h -> h.os().equals(Fleet.DEBIAN_11));
        assertHosts("/hosts/?q=CACHE", h -> h.name().startsWith("cache"));
        assertHosts("/hosts/?q=codfw&upgrades=security", h -> h.name().contains("codfw") && h.security() > 0);
    }

    private static void assertHosts(String path, Predicate<Fleet.Host> filter) throws Exception {
        JsonNode page = json(path);
        List<String> expected = FLEET.hostsInDefaultOrder().stream().filter(name -> filter.test(FLEET.host(name))).collect(Collectors.toList());
        assertNotEquals(path, 0, expected.size());
        assertEquals(path, expected, texts(page.get("items"), "name"));
        assertEquals(path, expected.size(), page.get("total").asInt());
    }

    @Test
    public void hostDetailShowsSummaryAndPackagesSecurityFirst() throws Exception {
        Fleet.Host host = FLEET.host(NGINX_HOST);
        JsonNode detail = json("/hosts/" + NGINX_HOST);
        assertEquals(NGINX_HOST, detail.get("name").asText());
        assertEquals(host.os(), detail.get("os").asText());
        assertEquals(host.kernel(), detail.get("kernel").asText());
        assertEquals(host.release(), detail.get("kernel_release").asText());
        assertEquals(kernelUrl(host.kernel(), host.os()), detail.get("kernel_url").asText());
        assertTrue(detail.get("created").asText().matches(TIMESTAMP));
        assertTrue(detail.get("modified").asText().matches(TIMESTAMP));
        JsonNode packages = detail.get("packages");
        assertTable(NGINX_HOST, packages, host.rows().size());

        List<String> expected = host.rows().stream().sorted(Comparator.comparing((Fleet.Row r) -> !r.security())
                .thenComparing(r -> !r.upgradable()).thenComparing(Fleet.Row::name)).map(Fleet.Row::name).collect(Collectors.toList());
        assertEquals(expected, texts(packages.get("items"), "name"));
        for (JsonNode item : packages.get("items")) {
            Fleet.Row row = host.row(item.get("name").asText());
            assertEquals(Set.of("name", "url", "version", "upgrade", "upgrade_type"), new TreeSet<>(fieldNames(item)));
            assertEquals("/packages/" + row.name(), item.get("url").asText());
            assertEquals(row.version(), item.get("version").asText());
            assertEquals(row.upgrade(), item.get("upgrade").isNull() ? null : item.get("upgrade").asText());
            assertEquals(row.type(), item.get("upgrade_type").isNull() ? null : item.get("upgrade_type").asText());
        }
        List<String> security = host.rows().stream().filter(Fleet.Row::security).map(Fleet.Row::name).sorted().collect(Collectors.toList());
        assertEquals(security, texts(json("/hosts/" + NGINX_HOST + "?upgrades=security").at("/packages/items"), "name"));
        assertEquals(List.of("libssl3"), texts(json("/hosts/" + NGINX_HOST + "?q=SSL3").at("/packages/items"), "name"));

        List<String> byVersion = host.rows().stream().sorted((a, b) -> Fleet.compareVersions(a.version(), b.version()))
                .map(Fleet.Row::version).collect(Collectors.toList());
        assertEquals(byVersion, texts(json("/hosts/" + NGINX_HOST + "?sort=version").at("/packages/items"), "version"));
    }

    /** SPEC §2.5 and §5.2: versions in dpkg order in the summary, the counts per version, and the rows table. */
    @Test
    public void packageDetailListsVersionsInDpkgOrder() throws Exception {
        JsonNode detail = json("/packages/nginx");
        assertEquals("nginx", detail.get("name").asText());
        assertEquals(List.of("nginx"), texts(detail.get("sources"), "name"));
        assertEquals("/source-packages/nginx", detail.at("/sources/0/url").asText());
        List<Map.Entry<Fleet.Host, Fleet.Row>> rows = FLEET.rows().stream().filter(e -> e.getValue().name().equals("nginx"))
                .collect(Collectors.toList());
        assertEquals(List.of(Fleet.DEBIAN_11, Fleet.DEBIAN_12), texts(detail.get("oses"), "os"));
        for (JsonNode os : detail.get("oses")) {
            String name = os.get("os").asText();
            List<Map.Entry<Fleet.Host, Fleet.Row>> ofOs = rows.stream().filter(e -> e.getKey().os().equals(name)).collect(Collectors.toList());
            Set<String> versions = new TreeSet<>();
            ofOs.forEach(e -> {
                versions.add(e.getValue().version());
                if (e.getValue().upgradable()) {
                    versions.add(e.getValue().upgrade());
                }
            });
            assertEquals(name, Fleet.dpkgSorted(versions), texts(os.get("versions"), "version"));
            assertEquals(name, ofOs.size(), os.get("installed").asInt());
            assertEquals(name, ofOs.stream().filter(e -> e.getValue().upgradable()).count(), os.get("upgradable").asLong());
            for (JsonNode version : os.get("versions")) {
                String v = version.get("version").asText();
                assertEquals(name + " " + v, ofOs.stream().filter(e -> e.getValue().version().equals(v)).count(), version.get("installed").asLong());
                assertEquals(name + " " + v, ofOs.stream().filter(e -> v.equals(e.getValue().upgrade())).count(), version.get("upgradable").asLong());
            }
        }
        JsonNode debian12 = detail.get("oses").get(1);
        assertEquals(Fleet.NGINX_12, texts(debian12.get("versions"), "version"));

        JsonNode table = detail.get("rows");
        assertTable("/packages/nginx", table, rows.size());
        List<String> expected = rows.stream().sorted(Comparator.comparing((Map.Entry<Fleet.Host, Fleet.Row> e) -> e.getKey().os())
                        .thenComparing((a, b) -> Fleet.compareVersions(a.getValue().version(), b.getValue().version()))
                        .thenComparing(e -> e.getKey().name()))
                .map(e -> e.getKey().os() + " " + e.getValue().version() + " " + e.getKey().name()).collect(Collectors.toList());
        List<String> actual = new ArrayList<>();
        for (JsonNode item : table.get("items")) {
            assertEquals("host", item.get("kind").asText());
            assertEquals("/hosts/" + item.get("name").asText(), item.get("url").asText());
            actual.add(item.get("os").asText() + " " + item.get("version").asText() + " " + item.get("name").asText());
        }
        assertEquals(expected, actual);

        JsonNode oneVersion = json("/packages/nginx?os=" + enc(Fleet.DEBIAN_12) + "&version=" + enc("1.10~rc1-1"));
        assertEquals(rows.stream().filter(e -> e.getKey().os().equals(Fleet.DEBIAN_12) && e.getValue().version().equals("1.10~rc1-1")).count(),
                oneVersion.at("/rows/total").asLong());
        assertEquals(rows.stream().filter(e -> e.getValue().upgradable()).count(), json("/packages/nginx?upgrades=upgradable").at("/rows/total").asLong());
        assertEquals(0, json("/packages/nginx?kind=image").at("/rows/total").asLong());
        assertEquals(rows.size(), json("/packages/nginx?kind=host").at("/rows/total").asLong());
    }

    @Test
    public void sourcePackagesAndBinaryPackagesIndexes() throws Exception {
        JsonNode openssl = json("/source-packages/openssl");
        assertEquals("openssl", openssl.get("name").asText());
        Map<String, Set<String>> binaries = new LinkedHashMap<>();
        for (Fleet.Version version : FLEET.versions()) {
            if (version.source().equals("openssl")) {
                binaries.computeIfAbsent(version.os() + " " + version.version(), k -> new TreeSet<>()).add(version.name());
            }
        }
        List<String> expected = binaries.keySet().stream().sorted(Comparator.comparing((String k) -> k.substring(0, 9))
                .thenComparing((a, b) -> Fleet.compareVersions(a.substring(10), b.substring(10)))).collect(Collectors.toList());
        JsonNode versions = openssl.get("versions");
        assertTable("/source-packages/openssl", versions, expected.size());
        List<String> actual = new ArrayList<>();
        for (JsonNode item : versions.get("items")) {
            String key = item.get("os").asText() + " " + item.get("version").asText();
            actual.add(key);
            assertEquals(key, new ArrayList<>(binaries.get(key)), texts(item.get("binaries"), "name"));
        }
        assertEquals(expected, actual);

        JsonNode packages = json("/packages/?size=100");
        assertEquals(FLEET.packagesInDefaultOrder(), texts(packages.get("items"), "name"));
        JsonNode nginx = json("/packages/?q=NGINX").get("items").get(0);
        assertEquals("/packages/nginx", nginx.get("url").asText());
        List<String> oses = new ArrayList<>();
        nginx.get("oses").forEach(os -> oses.add(os.asText()));
        assertEquals(List.of(Fleet.DEBIAN_11, Fleet.DEBIAN_12), oses);

        Set<String> sources = FLEET.versions().stream().map(Fleet.Version::source).collect(Collectors.toCollection(TreeSet::new));
        JsonNode sourceIndex = json("/source-packages/?size=100");
        assertEquals(new ArrayList<>(sources), texts(sourceIndex.get("items"), "name"));
        assertEquals(List.of("openssl"), texts(json("/source-packages/?os=" + enc(Fleet.DEBIAN_11) + "&q=SSL").get("items"), "name"));
    }

    @Test
    public void kernelsAndKernelDetail() throws Exception {
        JsonNode kernels = json("/kernels/");
        Map<String, List<Fleet.Host>> byKernel = FLEET.hosts.stream()
                .collect(Collectors.groupingBy(h -> h.os() + "\n" + h.kernel(), TreeMap::new, Collectors.toList()));
        assertTable("/kernels/", kernels, byKernel.size());
        List<String> actual = new ArrayList<>();
        for (JsonNode item : kernels.get("items")) {
            String key = item.get("os").asText() + "\n" + item.get("name").asText();
            actual.add(key);
            assertEquals(key, byKernel.get(key).size(), item.get("hosts").asInt());
            assertTrue(item.get("url").asText(), item.get("url").asText().matches("/kernels/\\d+_" + Fleet.slug(item.get("name").asText())));
        }
        assertEquals(new ArrayList<>(byKernel.keySet()), actual);

        JsonNode detail = json(kernelUrl(Fleet.KERNEL_12_NEW, Fleet.DEBIAN_12));
        List<Fleet.Host> hosts = byKernel.get(Fleet.DEBIAN_12 + "\n" + Fleet.KERNEL_12_NEW);
        assertEquals(Fleet.KERNEL_12_NEW, detail.get("name").asText());
        assertEquals(Fleet.DEBIAN_12, detail.get("os").asText());
        assertEquals(hosts.size(), detail.get("host_count").asInt());
        assertTable("kernel", detail.get("hosts"), hosts.size());
        assertEquals(hosts.stream().map(Fleet.Host::name).sorted().collect(Collectors.toList()), texts(detail.at("/hosts/items"), "name"));
        assertEquals("6.1.0-32-amd64", detail.at("/hosts/items/0/release").asText());
    }

    @Test
    public void emptyImagesAndKubernetesTables() throws Exception {
        for (String path : List.of("/images/", "/kubernetes/")) {
            JsonNode table = json(path);
            assertTable(path, table, 0);
            assertEquals(0, table.get("items").size());
        }
        assertEquals(0, json("/images/?in_use=true").get("total").asInt());
    }

    @Test
    public void searchCountsEveryScopeInOrder() throws Exception {
        JsonNode xss = json("/search?q=XSS");
        assertEquals("XSS", xss.get("query").asText());
        assertEquals(List.of("hosts", "images", "packages", "source-packages", "kernels", "package-versions", "source-package-versions"),
                fieldNames(xss.get("scopes")));
        Map<String, Integer> totals = new LinkedHashMap<>();
        xss.get("scopes").fields().forEachRemaining(e -> totals.put(e.getKey(), e.getValue().get("total").asInt()));
        assertEquals(FLEET.searchTotals("XSS"), totals);
        assertEquals(Fleet.PAYLOAD_HOST, xss.at("/scopes/hosts/items/0/name").asText());
        assertEquals("/hosts/" + Fleet.pathSegment(Fleet.PAYLOAD_HOST), xss.at("/scopes/hosts/items/0/url").asText());

        JsonNode nginx = json("/search?q=ngi");
        assertEquals("nginx", nginx.at("/scopes/packages/items/0/name").asText());
        assertEquals("/packages/nginx", nginx.at("/scopes/packages/items/0/url").asText());
        assertEquals(FLEET.searchTotals("ngi").get("packages").intValue(), nginx.at("/scopes/packages/total").asInt());

        JsonNode versions = json("/search?q=deb12u1&scope=package-versions");
        assertEquals(List.of("package-versions"), fieldNames(versions.get("scopes")));
        assertEquals(FLEET.searchTotals("deb12u1").get("package-versions").intValue(), versions.at("/scopes/package-versions/total").asInt());

        HttpResponse<String> tooShort = get("/search?q=ng");
        assertEquals(200, tooShort.statusCode());
        assertTrue(tooShort.body(), tooShort.body().contains("Invalid search query! At least 3 characters required."));
        assertJsonError(400, get("/search?q=ng&format=json"));
        assertJsonError(400, get("/search?format=json"));
        assertJsonError(400, get("/search?q=nginx&scope=everything&format=json"));
    }

    /** SPEC §5.1: index URLs end in '/'; without it, a 301 that keeps the query. */
    @Test
    public void indexUrlsWithoutTheSlashAreMovedPermanently() throws Exception {
        for (String index : List.of("/hosts", "/kernels", "/packages", "/source-packages", "/images", "/kubernetes")) {
            HttpResponse<String> response = get(index + "?page=2");
            assertEquals(index, 301, response.statusCode());
            assertTrue(Html.header(response, "Location"), Html.header(response, "Location").endsWith(index + "/?page=2"));
        }
    }

    @Test
    public void invalidTableParametersGet400() throws Exception {
        for (String query : List.of("page=0", "page=x", "size=5000", "size=0", "sort=bogus", "dir=up", "format=xml")) {
            for (String path : List.of("/hosts/", "/hosts/" + NGINX_HOST, "/packages/nginx", "/kernels/")) {
                String url = path + "?" + query;
                HttpResponse<String> html = get(url);
                assertEquals(url, 400, html.statusCode());
                assertTrue(url, Html.header(html, "Content-Type").startsWith("text/html"));
                assertJsonError(400, get(url, "Accept", "application/json"));
            }
        }
        assertEquals(200, get("/hosts/?size=1000").statusCode());
    }

    @Test
    public void unknownDetailPagesGet404() throws Exception {
        for (String path : List.of("/hosts/nosuch.example.org", "/packages/nosuch", "/source-packages/nosuch", "/kernels/1_nosuch",
                "/kernels/999999_1-smp", "/kernels/nonsense")) {
            HttpResponse<String> html = get(path);
            assertEquals(path, 404, html.statusCode());
            assertTrue(path, Html.header(html, "Content-Type").startsWith("text/html"));
            Html.assertSecurityHeaders(path, html);
            assertJsonError(404, get(path + "?format=json"));
            assertJsonError(404, get(path, "Accept", "application/json"));
        }
        UiSession viewer = UiSession.login(UI, UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD);
        assertJsonError(404, viewer.get(UI, "/images/registry.example.org/nosuch:1.0", "Accept", "application/json"));
        assertEquals(404, viewer.get(UI, "/images/registry.example.org/nosuch:1.0").statusCode());
        // The image lookup's JSON stays for image uploaders and UI sessions (SPEC §3.2).
        assertJsonError(403, get("/images/registry.example.org/nosuch:1.0", "Accept", "application/json"));
    }

    @Test
    public void postToAPageGets405() throws Exception {
        for (String path : List.of("/", "/hosts/", "/hosts/" + NGINX_HOST, "/packages/nginx", "/kernels/", "/search?q=nginx")) {
            HttpResponse<String> response = UI.send(identity(), "POST", UI.httpsUrl(path), "", "Content-Type", "application/x-www-form-urlencoded");
            assertEquals(path, 405, response.statusCode());
        }
    }

    /** SPEC §3.2: anonymous HTML goes to the login form, anonymous JSON gets 403; a certificate counts as logged in. */
    @Test
    public void anonymousCallersAreSentToLoginOrRefused() throws Exception {
        for (String path : List.of("/", "/hosts/?size=10&page=2", "/packages/nginx", "/search?q=ngi")) {
            HttpResponse<String> html = UI.get(UI.anonymous(), path);
            assertEquals(path, 302, html.statusCode());
            String location = Html.header(html, "Location");
            assertTrue(location, location.startsWith("/login?next="));
            assertEquals(path, URLDecoder.decode(location.substring("/login?next=".length()), StandardCharsets.UTF_8));
            Html.assertSecurityHeaders(path, html);
            assertJsonError(403, UI.get(UI.anonymous(), path + (path.contains("?") ? "&" : "?") + "format=json"));
            assertJsonError(403, UI.get(UI.anonymous(), path, "Accept", "application/json"));
            assertEquals(path, 302, UI.send(UI.plain(), "GET", UI.httpUrl(path), null).statusCode());
        }
        HttpResponse<String> host = UI.get(UI.host(), "/hosts/");
        assertEquals(200, host.statusCode());
        assertTrue("the identity is shown", host.body().contains(UiDistribution.HOST_IDENTITY));
        assertEquals(200, UI.get(UI.host(), "/hosts/?format=json").statusCode());
    }

    @Test
    public void securityHeadersOnPagesErrorsAndStaticFiles() throws Exception {
        HttpResponse<String> login = UI.get(UI.anonymous(), "/login");
        String css = Html.tags(login.body()).stream().filter(t -> t.name().equals("link") && "stylesheet".equals(t.attributes().get("rel")))
                .map(t -> t.attributes().get("href")).findFirst().orElseThrow();
        String script = Html.tags(login.body()).stream().filter(t -> t.name().equals("script"))
                .map(t -> t.attributes().get("src")).findFirst().orElseThrow();
        Map<String, HttpResponse<String>> responses = new LinkedHashMap<>();
        responses.put("login", login);
        responses.put("dashboard", get("/"));
        responses.put("hosts json", get("/hosts/?format=json"));
        responses.put("400", get("/hosts/?page=0"));
        responses.put("400 json", get("/hosts/?page=0&format=json"));
        responses.put("404", get("/packages/nosuch"));
        responses.put("302", UI.get(UI.anonymous(), "/hosts/"));
        responses.put("403 json", UI.get(UI.anonymous(), "/hosts/?format=json"));
        responses.put("css", UI.get(UI.anonymous(), css));
        responses.put("js", UI.get(UI.anonymous(), script));
        responses.put("healthz", UI.get(UI.anonymous(), "/healthz"));
        for (Map.Entry<String, HttpResponse<String>> response : responses.entrySet()) {
            Html.assertSecurityHeaders(response.getKey(), response.getValue());
        }
        assertEquals(css, 200, responses.get("css").statusCode());
        assertTrue(Html.header(responses.get("css"), "Content-Type").startsWith("text/css"));
        assertEquals(script, 200, responses.get("js").statusCode());
        assertEquals(404, UI.get(UI.anonymous(), "/static/nosuch.css").statusCode());
        HttpResponse<String> plain = UI.send(UI.plain(), "GET", UI.httpUrl("/login"), null);
        assertEquals(Html.CSP, Html.header(plain, "Content-Security-Policy"));
        assertEquals("no HSTS on plain HTTP", null, Html.header(plain, "Strict-Transport-Security"));
    }

    @Test
    public void healthzShowsBundlesOnlyToIdentities() throws Exception {
        HttpResponse<String> anonymous = UI.get(UI.anonymous(), "/healthz");
        assertEquals(get("/healthz").body(), 200, anonymous.statusCode());
        assertEquals("{\"status\":\"ready\"}", anonymous.body());
        JsonNode full = UiDistribution.JSON.readTree(get("/healthz").body());
        assertEquals("ready", full.get("status").asText());
        assertEquals(0, full.get("problems").size());
        Map<String, String> bundles = new LinkedHashMap<>();
        full.get("bundles").forEach(b -> bundles.put(b.get("name").asText(), b.get("state").asText()));
        for (String bundle : List.of("io.debmonitor.core.model", "io.debmonitor.rest", "io.debmonitor.ui", "io.debmonitor.source.dpkg")) {
            assertEquals(bundles.toString(), "active", bundles.get(bundle));
        }
        UiSession viewer = UiSession.login(UI, UiDistribution.VIEWER, UiDistribution.VIEWER_PASSWORD);
        assertTrue(UiDistribution.JSON.readTree(viewer.get(UI, "/healthz").body()).has("bundles"));
    }

    /** The markup host's texts are escaped everywhere they are shown, and come back unchanged in JSON. */
    @Test
    public void markupIsEscapedInEveryPage() throws Exception {
        String host = "/hosts/" + Fleet.pathSegment(Fleet.PAYLOAD_HOST);
        List<String> pages = List.of("/", "/hosts/", host, "/hosts/?q=evil", "/packages/", "/packages/" + Fleet.pathSegment(Fleet.PAYLOAD_PACKAGE),
                "/packages/libc6?q=evil", "/source-packages/", "/source-packages/" + Fleet.pathSegment(Fleet.PAYLOAD_SOURCE),
                "/kernels/", kernelUrl(Fleet.PAYLOAD_KERNEL, Fleet.DEBIAN_12), "/search?q=xss", "/search?q=" + enc(Fleet.PAYLOAD_VERSION));
        for (String page : pages) {
            HttpResponse<String> response = get(page);
            assertEquals(page, 200, response.statusCode());
            assertFalse(page + " has raw markup", response.body().contains("<xss-"));
            Html.assertSelfContained(page, response.body());
        }
        assertTrue(get(host).body().contains("&lt;xss-host&gt;"));
        JsonNode detail = json(host);
        assertEquals(Fleet.PAYLOAD_HOST, detail.get("name").asText());
        assertEquals(Fleet.PAYLOAD_KERNEL, detail.get("kernel").asText());
        assertEquals(Fleet.PAYLOAD_RELEASE, detail.get("kernel_release").asText());
        JsonNode payload = null;
        for (JsonNode item : detail.at("/packages/items")) {
            if (item.get("name").asText().equals(Fleet.PAYLOAD_PACKAGE)) {
                payload = item;
            }
        }
        assertNotNull(payload);
        assertEquals(Fleet.PAYLOAD_VERSION, payload.get("version").asText());
        assertEquals(Fleet.PAYLOAD_UPGRADE, payload.get("upgrade").asText());
        assertEquals(Fleet.PAYLOAD_TYPE, payload.get("upgrade_type").asText());
        assertEquals("/packages/" + Fleet.pathSegment(Fleet.PAYLOAD_PACKAGE), payload.get("url").asText());
        JsonNode pkg = json("/packages/" + Fleet.pathSegment(Fleet.PAYLOAD_PACKAGE));
        assertEquals(Fleet.PAYLOAD_SOURCE, pkg.at("/sources/0/name").asText());
        assertEquals(List.of(Fleet.PAYLOAD_VERSION, Fleet.PAYLOAD_UPGRADE), texts(pkg.at("/oses/0/versions"), "version"));
    }

    static void assertJsonError(int status, HttpResponse<String> response) throws Exception {
        assertEquals(response.uri() + ": " + response.body(), status, response.statusCode());
        assertTrue(response.uri().toString(), Html.header(response, "Content-Type").startsWith("application/json"));
        JsonNode body = UiDistribution.JSON.readTree(response.body());
        assertEquals(response.body(), List.of("error"), fieldNames(body));
        assertFalse(body.get("error").asText().isBlank());
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

}
