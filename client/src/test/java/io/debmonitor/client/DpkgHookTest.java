package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class DpkgHookTest {

    static final String PREAMBLE = "VERSION 3\nAPT::Architecture=amd64\nDir=/\nDir::State=var/lib/apt/\n\n";

    static final DpkgStatus STATUS = DpkgStatus.parse(String.join("\n",
            "Package: dpkg", "Status: install ok installed", "Architecture: amd64", "Version: 1.21.22", "",
            "Package: less", "Status: install ok installed", "Architecture: amd64", "Version: 590-2.1~deb12u2", "",
            "Package: libfoo1", "Status: install ok installed", "Architecture: i386", "Source: foo (1.0-1)",
            "Version: 1.0-1+b1", "",
            "Package: curl", "Status: install ok installed", "Architecture: amd64", "Version: 7.88.1-10+deb12u14",
            ""), () -> null);

    private final List<String> logged = new ArrayList<>();
    private Consumer<String> oldSink;
    private final List<Collection<String>> listQueries = new ArrayList<>();
    private final List<String> debQueries = new ArrayList<>();
    private final Map<String, DpkgStatus.Source> lists = new HashMap<>();
    private final Map<String, DpkgStatus.Source> debs = new HashMap<>();

    @Before
    public void captureLog() {
        oldSink = Log.setSink(logged::add);
        Log.setThreshold(Log.Level.WARNING);
    }

    @After
    public void restoreLog() {
        Log.setSink(oldSink);
        Log.setThreshold(Log.Level.INFO);
    }

    private DpkgHook.Report build(String stdin) throws ClientException {
        DpkgHook.Input input = DpkgHook.parse(stdin);
        Function<Collection<String>, Map<String, DpkgStatus.Source>> listLookup = keys -> {
            listQueries.add(new ArrayList<>(keys));
            return lists;
        };
        Function<String, DpkgStatus.Source> debLookup = path -> {
            debQueries.add(path);
            return debs.get(path);
        };
        return DpkgHook.build(input, STATUS.nativeArch(), STATUS, listLookup, debLookup);
    }

    private static List<String> describe(List<Payload.Package> items) {
        List<String> out = new ArrayList<>();
        for (Payload.Package p : items) {
            out.add(p.name() + " " + p.version() + " " + p.source() + " " + p.sourceVersion());
        }
        return out;
    }

    @Test
    public void fixtureInputGivesTheFixtureReport() throws Exception {
        String stdin = TestFiles.resource("dpkg_hook.stdin");
        lists.put("curl 7.88.1-10+deb12u15", new DpkgStatus.Source("curl", "7.88.1-10+deb12u15"));
        lists.put("cowsay 3.03+dfsg2-8", new DpkgStatus.Source("cowsay", "3.03+dfsg2-8"));
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("curl 7.88.1-10+deb12u15 curl 7.88.1-10+deb12u15",
                "cowsay 3.03+dfsg2-8 cowsay 3.03+dfsg2-8"), describe(r.installed()));
        assertEquals(List.of("less 590-2.1~deb12u2 less null"), describe(r.uninstalled()));
        assertEquals("one batched list lookup", 1, listQueries.size());
        assertTrue(debQueries.isEmpty());
        assertTrue(logged.isEmpty());
    }

    @Test
    public void version2HasFiveFieldsAndNoQualification() throws Exception {
        String stdin = "VERSION 2\nAPT::Architecture=amd64\n\n"
                + "libfoo1 - < 2.0-1 /var/cache/apt/archives/libfoo1_2.0-1_i386.deb\n"
                + "less 590-2.1~deb12u2 > - **REMOVE**\n"
                + "libfoo1 - < 2.0-1 **CONFIGURE**\n";
        DpkgHook.Input input = DpkgHook.parse(stdin);
        assertEquals(2, input.version());
        assertEquals("amd64", input.config().get("APT::Architecture"));
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("libfoo1 2.0-1 libfoo1 null"), describe(r.installed()));
        assertEquals(List.of("less 590-2.1~deb12u2 less null"), describe(r.uninstalled()));
    }

    @Test
    public void version3QualifiesForeignArchsAndUsesTheOldArchForRemovals() throws Exception {
        String stdin = PREAMBLE
                + "libbar1 - - none < 2.0 i386 same /cache/libbar1_2.0_i386.deb\n"
                + "libbaz1 - - none < 3.0 amd64 same /cache/libbaz1_3.0_amd64.deb\n"
                + "tzdata - - none < 2024a all foreign /cache/tzdata_2024a_all.deb\n"
                + "libfoo1 1.0-1+b1 i386 same > - - none **REMOVE**\n";
        lists.put("libbar1 2.0", new DpkgStatus.Source("bar", "2.0"));
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("libbar1:i386 2.0 bar 2.0", "libbaz1 3.0 libbaz1 null", "tzdata 2024a tzdata null"),
                describe(r.installed()));
        // The removed package's source comes from the status database, under its qualified name.
        assertEquals(List.of("libfoo1:i386 1.0-1+b1 foo null"), describe(r.uninstalled()));
    }

    @Test
    public void debControlFieldsAreTheSecondSourceAndTheNameTheLast() throws Exception {
        String stdin = PREAMBLE
                + "local - - none < 1.0 amd64 none /tmp/local_1.0_amd64.deb\n"
                + "other - - none < 2.0 amd64 none /tmp/other_2.0_amd64.deb\n";
        debs.put("/tmp/local_1.0_amd64.deb", new DpkgStatus.Source("localsrc", "0.9"));
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("local 1.0 localsrc 0.9", "other 2.0 other null"), describe(r.installed()));
        assertEquals(List.of("/tmp/local_1.0_amd64.deb", "/tmp/other_2.0_amd64.deb"), debQueries);
    }

    @Test
    public void emptyInputIsNothingToDo() throws Exception {
        assertSame(DpkgHook.Input.EMPTY, DpkgHook.parse(""));
        assertTrue(DpkgHook.parse("").actions().isEmpty());
    }

    @Test
    public void preambleOnlyHasNoActions() throws Exception {
        DpkgHook.Input input = DpkgHook.parse(PREAMBLE);
        assertTrue(input.actions().isEmpty());
        assertEquals(3, input.version());
        assertTrue(DpkgHook.parse("VERSION 3\n\n").actions().isEmpty());
    }

    @Test
    public void configureOnlyInputBuildsAnEmptyReport() throws Exception {
        DpkgHook.Report r = build(PREAMBLE + "curl 1 amd64 same < 2 amd64 same **CONFIGURE**\n");
        assertTrue(r.isEmpty());
        assertTrue("no lookup for nothing", listQueries.isEmpty());
    }

    @Test
    public void badFirstLineFails() {
        try {
            DpkgHook.parse("VERSION 4\n\n");
            fail();
        } catch (ClientException e) {
            assertEquals("Unsupported hook protocol: VERSION 4", e.getMessage());
        }
        try {
            DpkgHook.parse("curl 1 < 2 /x.deb\n");
            fail();
        } catch (ClientException e) {
            assertEquals("Unsupported hook protocol: curl 1 < 2 /x.deb", e.getMessage());
        }
    }

    @Test
    public void missingSeparatorFails() {
        try {
            DpkgHook.parse("VERSION 3\nAPT::Architecture=amd64\n");
            fail();
        } catch (ClientException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no empty line"));
        }
    }

    @Test
    public void malformedLinesAreSkippedWithAWarning() throws Exception {
        String stdin = PREAMBLE
                + "curl 1 amd64 same < 2 amd64\n"
                + "too many fields here a b c d e f g\n"
                + "cowsay - - none < 3 all none /cache/cowsay_3_all.deb\n";
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("cowsay 3 cowsay null"), describe(r.installed()));
        assertEquals(2, logged.size());
        assertTrue(logged.get(0), logged.get(0).startsWith("[WARNING] Skipping malformed hook line"));
        assertTrue(logged.get(0), logged.get(0).endsWith("curl 1 amd64 same < 2 amd64"));
    }

    @Test
    public void unknownDirectionIsSkippedWithAWarning() throws Exception {
        DpkgHook.Report r = build(PREAMBLE + "curl 1 amd64 same ! 2 amd64 same /cache/curl.deb\n");
        assertTrue(r.isEmpty());
        assertEquals(1, logged.size());
        assertTrue(logged.get(0), logged.get(0).contains("unknown direction '!'"));
    }

    @Test
    public void reinstallIsIgnored() throws Exception {
        DpkgHook.Report r = build(PREAMBLE + "curl 7.88.1-10+deb12u14 amd64 same = 7.88.1-10+deb12u14 amd64 same "
                + "/cache/curl.deb\n");
        assertTrue(r.isEmpty());
        assertTrue(logged.isEmpty());
    }

    @Test
    public void downgradeWithANewVersionIsAnInstall() throws Exception {
        DpkgHook.Report r = build(PREAMBLE + "curl 7.88.1-10+deb12u14 amd64 same > 7.88.1-10 amd64 same "
                + "/cache/curl.deb\n");
        assertEquals(List.of("curl 7.88.1-10 curl null"), describe(r.installed()));
    }

    @Test
    public void removalOfAnUnknownPackageUsesItsName() throws Exception {
        DpkgHook.Report r = build(PREAMBLE + "ghost 1.0 amd64 none > - - none **REMOVE**\n");
        assertEquals(List.of("ghost 1.0 ghost null"), describe(r.uninstalled()));
    }

    @Test
    public void lastLineWins() throws Exception {
        String stdin = PREAMBLE
                + "curl 1 amd64 same < 2 amd64 same /cache/curl_2.deb\n"
                + "less 590-2.1~deb12u2 amd64 none > - - none **REMOVE**\n"
                + "curl 1 amd64 same > - - none **REMOVE**\n"
                + "less - - none < 600 amd64 none /cache/less_600.deb\n"
                + "less - - none = 600 amd64 none /cache/less_600.deb\n";
        DpkgHook.Report r = build(stdin);
        assertEquals(List.of("less 600 less null"), describe(r.installed()));
        assertEquals(List.of("curl 1 curl null"), describe(r.uninstalled()));
    }

    @Test
    public void listsDirFollowsAptConfiguration() throws Exception {
        assertEquals(Path.of("/var/lib/apt/lists"), DpkgHook.listsDir(Map.of()));
        assertEquals(Path.of("/srv/root/var/lib/apt/lists"),
                DpkgHook.listsDir(Map.of("Dir", "/srv/root/", "Dir::State", "var/lib/apt/")));
        assertEquals(Path.of("/x/lists"), DpkgHook.listsDir(Map.of("Dir::State", "/x", "Dir::State::lists", "lists/")));
        assertEquals(Path.of("/elsewhere"), DpkgHook.listsDir(Map.of("Dir::State::lists", "/elsewhere")));
    }

    @Test
    public void parseControlReadsDpkgDebOutput() {
        assertEquals(new DpkgStatus.Source("src", "1.0"),
                DpkgHook.parseControl("Package: bin\nVersion: 1.0+b1\nSource: src (1.0)\n"));
        assertEquals(new DpkgStatus.Source("cowsay", "3.03"), DpkgHook.parseControl("Package: cowsay\nVersion: 3.03\n"));
        assertFalse(DpkgHook.parseControl("") != null);
    }
}
