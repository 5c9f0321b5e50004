package io.debmonitor.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class OptionsTest {

    private Path dir;
    private Path missingConfig;

    @Before
    public void createDir() throws IOException {
        dir = Files.createTempDirectory("options");
        missingConfig = dir.resolve("missing.conf");
    }

    @After
    public void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private Path config(String text) throws IOException {
        Path file = dir.resolve("debmonitor.conf");
        Files.writeString(file, text);
        return file;
    }

    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    /** Parses with an explicit config file so the machine's /etc/debmonitor.conf never matters. */
    private Options parse(Path config, String... args) throws UsageException {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Options.parse(all, NO_STDIN);
    }

    private Options parse(String... args) throws Exception {
        return parse(config("[DEFAULT]\n"), args);
    }

    private String usageError(Path config, String... args) {
        try {
            parse(config, args);
        } catch (UsageException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a usage error");
    }

    private String usageError(String... args) throws IOException {
        return usageError(config("[DEFAULT]\n"), args);
    }

    @Test
    public void defaults() throws Exception {
        Options o = parse("-n");
        assertTrue(o.dryRun);
        assertEquals(443, o.port);
        assertEquals(3, o.retries);
        assertEquals(60, o.retryBackoff);
        assertEquals(10, o.hookTimeout);
        assertEquals(30, o.readTimeout);
        assertEquals("v1", o.api);
        assertFalse(o.debug || o.upgradable || o.dpkgHook);
        assertNull(o.cert);
        assertTrue(o.servers.isEmpty());
    }

    @Test
    public void configBooleans() throws Exception {
        for (String t : new String[] {"true", "yes", "on", "1", "TRUE", "Yes"}) {
            assertTrue(t, parse(config("[DEFAULT]\nserver=a\ndebug=" + t + "\n")).debug);
        }
        for (String f : new String[] {"false", "no", "off", "0", "", "False", "OFF"}) {
            assertFalse(f, parse(config("[DEFAULT]\nserver=a\ndebug=" + f + "\n")).debug);
        }
        assertTrue(usageError(config("[DEFAULT]\nserver=a\ndebug=maybe\n")).contains("'maybe'"));
    }

    @Test
    public void debugFalseIsFalse() throws Exception {
        Options o = parse(config("[DEFAULT]\nserver = debmonitor.example.org\ndebug = false\ndry_run = no\n"));
        assertFalse(o.debug);
        assertFalse(o.dryRun);
    }

    @Test
    public void configServersAreSplitOnCommasAndTrimmed() throws Exception {
        Options o = parse(config("[DEFAULT]\nserver = a.example.org, b.example.org ,c\n"));
        assertEquals(List.of("a.example.org", "b.example.org", "c"), o.servers);
    }

    @Test
    public void commandLineServersAreSplitAndRepeatedOptionsAddUp() throws Exception {
        Options o = parse(config("[DEFAULT]\nserver = ignored.example.org\n"),
                "-s", "a, b", "c", "--server", "d", "-se", "--server=f,g");
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), o.servers);
    }

    @Test
    public void commandLineOverridesTheFile() throws Exception {
        Path conf = config("[DEFAULT]\nserver=a\nport=8443\nretries=5\ncert=/etc/c.pem\nkey=/etc/k.pem\n");
        Options o = parse(conf, "-p", "9443", "--retries=1", "-c", "/x.pem");
        assertEquals(9443, o.port);
        assertEquals(1, o.retries);
        assertEquals("/x.pem", o.cert);
        assertEquals("/etc/k.pem", o.key);
    }

    @Test
    public void keysAreCaseInsensitiveAndOtherSectionsIgnored() throws Exception {
        Path conf = config("# comment\n; other comment\n[DEFAULT]\nSERVER: a\nRead_Timeout = 7\n"
                + "[other]\nserver = b\nport = x\n");
        Options o = parse(conf);
        assertEquals(List.of("a"), o.servers);
        assertEquals(7, o.readTimeout);
        assertEquals(443, o.port);
    }

    @Test
    public void keyWithoutCertIsAUsageError() throws Exception {
        assertEquals("argument -k/--key: requires -c/--cert", usageError("-n", "-k", "/k.pem"));
        assertEquals("argument -k/--key: requires -c/--cert",
                usageError(config("[DEFAULT]\nserver=a\nkey=/k.pem\n")));
    }

    @Test
    public void upgradableWithDpkgHookIsAUsageError() throws Exception {
        assertTrue(usageError("-n", "-u", "-g").contains("not allowed"));
        assertTrue(usageError("-n", "-ug").contains("not allowed"));
        assertTrue(usageError(config("[DEFAULT]\nupgradable=yes\n"), "-n", "-g").contains("not allowed"));
    }

    @Test
    public void unknownOptionIsAUsageError() throws Exception {
        assertEquals("unrecognized arguments: --bogus", usageError("--bogus"));
        assertEquals("unrecognized arguments: -x", usageError("-n", "-x"));
        assertEquals("unrecognized arguments: extra", usageError("-n", "extra"));
    }

    @Test
    public void nonIntegerIsAUsageError() throws Exception {
        assertEquals("argument -p/--port: invalid int value: 'https'", usageError("-n", "-p", "https"));
        assertEquals("argument --retries: invalid int value: '1.5'", usageError("-n", "--retries", "1.5"));
        assertEquals("argument --hook-timeout: invalid int value: 'x'",
                usageError(config("[DEFAULT]\nhook_timeout=x\n"), "-n"));
        assertTrue(usageError("-n", "--retries", "-1").contains("is not between"));
    }

    @Test
    public void missingServerIsAUsageErrorUnlessDryRun() throws Exception {
        assertTrue(usageError().contains("server is required"));
        assertTrue(parse("-n").servers.isEmpty());
    }

    @Test
    public void missingValueIsAUsageError() throws Exception {
        assertEquals("argument -p/--port: expected one argument", usageError("-n", "-p"));
        assertEquals("argument -s/--server: expected at least one argument", usageError("-s", "-n"));
    }

    @Test
    public void flagsCanBeCombinedAndValuesAttached() throws Exception {
        Options o = parse("-nd", "-p8443", "--hook-t", "5");
        assertTrue(o.dryRun);
        assertTrue(o.debug);
        assertEquals(8443, o.port);
        assertEquals(5, o.hookTimeout);
    }

    @Test
    public void explicitConfigThatCannotBeReadIsAUsageError() {
        assertTrue(usageError(missingConfig, "-n").contains("cannot read the configuration file"));
    }

    @Test
    public void unparsableConfigIsAUsageError() throws Exception {
        assertTrue(usageError(config("server=a\n"), "-n").contains("no section header"));
        assertTrue(usageError(config("[DEFAULT]\njust some words\n"), "-n").contains("line 2"));
    }

    @Test
    public void continuationLinesExtendTheValue() throws Exception {
        Options o = parse(config("[DEFAULT]\nserver = a,\n  b\n"));
        assertEquals(List.of("a", "b"), o.servers);
    }

    @Test
    public void helpAndVersionStopParsing() throws Exception {
        assertTrue(Options.parse(new String[] {"-h", "--bogus"}, NO_STDIN).help);
        assertTrue(Options.parse(new String[] {"--version"}, NO_STDIN).version);
    }

    @Test
    public void onlyApiV1() throws Exception {
        assertEquals("v1", parse("-n", "-a", "v1").api);
        assertTrue(usageError("-n", "--api", "v2").contains("invalid choice"));
    }

    @Test
    public void imageFileMustBeAnObjectWithAStringImageName() throws Exception {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{}");
        assertTrue(usageError("-n", "-f", empty.toString()).contains("has no string image_name"));
        Path list = dir.resolve("list.json");
        Files.writeString(list, "[]");
        assertTrue(usageError("-n", "-f", list.toString()).contains("not a JSON object"));
        Path number = dir.resolve("number.json");
        Files.writeString(number, "{\"image_name\": 3}");
        assertTrue(usageError("-n", "-f", number.toString()).contains("has no string image_name"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"image_name\": ");
        assertTrue(usageError("-n", "-f", broken.toString()).contains("is not JSON"));
        assertTrue(usageError("-n", "-f", dir.resolve("nope.json").toString()).contains("cannot read"));

        Path good = dir.resolve("good.json");
        String text = "{\"image_name\": \"registry/app:1\", \"update_type\": \"full\", \"os\": \"Debian 12\"}";
        Files.writeString(good, text);
        Options o = parse("-n", "-f", good.toString());
        assertEquals("registry/app:1", o.imageFilePayload.get("image_name"));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), o.imageFileBytes);
        assertTrue(usageError("-n", "-u", "-f", good.toString()).contains("not allowed"));
        assertTrue(usageError("-n", "-i", "x", "-f", good.toString()).contains("not allowed"));
    }

    @Test
    public void imageFileFromStdin() throws Exception {
        byte[] body = "{\"image_name\": \"a/b:c\"}".getBytes(StandardCharsets.UTF_8);
        Options o = Options.parse(new String[] {"--config", config("[DEFAULT]\n").toString(), "-n", "-f", "-"},
                new ByteArrayInputStream(body));
        assertEquals(Map.of("image_name", "a/b:c"), o.imageFilePayload);
    }

    @Test
    public void hookModes() throws Exception {
        assertTrue(parse("-n", "-g").hookMode());
        assertTrue(parse("-n", "-u").hookMode());
        assertFalse(parse("-n").hookMode());
    }
}
