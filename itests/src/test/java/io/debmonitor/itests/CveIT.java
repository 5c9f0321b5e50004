package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.debmonitor.core.model.api.CveFeedService;

/**
 * CVE findings through the real path (issue #12), on H2 and MariaDB: the shared fixture imported,
 * host and image reports posted over HTTP, each host's {@code ?tab=cves} read as JSON. The case
 * numbers are those of fixtures/cve/README.md.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CveIT extends ItestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KERNEL_6176 = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";

    @Inject
    @Filter(timeout = 120_000)
    protected CveFeedService feed;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    @Before
    public void ready() throws Exception {
        awaitServer();
        if (feed.active().isEmpty()) {
            feed.importFeed(Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json"), "file:fixture");
        }
    }

    /** A full report: installed {@code "name version source [source_version]"}, upgradable {@code "name from to source type"}. */
    private String report(String host, String os, String kernel, List<String> installed, List<String> upgradable) {
        return report(host, os, kernel, "6.1.0-18-amd64", installed, upgradable);
    }

    private String report(String host, String os, String kernel, String release, List<String> installed, List<String> upgradable) {
        ObjectNode report = JSON.createObjectNode().put("api_version", "v1").put("hostname", host).put("os", os).put("update_type", "full");
        report.putObject("running_kernel").put("version", kernel).put("release", release);
        ArrayNode rows = report.putArray("installed");
        for (String line : installed) {
            String[] p = line.split(" ");
            ObjectNode row = rows.addObject().put("name", p[0]).put("version", p[1]).put("source", p[2]);
            if (p.length > 3) {
                row.put("source_version", p[3]);
            }
        }
        report.putArray("uninstalled");
        ArrayNode upgrades = report.putArray("upgradable");
        for (String line : upgradable) {
            String[] p = line.split(" ");
            upgrades.addObject().put("name", p[0]).put("version_from", p[1]).put("version_to", p[2]).put("source", p[3]).put("type", p[4]);
        }
        return report.toString();
    }

    private static void assertCreated(HttpResponse<String> response) {
        assertEquals(response.body(), 201, response.statusCode());
    }

    private JsonNode cves(String host, String query) throws Exception {
        HttpResponse<String> response = send("GET", "/hosts/" + host + "?tab=cves&format=json" + query, null);
        assertEquals(response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static JsonNode finding(JsonNode page, String source, String cve) {
        for (JsonNode item : page.get("cves").get("items")) {
            if (item.get("source").asText().equals(source) && item.get("cve").asText().equals(cve)) {
                return item;
            }
        }
        throw new AssertionError("no " + source + " " + cve + " in " + page.get("cves"));
    }

    private static void assertFinding(String verdict, String subState, String fix, JsonNode item) {
        assertEquals(item.toString(), verdict, item.get("verdict").asText());
        assertEquals(item.toString(), subState, item.get("sub_state").isNull() ? null : item.get("sub_state").asText());
        assertEquals(item.toString(), fix, item.get("fix").isNull() ? null : item.get("fix").asText());
    }

    @Test
    public void bookwormHost() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", KERNEL_6176, List.of(
                "libssl3 3.0.14-1~deb12u2 openssl 3.0.14-1~deb12u2", "libc6 2.36-9+deb12u9 glibc 2.36-9+deb12u9",
                "curl 7.88.1-10+deb12u14 curl", "zlib1g 1:1.2.13.dfsg-1 zlib", "systemd 252.39-1~deb12u1 systemd",
                "liblzma5 5.4.1-0.2 xz-utils 5.4.1-0.2", "openssh-server 1:9.2p1-2+deb12u2 openssh",
                "linux-image-6.1.0-18-amd64 6.1.76-1 linux-signed-amd64 6.1.76+1", "thirdparty-agent 1.0-1 thirdparty-agent"),
                List.of("openssh-server 1:9.2p1-2+deb12u2 1:9.2p1-2+deb12u3 openssh security"))));
        JsonNode page = cves(host, "");
        assertEquals("covered", page.get("coverage").get("state").asText());
        assertEquals(1, page.get("coverage").get("not_assessed").get("no-entry").asInt());
        assertFinding("AFFECTED_FIXED", null, "not_offered", finding(page, "openssl", "CVE-2024-9143"));   // 1
        assertFinding("AFFECTED_FIXED", null, "available", finding(page, "openssh", "CVE-2024-6387"));     // 15, with its fix offered
        assertFinding("AFFECTED_FIXED", null, "not_offered", finding(page, "glibc", "CVE-2025-0395"));     // 4
        assertFinding("AFFECTED_OPEN", "WONT_FIX", null, finding(page, "zlib", "CVE-2023-45853"));         // 12
        assertFinding("RUNNING_AFFECTED", null, "not_offered", finding(page, "linux", "CVE-2024-38550"));  // 18
        assertFinding("NEEDS_TRIAGE", null, null, finding(page, "glibc", "TEMP-0000000-D3B0C1"));          // 32
        // Hidden by default, shown on request, never counted: 10, 11, 13, 14; and 9 (fixed).
        assertTrue(page.get("cves").get("items").findValuesAsText("sub_state").stream().noneMatch("NEGLIGIBLE"::equals));
        JsonNode all = cves(host, "&include=all");
        assertFinding("AFFECTED_OPEN", "NEGLIGIBLE", null, finding(all, "curl", "CVE-2025-10966"));
        assertFinding("NOT_AFFECTED", null, null, finding(all, "curl", "CVE-2024-6197"));
        assertFinding("AFFECTED_OPEN", "NEGLIGIBLE", null, finding(all, "systemd", "CVE-2023-31439"));
        assertFinding("NOT_AFFECTED", null, null, finding(all, "xz-utils", "CVE-2024-3094"));
        assertFinding("FIXED", null, null, finding(all, "curl", "CVE-2024-2398"));
        assertEquals(false, finding(all, "curl", "CVE-2025-10966").get("counted").asBoolean());
        assertEquals("1, 4, 12, 15, 18 and the point-release entry", 6, page.get("counts").get("affected").asInt());
        assertJsonError(400, send("GET", "/hosts/" + host + "?tab=cves&format=json&include=everything", null));
        assertJsonError(400, send("GET", "/hosts/" + host + "?tab=cves&format=json&state=SAFE", null));
    }

    @Test
    public void fixedVersionsNegligibleIssuesAndAnOldKernelImage() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.94-1 (2024-06-21)",
                "6.1.0-22-amd64", List.of("libssl3 3.0.15-1~deb12u1 openssl 3.0.15-1~deb12u1", "libc6 2.36-9+deb12u2 glibc 2.36-9+deb12u2",
                        "libcurl4 7.88.1-10+deb12u5 curl 7.88.1-10+deb12u5", "gcc-12 12.2.0-14 gcc-12", "apt 2.6.1 apt",
                        "linux-image-6.1.0-18-amd64 6.1.76-1 linux-signed-amd64 6.1.76+1",
                        "linux-image-6.1.0-22-amd64 6.1.94-1 linux-signed-amd64 6.1.94+1"), List.of())));
        JsonNode page = cves(host, "");
        JsonNode seven = finding(page, "glibc", "CVE-2023-4911");                                          // 7
        assertFinding("AFFECTED_FIXED", null, "not_offered", seven);
        assertEquals("high", seven.get("urgency").asText());
        assertFinding("AFFECTED_FIXED", null, "not_offered", finding(page, "curl", "CVE-2024-2398"));      // 8
        for (String hidden : List.of("CVE-2024-9143", "CVE-2023-4039", "CVE-2011-3374", "CVE-2024-38550")) {
            assertTrue(hidden, page.get("cves").get("items").findValuesAsText("cve").stream().noneMatch(hidden::equals));
        }
        JsonNode all = cves(host, "&include=all");
        assertFinding("FIXED", null, null, finding(all, "openssl", "CVE-2024-9143"));                      // 3
        assertFinding("AFFECTED_OPEN", "NEGLIGIBLE", null, finding(all, "gcc-12", "CVE-2023-4039"));       // 13
        assertFinding("AFFECTED_OPEN", "NEGLIGIBLE", null, finding(all, "apt", "CVE-2011-3374"));          // 13
        assertFinding("RUNNING_FIXED", null, null, finding(all, "linux", "CVE-2024-38550"));               // 20
        JsonNode kernel = page.get("running_kernel");
        assertEquals("6.1.94-1", kernel.get("running_version").asText());
        assertEquals("[\"Old kernel image installed, not running: linux-image-6.1.0-18-amd64 6.1.76-1.\"]", kernel.get("notes").toString());
        assertEquals(true, kernel.get("images").get(0).get("running").asBoolean());
    }

    @Test
    public void bullseyeHostImagesAndUncoveredReleases() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 11", "#1 SMP Debian 5.10.218-1 (2024-06-01)", List.of(
                "libc6 2.31-13+deb11u11 glibc 2.31-13+deb11u11", "libcurl4 7.74.0-1.3+deb11u11 curl 7.74.0-1.3+deb11u11",
                "sudo 1.9.5p2-3 sudo", "chromium 90.0.4430.212-1 chromium"),
                List.of("chromium 90.0.4430.212-1 98.0.4758.102-1~deb11u1 chromium security"))));
        JsonNode page = cves(host, "");
        JsonNode deferred = finding(page, "glibc", "CVE-2025-0395");
        assertFinding("AFFECTED_OPEN", "FIX_DEFERRED", null, deferred);                                    // 23
        assertEquals("Minor issue; can be fixed in next update", deferred.get("nodsa").asText());
        assertFinding("AFFECTED_FIXED", null, "not_offered", finding(page, "curl", "CVE-2024-2398"));      // 24
        assertFinding("AFFECTED_OPEN", "WONT_FIX", null, finding(page, "curl", "CVE-2024-9681"));          // 24
        assertFinding("AFFECTED_FIXED", null, "not_offered", finding(page, "sudo", "CVE-2023-22809"));     // 26
        assertFinding("AFFECTED_FIXED", null, "available", finding(page, "chromium", "CVE-2022-0456"));    // 28

        for (String[] os : List.of(new String[] {"Debian 9", "release-not-covered"}, new String[] {"Debian", "release-unknown"},
                new String[] {"Ubuntu 24.04", "out-of-scope"})) {                                              // 29, 30
            String other = uniqueHost();
            assertCreated(post("/hosts/" + other + "/update", report(other, os[0], "#1 SMP", List.of("libc6 2.36-9 glibc"), List.of())));
            JsonNode uncovered = cves(other, "&include=all");
            assertEquals(os[1], uncovered.get("coverage").get("state").asText());
            assertEquals(0, uncovered.get("cves").get("total").asInt());
        }
    }

    /** Reads a page's JSON until {@code done} holds (the refresher stores findings within about a second), at most 60 s. */
    private JsonNode await(String path, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> response = send("GET", path, null);
            assertEquals(response.body(), 200, response.statusCode());
            JsonNode page = JSON.readTree(response.body());
            if (done.test(page) || System.nanoTime() > deadline) {
                return page;
            }
        }
    }

    private static JsonNode findingOn(JsonNode page, String entity) {
        for (JsonNode item : page.get("findings").get("items")) {
            if (item.get("entity").asText().equals(entity)) {
                return item;
            }
        }
        return null;
    }

    @Test
    public void fleetPagesShowTheStoredFindings() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", KERNEL_6176, List.of(
                "libssl3 3.0.14-1~deb12u2 openssl 3.0.14-1~deb12u2", "openssh-server 1:9.2p1-2+deb12u2 openssh"),
                List.of("openssh-server 1:9.2p1-2+deb12u2 1:9.2p1-2+deb12u3 openssh security"))));
        JsonNode issue = await("/cves/CVE-2024-9143?format=json&q=" + host, page -> findingOn(page, host) != null);
        JsonNode item = findingOn(issue, host);
        assertTrue(issue.toString(), item != null);
        for (String key : List.of("cve", "source", "release", "entity", "kind", "os", "url", "binaries", "source_version", "provenance",
                "base_verdict", "verdict", "sub_state", "counted", "fix", "candidate", "fixed_version", "unstable_fixed_version", "urgency",
                "nvd_derived", "scope", "nodsa", "nodsa_reason", "next_point_update", "advisory", "accepted", "first_seen", "events",
                "explanation")) {
            assertTrue(key + " in " + item, item.has(key));
        }
        assertFinding("AFFECTED_FIXED", null, "not_offered", item);
        assertEquals("host", item.get("kind").asText());
        assertTrue(item.toString(), !item.get("first_seen").isNull());
        assertEquals("CVE-2024-9143", issue.get("cve").asText());
        assertTrue(issue.get("debian").toString(), issue.get("debian").findValuesAsText("release").contains("bookworm"));

        // The counts follow the stored findings within a background recount.
        JsonNode index = await("/cves/?format=json&q=CVE-2024-6387", page -> page.get("items").size() > 0
                && page.get("items").get(0).get("fixable").asInt() >= 1);
        JsonNode openssh = index.get("items").get(0);
        assertEquals("CVE-2024-6387", openssh.get("cve").asText());
        assertTrue(openssh.toString(), openssh.get("hosts").asInt() >= 1 && openssh.get("fixable").asInt() >= 1);
        JsonNode fixable = JSON.readTree(send("GET", "/hosts/?format=json&cves=fixable&q=" + host, null).body());
        assertEquals(fixable.toString(), 1, fixable.get("total").asInt());
        JsonNode dashboard = await("/?format=json", page -> page.get("cves").get("matrix").size() > 0);
        assertTrue(dashboard.toString(), dashboard.get("cves").get("matrix").size() > 0);
        assertEquals(false, dashboard.get("cves").get("feed").get("stale").asBoolean());

        assertJsonError(400, send("GET", "/cves/?format=json&state=SAFE", null));
        assertJsonError(400, send("GET", "/cves/?format=json&include=fixed", null));
        assertJsonError(400, send("GET", "/cves/?format=json&kind=vm", null));
        assertJsonError(400, send("GET", "/cves/?format=json&sort=nothing", null));
        assertJsonError(400, send("GET", "/cves/not-an-issue?format=json", null));
        assertJsonError(404, send("GET", "/cves/CVE-1999-0001?format=json", null));
        assertJsonError(400, send("GET", "/hosts/?format=json&cves=maybe", null));

        // An upgrade fixes the openssl issue: the finding leaves the issue's page.
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", KERNEL_6176, List.of(
                "libssl3 3.0.15-1~deb12u1 openssl 3.0.15-1~deb12u1", "openssh-server 1:9.2p1-2+deb12u2 openssh"), List.of())));
        JsonNode after = await("/cves/CVE-2024-9143?format=json&q=" + host, page -> findingOn(page, host) == null);
        assertEquals(after.toString(), null, findingOn(after, host));
    }

    @Test
    public void aFixReleasedByDebianIsRecorded() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", KERNEL_6176, List.of("zlib1g 1:1.2.13.dfsg-1 zlib"), List.of())));
        String path = "/cves/CVE-2023-45853?format=json&include=all&q=" + host;
        assertEquals("WONT_FIX", await(path, page -> findingOn(page, host) != null).get("findings").get("items").get(0).get("sub_state").asText());
        Path fixture = Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json");
        ObjectNode document = (ObjectNode) JSON.readTree(fixture.toFile());
        ObjectNode bookworm = (ObjectNode) document.get("zlib").get("CVE-2023-45853").get("releases").get("bookworm");
        bookworm.put("status", "resolved").put("fixed_version", "1:1.2.13.dfsg-1+deb12u1");
        bookworm.remove(List.of("nodsa", "nodsa_reason"));
        Path changed = java.nio.file.Files.createTempFile("dst-changed", ".json");
        try {
            JSON.writeValue(changed.toFile(), document);
            feed.importFeed(changed, "file:changed");
            // The finding objects are computed when read, so the new verdict shows at once; its event once the refresher ran.
            JsonNode released = await(path, page -> findingOn(page, host) != null && findingOn(page, host).get("events").size() > 0);
            JsonNode item = findingOn(released, host);
            assertFinding("AFFECTED_FIXED", null, "not_offered", item);
            assertEquals(item.toString(), "fix_released", item.get("events").get(0).get("event").asText());
            assertEquals("fix_released", finding(cves(host, ""), "zlib", "CVE-2023-45853").get("events").get(0).get("event").asText());
        } finally {
            feed.importFeed(fixture, "file:fixture");
            java.nio.file.Files.delete(changed);
        }
    }

    /** The DSA list excerpt of fixtures/cve/README.md, verbatim (its lines 2-3 start with a tab). */
    private static String dsaExcerpt() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("fixtures.dir"), "cve", "README.md"), StandardCharsets.UTF_8);
        int open = lines.indexOf(lines.stream().filter(l -> l.startsWith("## DSA list excerpt")).findFirst().orElseThrow());
        while (!lines.get(open).equals("```")) {
            open++;
        }
        int close = open + 1;
        while (!lines.get(close).equals("```")) {
            close++;
        }
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    /** Runs a console command as an admin (as ssh and bin/client run one); fails the test when the command fails. */
    private List<String> admin(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("itest-admin"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out)) {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            throw new AssertionError(command + " failed: " + e.getException().getMessage() + " after " + bytes.toString(StandardCharsets.UTF_8));
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    public void case26TheDsaListLabelsTheSudoFinding() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 11", "#1 SMP Debian 5.10.218-1 (2024-06-01)",
                List.of("sudo 1.9.5p2-3 sudo"), List.of())));
        Path dsa = Files.createTempFile("dsa-excerpt", ".list");
        try {
            Files.writeString(dsa, dsaExcerpt());
            String fixture = Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json").toString();
            List<String> printed = admin("debmonitor:cve-import --dsa " + dsa + " " + fixture);
            assertTrue(printed.toString(), printed.stream().anyMatch(line -> line.matches("DSA list: import \\d+ \\(active\\)")
                    || line.startsWith("Unchanged: the active DSA list has the same sha256")));
        } finally {
            Files.delete(dsa);
        }
        JsonNode item = finding(cves(host, ""), "sudo", "CVE-2023-22809");                                  // 26
        assertFinding("AFFECTED_FIXED", null, "not_offered", item);
        assertEquals(item.toString(), "DSA-5321-1", item.get("advisory").asText());
        assertEquals("DSA-5321-1 (fixed sudo 1.9.5p2-3+deb11u1 in bullseye)", item.get("explanation").get("advisory").asText());

        HttpResponse<String> page = send("GET", "/cve-feed/?format=json", null);
        assertEquals(page.body(), 200, page.statusCode());
        JsonNode lists = JSON.readTree(page.body()).get("lists");
        assertTrue(lists.toString(), lists.findValuesAsText("kind").contains("dsa"));
        assertTrue(lists.toString(), lists.findValuesAsText("result").contains("active"));
    }

    /** The host's CVE badge count (the stored headline), as the host list shows it. */
    private int badge(String host) throws Exception {
        JsonNode list = JSON.readTree(send("GET", "/hosts/?format=json&q=" + host, null).body());
        return list.get("items").get(0).get("cves").asInt();
    }

    @Test
    public void anAcceptedFindingStaysListedOutsideTheHeadline() throws Exception {
        String host = uniqueHost();
        assertCreated(post("/hosts/" + host + "/update", report(host, "Debian 12", KERNEL_6176,
                List.of("libssl3 3.0.14-1~deb12u2 openssl 3.0.14-1~deb12u2"), List.of())));
        await("/cves/CVE-2024-9143?format=json&q=" + host, page -> findingOn(page, host) != null);
        int before = badge(host);

        List<String> accepted = admin("debmonitor:cve-accept --host " + host + " --source openssl --reason Lab-only --expires 2099-01-01 cve-2024-9143");
        assertTrue(accepted.toString(), accepted.get(0).matches("Accepted CVE-2024-9143 as exception \\d+: source openssl on host " + host.replace(".", "\\.")
                + ", until 2099-01-01T00:00:00Z"));
        String id = accepted.get(0).replaceAll("^Accepted \\S+ as exception (\\d+):.*$", "$1");

        // The tab judges with it at once: same verdict, accepted, not counted; the stored findings follow within a refresh.
        JsonNode item = finding(cves(host, ""), "openssl", "CVE-2024-9143");
        assertFinding("AFFECTED_FIXED", null, "not_offered", item);
        assertEquals(item.toString(), false, item.get("counted").asBoolean());
        assertEquals("Lab-only", item.get("accepted").get("reason").asText());
        assertTrue(item.toString(), item.get("accepted").get("by").asText().startsWith("shell:"));
        assertEquals("2099-01-01T00:00:00.000Z", item.get("accepted").get("expires").asText());
        JsonNode stored = await("/cves/CVE-2024-9143?format=json&state=ACCEPTED&q=" + host, page -> findingOn(page, host) != null);
        assertEquals(stored.toString(), false, findingOn(stored, host).get("counted").asBoolean());
        await("/hosts/?format=json&q=" + host, page -> page.get("items").get(0).get("cves").asInt() == before - 1);
        assertEquals(before - 1, badge(host));

        JsonNode list = JSON.readTree(send("GET", "/cve-exceptions/?format=json&state=active&issue=CVE-2024-9143", null).body());
        assertTrue(list.toString(), list.get("items").findValuesAsText("entity").contains(host));
        HttpResponse<String> openVex = send("GET", "/cve-exceptions/?format=openvex", null);
        assertEquals(openVex.body(), 200, openVex.statusCode());
        JsonNode statement = null;
        for (JsonNode s : JSON.readTree(openVex.body()).get("statements")) {
            statement = s.get("products").get(0).get("@id").asText().equals("urn:debmonitor:host:" + host) ? s : statement;
        }
        assertTrue(openVex.body(), statement != null);
        assertEquals("affected", statement.get("status").asText());
        assertEquals("pkg:deb/debian/openssl?arch=source", statement.get("products").get(0).get("subcomponents").get(0).get("@id").asText());
        HttpResponse<String> cycloneDx = send("GET", "/cve-exceptions/?format=cyclonedx", null);
        assertEquals(cycloneDx.body(), 200, cycloneDx.statusCode());
        assertEquals("CycloneDX", JSON.readTree(cycloneDx.body()).get("bomFormat").asText());

        // Writes take an administrator's UI session: a certificate identity is refused (SPEC §3.2).
        java.net.http.HttpRequest forged = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/cve-exceptions/accept"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("X-Client-Cert-Verify", "SUCCESS").header("X-Client-Cert-Subject-DN", "CN=" + PROXY + ",O=itest")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf=x&issue=CVE-2024-9143&reason=x")).build();
        assertJsonError(403, http.send(forged, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));

        assertEquals(List.of("Revoked exception " + id + " of CVE-2024-9143: source openssl on host " + host), admin("debmonitor:cve-revoke " + id));
        await("/hosts/?format=json&q=" + host, page -> page.get("items").get(0).get("cves").asInt() == before);
        assertEquals(before, badge(host));
        assertTrue(finding(cves(host, ""), "openssl", "CVE-2024-9143").get("accepted").isNull());
        assertTrue(admin("debmonitor:cve-exceptions --state revoked --cve CVE-2024-9143").stream().anyMatch(line -> line.startsWith(id + "  revoked  ")));
    }

    /** What the stub tracker answers as Last-Modified (an IMF-fixdate, as the tracker sends it). */
    private static final String STUB_LAST_MODIFIED = "Tue, 14 Jan 2025 09:30:00 GMT";
    /** A valid, at most hourly schedule that does not fire while the test runs. */
    private static final String FETCH_SCHEDULE = "0 7 3 1 1 ? 2090";
    private static final String FETCH_JOB = "debmonitor-cve-fetch";

    /** The last check of the feed URL on {@code /cve-feed/}. */
    private static JsonNode feedCheck(JsonNode page) {
        for (JsonNode check : page.get("fetch").get("checks")) {
            if (check.get("kind").asText().equals("feed")) {
                return check;
            }
        }
        throw new AssertionError("no feed check in " + page.get("fetch"));
    }

    /** Runs a console command as an admin until its output satisfies {@code done}, at most 60 s; returns the last output. */
    private List<String> awaitAdmin(String command, Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> lines = admin(command);
        while (!done.test(lines) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            lines = admin(command);
        }
        return lines;
    }

    /**
     * The scheduled fetch of CVE.md §2.1 against a local stub of the tracker (§2.5): the first GET
     * imports and records the stub's Last-Modified, the next sends it as If-Modified-Since and gets
     * 304, --force GETs without it and finds the sha256 of the active snapshot. With enabled = true
     * the gc bundle gives the job to the Karaf scheduler.
     */
    @Test
    public void theFetchImportsTheFeedUrlThenAsksIfModifiedSince() throws Exception {
        Path fixture = Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json");
        byte[] bytes = Files.readAllBytes(fixture);
        // The fixture's content, one byte longer: @Before made the fixture itself active, and its exact bytes would import nothing.
        byte[] body = Arrays.copyOf(bytes, bytes.length + 1);
        body[bytes.length] = '\n';
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        Instant lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.parse(STUB_LAST_MODIFIED, Instant::from);

        List<String> ifModifiedSince = new CopyOnWriteArrayList<>();
        int port = Integer.parseInt(freePort());
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        stub.createContext("/json", exchange -> {
            String since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            ifModifiedSince.add(since == null ? "-" : since);
            exchange.getResponseHeaders().set("Last-Modified", STUB_LAST_MODIFIED);
            if (since != null && !DateTimeFormatter.RFC_1123_DATE_TIME.parse(since, Instant::from).isBefore(lastModified)) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        stub.start();
        String url = "http://127.0.0.1:" + port + "/json";

        // Updated, never deleted (a deletion re-activates the components asynchronously); the shipped values come back at the end.
        Configuration config = configurationAdmin.getConfiguration("io.debmonitor.cve.fetch", null);
        Dictionary<String, Object> shipped = config.getProperties();
        Dictionary<String, Object> settings = new Hashtable<>();
        for (Enumeration<String> keys = shipped == null ? new Hashtable<String, Object>().keys() : shipped.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            settings.put(key, shipped.get(key));
        }
        settings.put("enabled", "true");
        settings.put("schedule", FETCH_SCHEDULE);
        settings.put("feedUrl", url);
        settings.put("distributionsUrl", "");
        settings.put("dsaListUrl", "");
        settings.put("dlaListUrl", "");
        config.update(settings);
        try {
            // The fetch's settings are replaced whole: once the schedule shows, the URLs apply too.
            JsonNode applied = await("/cve-feed/?format=json", page -> FETCH_SCHEDULE.equals(page.get("fetch").get("schedule").asText(null)));
            assertEquals(applied.get("fetch").toString(), FETCH_SCHEDULE, applied.get("fetch").get("schedule").asText(null));
            List<String> jobs = awaitAdmin("scheduler:list", lines -> lines.stream().anyMatch(l -> l.contains(FETCH_JOB)));
            assertTrue(jobs.toString(), jobs.stream().anyMatch(l -> l.contains(FETCH_JOB) && l.contains(FETCH_SCHEDULE)));
            assertTrue(admin("debmonitor:cve-feed").contains("Scheduled fetch: " + FETCH_SCHEDULE));

            // First GET: no If-Modified-Since (no import from this URL yet); the body is new, so it imports, with no diff.
            List<String> first = admin("debmonitor:cve-fetch");
            assertEquals(first.toString(), 1, first.size());
            Matcher imported = Pattern.compile("feed: imported snapshot (\\d+): .+ rows, \\d+ skipped; 0 added, 0 removed, 0 changed")
                    .matcher(first.get(0));
            assertTrue(first.get(0), imported.matches());
            assertEquals(List.of("-"), ifModifiedSince);
            JsonNode page = JSON.readTree(send("GET", "/cve-feed/?format=json", null).body());
            JsonNode check = feedCheck(page);
            assertEquals(check.toString(), "imported", check.get("result").asText());
            assertEquals(check.toString(), url, check.get("url").asText());
            assertEquals(check.toString(), 200, check.get("http_status").asInt());
            assertEquals(check.toString(), sha256, check.get("sha256").asText());
            assertEquals(check.toString(), lastModified, Instant.parse(check.get("last_modified").asText()));
            assertEquals(check.toString(), lastModified, Instant.parse(check.get("imported_last_modified").asText()));
            JsonNode active = page.get("active");
            assertEquals(active.toString(), imported.group(1), active.get("id").asText());
            assertEquals(active.toString(), "active", active.get("result").asText());
            assertEquals(active.toString(), url, active.get("origin").asText());
            assertEquals(active.toString(), sha256, active.get("sha256").asText());
            assertEquals(active.toString(), lastModified, Instant.parse(active.get("last_modified").asText()));

            // Second GET: If-Modified-Since with the imported Last-Modified, answered 304.
            assertEquals(List.of("feed: unchanged (304)"), admin("debmonitor:cve-fetch"));
            assertEquals(ifModifiedSince.toString(), 2, ifModifiedSince.size());
            assertEquals(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince.get(1), Instant::from));
            page = JSON.readTree(send("GET", "/cve-feed/?format=json", null).body());
            check = feedCheck(page);
            assertEquals(check.toString(), "not_modified", check.get("result").asText());
            assertEquals(check.toString(), 304, check.get("http_status").asInt());
            assertEquals(check.toString(), url, check.get("url").asText());
            assertEquals(check.toString(), lastModified, Instant.parse(check.get("imported_last_modified").asText()));
            assertEquals(imported.group(1), page.get("active").get("id").asText());

            // --force: a full GET without If-Modified-Since; the body has the active snapshot's sha256, so nothing is imported.
            assertEquals(List.of("feed: unchanged (sha256)"), admin("debmonitor:cve-fetch --force"));
            assertEquals(List.of("-", ifModifiedSince.get(1), "-"), ifModifiedSince);
            page = JSON.readTree(send("GET", "/cve-feed/?format=json", null).body());
            check = feedCheck(page);
            assertEquals(check.toString(), "unchanged", check.get("result").asText());
            assertEquals(check.toString(), 200, check.get("http_status").asInt());
            assertEquals(check.toString(), sha256, check.get("sha256").asText());
            assertEquals(imported.group(1), page.get("active").get("id").asText());
            List<String> facts = admin("debmonitor:cve-feed");
            assertTrue(facts.toString(), facts.stream().anyMatch(l -> l.startsWith("Fetch feed: ") && l.endsWith("  unchanged (sha256)  " + url)));
        } finally {
            if (shipped == null) {
                config.delete();
            } else {
                config.update(shipped);
            }
            stub.stop(0);
            feed.importFeed(fixture, "file:fixture");
        }
        JsonNode restored = await("/cve-feed/?format=json", page -> page.get("fetch").get("schedule").isNull());
        assertTrue(restored.get("fetch").toString(), restored.get("fetch").get("schedule").isNull());
        List<String> jobs = awaitAdmin("scheduler:list", lines -> lines.stream().noneMatch(l -> l.contains(FETCH_JOB)));
        assertTrue(jobs.toString(), jobs.stream().noneMatch(l -> l.contains(FETCH_JOB)));
    }
}
