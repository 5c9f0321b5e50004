package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The debmonitor:* console commands (SPEC §6) against the assembled distribution, as an admin and as a viewer. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends ItestSupport {

    private static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final String SHELLIT_DIGEST = "sha256:" + "5e".repeat(32);

    @Inject
    protected SessionFactory sessionFactory;

    /** What a command printed, or the message it failed with. */
    private record Result(List<String> lines, String error) {
    }

    @Before
    public void ready() throws Exception {
        awaitServer();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (run("admin", "debmonitor:stats").error() != null) {
            if (System.nanoTime() > deadline) {
                fail("debmonitor:stats never ran: " + run("admin", "debmonitor:stats").error());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Test
    public void hostListPrintsEveryHostByNameThenTheTotal() throws Exception {
        String full = uniqueHost();
        ObjectNode payload = (ObjectNode) new ObjectMapper().readTree(fixture("full.json"));
        payload.put("hostname", full);
        assertEquals(201, post("/hosts/" + full + "/update", payload.toString()).statusCode());
        String small = smallHost("shellit-list");

        List<String> lines = admin("debmonitor:host-list");
        assertEquals((lines.size() - 1) + " hosts", lines.get(lines.size() - 1));
        List<String> hosts = lines.subList(0, lines.size() - 1);
        assertEquals(hosts.stream().sorted().toList(), hosts);
        assertTrue(lines.toString(), hosts.stream().anyMatch(l -> l.matches(quote(full) + "  Debian 12  " + ISO + "  \\d+  129  0")));
        assertTrue(lines.toString(), hosts.stream().anyMatch(l -> l.matches(quote(small) + "  Debian 12  " + ISO + "  2  1  1")));

        List<String> security = admin("debmonitor:host-list --security");
        assertTrue(security.toString(), security.stream().anyMatch(l -> l.startsWith(small + "  ")));
        assertTrue(security.toString(), security.stream().noneMatch(l -> l.startsWith(full + "  ")));
        List<String> limited = admin("debmonitor:host-list --limit 1");
        assertEquals(2, limited.size());
        assertEquals(lines.get(lines.size() - 1), limited.get(1));
        assertEquals(List.of("0 hosts"), admin("debmonitor:host-list --os 'No Such OS'"));
    }

    @Test
    public void hostShowPrintsTheSummaryAndTheRows() throws Exception {
        String host = smallHost("shellit-show");
        List<String> lines = admin("debmonitor:host-show " + host);
        assertEquals(lines.toString(), 7, lines.size());
        assertEquals("OS: Debian 12", lines.get(0));
        assertTrue(lines.get(1), lines.get(1).matches("Kernel: \\S.*"));
        assertTrue(lines.get(2), lines.get(2).matches("Release: \\S.*"));
        assertTrue(lines.get(3), lines.get(3).matches("Created: " + ISO));
        assertTrue(lines.get(4), lines.get(4).matches("Last update: " + ISO));
        assertEquals(List.of("shellit-show-lib  2.0", "shellit-show-tool  1.0-1  -> 1.0-2 (security)"), lines.subList(5, 7));
        assertEquals(List.of("shellit-show-tool  1.0-1  -> 1.0-2 (security)"), admin("debmonitor:host-show --upgradable " + host).subList(5, 6));
    }

    @Test
    public void unknownNamesPrintOneErrorLineAndFail() throws Exception {
        assertEquals("No host named 'nope.example.org'", fails("debmonitor:host-show nope.example.org"));
        assertEquals("No image named 'nope:1'", fails("debmonitor:image-show nope:1"));
        assertEquals("No package named 'shellit-nope'", fails("debmonitor:package-show shellit-nope"));
        assertEquals("No host named 'nope.example.org'", fails("debmonitor:host-remove --force nope.example.org"));
        assertEquals("Not removed: image 'nope:1'", fails("debmonitor:image-remove nope:1"));
    }

    @Test
    public void hostRemoveForceRemovesAndWithoutATerminalRefusesToAsk() throws Exception {
        String host = smallHost("shellit-remove");
        assertEquals("Cannot ask for confirmation without a terminal; use --force", fails("debmonitor:host-remove " + host));
        assertEquals(2, rows(host).size());
        assertEquals(List.of("Removed host " + host + " (2 packages)"), admin("debmonitor:host-remove --force " + host));
        assertEquals(List.of(), rows(host));
        assertEquals("No host named '" + host + "'", fails("debmonitor:host-show " + host));
    }

    @Test
    public void packageShowPrintsVersionsAndHolders() throws Exception {
        String host = smallHost("shellit-pkg");
        assertEquals(List.of(
                "Debian 12  1.0-1  installed=1  upgradable-to=0  security=0",
                "  host  " + host + "  -> 1.0-2",
                "Debian 12  1.0-2  installed=0  upgradable-to=1  security=1"), admin("debmonitor:package-show shellit-pkg-tool"));
        assertEquals(List.of("Debian 12  1.0-2  installed=0  upgradable-to=1  security=1"),
                admin("debmonitor:package-show --version 1.0-2 shellit-pkg-tool"));
    }

    @Test
    public void imagesAndStats() throws Exception {
        smallHost("shellit-stats");
        assertEquals(List.of("0 images"), admin("debmonitor:image-list"));
        List<String> stats = admin("debmonitor:stats");
        assertEquals(stats.toString(), 32, stats.size());
        assertTrue(stats.toString(), stats.stream().allMatch(
                l -> l.matches("[A-Z][A-Za-z ]+: (\\d+|-|" + ISO + "|\\d+ \\(no report for \\d+ (hours?|days?)\\)|\\d+ hours( \\(stale\\))?)")));
        assertTrue(stats.toString(), stats.contains("Images stale: 0 (no report for 45 days)"));
        long hosts = Long.parseLong(stats.get(0).substring("Hosts: ".length()));
        assertTrue(stats.get(0), hosts >= 1);
        assertTrue(stats.toString(), stats.contains("Images: 0"));
    }

    @Test
    public void gcDryRunCountsThenGcDeletesAStaleHostAndItsOrphans() throws Exception {
        String host = smallHost("shellit-gc");
        sql("update host set modified = ? where name = ?", LocalDateTime.now(ZoneOffset.UTC).minusDays(16), host);

        List<String> stale = admin("debmonitor:host-list --stale 360");
        assertTrue(stale.toString(), stale.stream().anyMatch(l -> l.startsWith(host + "  ")));
        assertEquals("--stale HOURS must be at least 1.", fails("debmonitor:host-list --stale 0"));
        // 16 days is past the configured threshold (hostStaleHours 48) too.
        assertTrue(admin("debmonitor:host-list --stale").stream().anyMatch(l -> l.startsWith(host + "  ")));

        List<String> dry = admin("debmonitor:gc --dry-run");
        assertEquals(dry.toString(), 8, dry.size());
        Matcher hosts = Pattern.compile("Would delete (\\d+) hosts \\((\\d+) package rows\\)").matcher(dry.get(1));
        assertTrue(dry.get(1), hosts.matches() && Long.parseLong(hosts.group(1)) >= 1 && Long.parseLong(hosts.group(2)) >= 2);
        Matcher versions = Pattern.compile("Would delete (\\d+) package versions").matcher(dry.get(2));
        assertTrue(dry.get(2), versions.matches() && Long.parseLong(versions.group(1)) >= 3);
        assertEquals(2, rows(host).size());

        List<String> run = admin("debmonitor:gc");
        assertEquals(List.of("images", "hosts", "package versions", "packages", "source package versions", "source packages",
                "kernels", "history events"), run.stream().map(l -> l.replaceAll("^Deleted \\d+ | \\(.*\\)$", "")).toList());
        assertEquals(dry.stream().map(l -> l.replace("Would delete", "Deleted")).toList(), run);
        assertEquals("No host named '" + host + "'", fails("debmonitor:host-show " + host));
        assertEquals("No package named 'shellit-gc-tool'", fails("debmonitor:package-show shellit-gc-tool"));
        List<String> audited = admin("debmonitor:audit-list --action gc-run --actor shell: --limit 1");
        assertTrue(audited.toString(), audited.get(0).matches(ISO + "  shell:itest-admin  GC_RUN  -  deleted \\d+ images, .* in \\d+ ms"));

        // A run holding the lease (on this node or another) refuses a manual one; a dry run still works.
        sql("update job_lease set holder = 'another-node', expires = ? where name = 'gc'", LocalDateTime.now(ZoneOffset.UTC).plusMinutes(5));
        try {
            assertEquals("gc already running", fails("debmonitor:gc"));
            assertEquals(8, admin("debmonitor:gc --dry-run").size());
        } finally {
            sql("update job_lease set holder = null, expires = null where name = 'gc'");
        }
        assertTrue(admin("scheduler:list").toString(), admin("scheduler:list").stream().anyMatch(l -> l.contains("debmonitor-gc")));
    }

    @Test
    public void imageRemoveRefusesAnImageInUseUnlessForced() throws Exception {
        String image = reportImageInUse(smallHost("shellit-image"));
        List<String> shown = admin("debmonitor:image-show " + image);
        assertEquals(shown.toString(), "OS: Debian 12", shown.get(0));
        assertTrue(shown.toString(), shown.contains("Digest: " + SHELLIT_DIGEST));
        assertEquals(shown.toString(), "prod/web: 3", shown.get(shown.size() - 1));

        Result refused = run("admin", "debmonitor:image-remove " + image);
        assertEquals("Not removed: image '" + image + "'", refused.error());
        assertEquals(List.of("Image " + image + " is in use in clusters prod; not removed (--force removes its kubernetes rows too)"),
                refused.lines());
        assertEquals(List.of("Removed image " + image + " (0 packages, 1 kubernetes rows)"),
                admin("debmonitor:image-remove --force " + image));
        List<String> audited = admin("debmonitor:audit-list --action image-removed --limit 1");
        assertEquals(audited.toString(), "shell:itest-admin  IMAGE_REMOVED  " + image + "  0 packages, 1 kubernetes rows",
                audited.get(0).substring(audited.get(0).indexOf("  ") + 2));
        assertEquals("No image named '" + image + "'", fails("debmonitor:image-show " + image));
    }

    @Test
    public void cveImportSwitchesSnapshotsAndRefusesWhatIsNoFeed() throws Exception {
        String fixture = Path.of(System.getProperty("fixtures.dir"), "cve", "dst-fixture.json").toString();
        List<String> first = admin("debmonitor:cve-import " + fixture);
        assertTrue(first.toString(), first.get(0).matches("Snapshot: \\d+ \\(active\\)"));
        assertTrue(first.contains("Releases: bookworm, bullseye, buster, sid"));
        assertTrue(first.contains("Skipped: 0"));
        // The same file again: nothing imported (other tests of this class may have imported it first).
        assertTrue(admin("debmonitor:cve-import " + fixture).get(0).startsWith("Unchanged: the active snapshot has the same sha256"));
        List<String> feed = admin("debmonitor:cve-feed");
        assertTrue(feed.toString(), feed.get(0).startsWith("Snapshot: "));
        assertTrue(feed.toString(), feed.stream().anyMatch(line -> line.matches("Last check: .*  unchanged  file:.*dst-fixture.json")));

        // cve-explain: the explanation record of one finding (CVE.md §8).
        String host = uniqueHost();
        String body = ("{'api_version':'v1','os':'Debian 12','update_type':'full','hostname':'" + host + "',"
                + "'running_kernel':{'release':'6.1.0-18-amd64','version':'#1 SMP Debian 6.1.76-1'},"
                + "'installed':[{'name':'libssl3','version':'3.0.14-1~deb12u2','source':'openssl','source_version':'3.0.14-1~deb12u2'}],"
                + "'uninstalled':[],'upgradable':[]}").replace('\'', '"');
        assertEquals(201, post("/hosts/" + host + "/update", body).statusCode());
        List<String> explained = admin("debmonitor:cve-explain " + host + " CVE-2024-9143");
        assertEquals("CVE-2024-9143 · source openssl · Debian 12 (bookworm) · host " + host, explained.get(0));
        assertTrue(explained.toString(), explained.contains("Rule       3.0.14-1~deb12u2 < 3.0.15-1~deb12u1 (dpkg) → affected"));
        assertTrue(explained.toString(), explained.contains("Elsewhere  fixed in unstable 3.3.2-2"));
        assertEquals("CVE-1999-0001 has no entry for the sources of host " + host + " in bookworm",
                fails("debmonitor:cve-explain " + host + " CVE-1999-0001"));
        assertEquals("No host or image named 'nowhere.example.org'", fails("debmonitor:cve-explain nowhere.example.org CVE-2024-9143"));

        // cve-show: Debian's rows, then the stored findings, which the refresher writes within a second or so.
        String finding = host + "  host  openssl  3.0.14-1~deb12u2  AFFECTED_FIXED  not_offered";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> shown = admin("debmonitor:cve-show CVE-2024-9143");
        while (!shown.contains(finding) && System.nanoTime() < deadline) {
            shown = admin("debmonitor:cve-show CVE-2024-9143");
        }
        assertTrue(shown.toString(), shown.contains(finding));
        assertTrue(shown.toString(), shown.contains("openssl  bookworm  resolved  3.0.15-1~deb12u1  not yet assigned"));
        assertTrue(shown.toString(), shown.get(shown.size() - 1).matches("\\d+ findings?"));
        assertEquals("CVE-1999-0001 is not in the active CVE feed snapshot", fails("debmonitor:cve-show CVE-1999-0001"));

        Path notAFeed = Files.createTempFile("not-a-feed", ".json");
        Files.writeString(notAFeed, "[1, 2]");
        assertEquals("The feed must be a JSON object of source packages.", fails("debmonitor:cve-import " + notAFeed));
        assertEquals(first.get(0), admin("debmonitor:cve-feed").get(0));
    }

    @Test
    public void commandsNeedTheAdminRole() throws Exception {
        Result viewer = run("viewer", "debmonitor:stats");
        assertEquals("Command not found: debmonitor:stats", viewer.error());
        assertEquals(List.of(), viewer.lines());
    }

    @Test
    public void hostImageAndPackageNamesComplete() throws Exception {
        String host = smallHost("shellit-complete");
        String image = reportImageInUse(host);
        try {
            assertCompletes("host-show", host, host.substring(0, 6));
            assertCompletes("image-show", image, image.substring(0, 30));
            assertCompletes("package-show", "shellit-complete-tool", "shellit-complete-t");
        } finally {
            admin("debmonitor:image-remove --force " + image);
        }
    }

    /** Completing {@code typed} as the command's argument offers {@code expected}, and only names starting with what was typed. */
    private void assertCompletes(String name, String expected, String typed) throws Exception {
        Command command = sessionFactory.getRegistry().getCommands().stream()
                .filter(c -> c.getScope().equals("debmonitor") && c.getName().equals(name)).findFirst().orElseThrow();
        List<String> candidates = new ArrayList<>();
        try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), System.out, System.out)) {
            Completer completer = command.getCompleter(true);
            completer.complete(session, commandLine("debmonitor:" + name, typed), candidates);
        }
        assertTrue(name + " " + candidates, candidates.stream().map(String::trim).anyMatch(expected::equals));
        assertTrue(name + " " + candidates, candidates.stream().map(String::trim).allMatch(c -> c.startsWith(typed)));
    }

    private static CommandLine commandLine(String command, String typed) {
        String buffer = command + " " + typed;
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return 1;
            }

            @Override
            public String getCursorArgument() {
                return typed;
            }

            @Override
            public int getArgumentPosition() {
                return typed.length();
            }

            @Override
            public String[] getArguments() {
                return new String[] {command, typed};
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }

    /** A host with {@code <prefix>-lib 2.0} and {@code <prefix>-tool 1.0-1}, upgradable to 1.0-2 (security). */
    private String smallHost(String prefix) throws Exception {
        String host = uniqueHost();
        String body = ("{'api_version':'v1','os':'Debian 12','update_type':'full','hostname':'" + host + "',"
                + "'running_kernel':{'release':'6.1.0-18-amd64','version':'#1 SMP Debian 6.1.76-1'},"
                + "'installed':[{'name':'" + prefix + "-lib','version':'2.0','source':'" + prefix + "'},"
                + "{'name':'" + prefix + "-tool','version':'1.0-1','source':'" + prefix + "'}],'uninstalled':[],"
                + "'upgradable':[{'name':'" + prefix + "-tool','version_from':'1.0-1','version_to':'1.0-2','source':'" + prefix + "',"
                + "'type':'security'}]}").replace('\'', '"');
        HttpResponse<String> response = post("/hosts/" + host + "/update", body);
        assertEquals(response.body(), 201, response.statusCode());
        return host;
    }

    /** An image without rows on the host's OS, run by 3 containers of prod/web (no image source is installed yet, issue #10). */
    /** Reports an image with no packages as the uploader, and a snapshot of cluster prod running it as the kubernetes reporter. */
    private String reportImageInUse(String host) throws Exception {
        String image = "registry.example.org/shellit/" + host + ":1";
        String report = "{\"os\": \"Debian 12\", \"update_type\": \"full\", \"image_name\": \"" + image + "\", \"digest\": \""
                + SHELLIT_DIGEST + "\"}";
        assertEquals(201, send(http, baseUrl(), "POST", "/images/" + image + "/update", report.getBytes(StandardCharsets.UTF_8),
                "X-Client-Cert-Verify", "SUCCESS", "X-Client-Cert-Subject-DN", "CN=" + UPLOADER).statusCode());
        String snapshot = "{\"cluster\": \"prod\", \"images\": {\"" + image + "\": {\"web\": 3}}}";
        assertEquals(201, send(http, baseUrl(), "POST", "/kubernetes/update", snapshot.getBytes(StandardCharsets.UTF_8),
                "X-Client-Cert-Verify", "SUCCESS", "X-Client-Cert-Subject-DN", "CN=" + KUBERNETES_REPORTER).statusCode());
        return image;
    }

    private void sql(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            assertEquals(sql, 1, ps.executeUpdate());
        }
    }

    private static String quote(String s) {
        return java.util.regex.Pattern.quote(s);
    }

    private List<String> admin(String command) throws Exception {
        Result result = run("admin", command);
        if (result.error() != null) {
            fail(command + " failed: " + result.error() + " after " + result.lines());
        }
        return result.lines();
    }

    private String fails(String command) throws Exception {
        Result result = run("admin", command);
        if (result.error() == null) {
            fail(command + " did not fail: " + result.lines());
        }
        return result.error();
    }

    /** Runs one command line as a user holding {@code role}, in a session without a terminal (as ssh and bin/client run one). */
    private Result run(String role, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("itest-" + role));
        subject.getPrincipals().add(new RolePrincipal(role));
        String error = null;
        try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out)) {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            error = String.valueOf(e.getException().getMessage());
        } catch (RuntimeException e) {
            // Subject.doAs throws unchecked exceptions unwrapped; Karaf prints their message.
            error = String.valueOf(e.getMessage());
        }
        out.flush();
        return new Result(bytes.toString(StandardCharsets.UTF_8).lines().toList(), error);
    }
}
