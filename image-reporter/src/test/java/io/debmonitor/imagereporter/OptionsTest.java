package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OptionsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path noConfig() {
        return tmp.getRoot().toPath().resolve("absent.conf");
    }

    private Options parse(String... args) throws UsageException {
        return Options.parse(args, Map.of(), noConfig());
    }

    private String usageError(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    private Path config(String text) throws IOException {
        Path file = tmp.newFile().toPath();
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    public void registryCommandWithDefaults() throws Exception {
        Options o = parse("--server", "https://debmonitor.example.org:8443/", "--cert", "c.pem", "--key", "k.pem",
                "--registry", "https://registry.example.org:5000", "registry");

        assertEquals(Options.Command.REGISTRY, o.command);
        assertEquals("https://debmonitor.example.org:8443", o.server.toString());
        assertEquals("registry.example.org:5000", o.registryName);
        assertEquals(new Platform("linux", "amd64", null), o.platform);
        assertEquals(4, o.concurrency);
        assertEquals(3, o.retries);
        assertEquals(60, o.timeoutSeconds);
        assertEquals(30, o.refreshDays);
        assertFalse(o.dryRun);
        assertNull(o.registryUser);
    }

    @Test
    public void registryNameWithoutPortWhenTheUrlHasNone() throws Exception {
        Options o = parse("--dry-run", "--registry", "https://registry.example.org", "registry");
        assertEquals("registry.example.org", o.registryName);
    }

    @Test
    public void everyOptionIsRead() throws Exception {
        Path password = tmp.newFile().toPath();
        Files.writeString(password, " s3cret \n");
        Options o = parse("registry", "--server=https://dm.example.org", "--ca", "ca.pem",
                "--registry", "http://127.0.0.1:5000", "--registry-name", "docker-registry.example.org",
                "--registry-ca", "rca.pem", "--registry-user", "bob", "--registry-password-file", password.toString(),
                "--platform", "linux/arm/v7", "--include", "wikimedia/**", "--include", "library/*:12",
                "--exclude", "**:*-dev", "--concurrency", "8", "--retries", "0", "--timeout", "5",
                "--refresh-days", "89", "--verbose");

        assertEquals("docker-registry.example.org", o.registryName);
        assertEquals("http://127.0.0.1:5000", o.registry.toString());
        assertEquals("bob", o.registryUser);
        assertEquals(" s3cret ", o.registryPassword);
        assertEquals(new Platform("linux", "arm", "v7"), o.platform);
        assertEquals(List.of("wikimedia/**", "library/*:12"), o.includes);
        assertEquals(List.of("**:*-dev"), o.excludes);
        assertEquals(8, o.concurrency);
        assertEquals(0, o.retries);
        assertEquals(5, o.timeoutSeconds);
        assertEquals(89, o.refreshDays);
        assertTrue(o.verbose);
        assertEquals("rca.pem", o.registryCa);
        assertEquals("ca.pem", o.ca);
    }

    @Test
    public void thePasswordMayComeFromTheEnvironment() throws Exception {
        Options o = Options.parse(new String[] {"--dry-run", "--registry", "https://r.example.org", "--registry-user",
            "bob", "registry"}, Map.of(Options.PASSWORD_ENV, "pw"), noConfig());
        assertEquals("pw", o.registryPassword);
    }

    @Test
    public void kubernetesCommand() throws Exception {
        Options o = parse("--server", "https://dm.example.org", "kubernetes", "--cluster", "eqiad", "pods.json");
        assertEquals(Options.Command.KUBERNETES, o.command);
        assertEquals("eqiad", o.cluster);
        assertEquals("pods.json", o.file);

        assertEquals("-", parse("--dry-run", "kubernetes", "--cluster", "eqiad", "-").file);
    }

    @Test
    public void helpWinsOverEverythingElse() throws Exception {
        assertTrue(parse("--bogus", "--help").help);
        assertTrue(parse("-h").help);
        assertTrue(parse("registry", "--help").help);
    }

    @Test
    public void configFileIsReadAndTheCommandLineWins() throws Exception {
        Path file = config("# DebMonitor image reporter\n"
                + "server = https://dm.example.org\n"
                + "\n"
                + "registry = https://registry.example.org\n"
                + "concurrency = 2\n"
                + "include = a/**\n"
                + "include = b/**\n"
                + "exclude = **:latest\n"
                + "dry-run = yes\n"
                + "  refresh-days=10  \n");

        Options fromFile = parse("--config", file.toString(), "registry");
        assertEquals("https://dm.example.org", fromFile.server.toString());
        assertEquals(2, fromFile.concurrency);
        assertEquals(10, fromFile.refreshDays);
        assertEquals(List.of("a/**", "b/**"), fromFile.includes);
        assertEquals(List.of("**:latest"), fromFile.excludes);
        assertTrue(fromFile.dryRun);

        Options overridden = parse("--config", file.toString(), "--concurrency", "6", "--include", "c/*", "registry");
        assertEquals(6, overridden.concurrency);
        assertEquals(List.of("c/*"), overridden.includes);
        assertEquals(List.of("**:latest"), overridden.excludes);
    }

    @Test
    public void theDefaultConfigFileIsUsedWhenPresent() throws Exception {
        Path file = config("registry = https://registry.example.org\ndry-run = true\n");
        Options o = Options.parse(new String[] {"registry"}, Map.of(), file);
        assertEquals("https://registry.example.org", o.registry.toString());
    }

    @Test
    public void configFileMistakesAreUsageErrors() throws Exception {
        assertTrue(usageError("--config", config("registry https://x").toString(), "registry")
                .contains("expected key = value"));
        assertTrue(usageError("--config", config("colour = blue").toString(), "registry")
                .contains("unknown key colour"));
        assertTrue(usageError("--config", config("dry-run = maybe").toString(), "registry")
                .contains("invalid boolean maybe"));
        assertTrue(usageError("--config", noConfig().toString(), "registry")
                .startsWith("cannot read the configuration file"));
    }

    @Test
    public void commandLineMistakesAreOneLineUsageErrors() {
        assertEquals("missing command: registry or kubernetes (see --help)", usageError("--dry-run"));
        assertTrue(usageError("--dry-run", "push").startsWith("unknown command push"));
        assertEquals("unknown option --colour", usageError("--colour", "red", "registry"));
        assertEquals("unknown option -x", usageError("-x", "registry"));
        assertEquals("--registry needs a value", usageError("registry", "--registry"));
        assertEquals("--server is required (or --dry-run)", usageError("--registry", "https://r", "registry"));
        assertEquals("--registry is required for the registry command", usageError("--dry-run", "registry"));
        assertEquals("--key needs --cert", usageError("--dry-run", "--key", "k.pem", "--registry", "https://r", "registry"));
        assertEquals("--concurrency expects an integer, got four",
                usageError("--dry-run", "--registry", "https://r", "--concurrency", "four", "registry"));
        assertEquals("--refresh-days must be from 0 to 89, got 90",
                usageError("--dry-run", "--registry", "https://r", "--refresh-days", "90", "registry"));
        assertTrue(usageError("--dry-run", "--registry", "ftp://r", "registry").startsWith("invalid --registry"));
        assertTrue(usageError("--dry-run", "--registry", "https://r/v2", "registry").contains("without a path"));
        assertTrue(usageError("--dry-run", "--registry", "https://r", "--platform", "amd64", "registry")
                .startsWith("invalid --platform amd64"));
        assertTrue(usageError("--dry-run", "--registry", "https://r", "--registry-user", "bob", "registry")
                .contains(Options.PASSWORD_ENV));
        assertEquals("--dry-run takes no value", usageError("--dry-run=no", "registry"));
        assertEquals("--cluster is required for the kubernetes command", usageError("--dry-run", "kubernetes", "f"));
        assertTrue(usageError("--dry-run", "kubernetes", "--cluster", "c").startsWith("kubernetes needs FILE"));
        assertEquals("unexpected argument extra after registry",
                usageError("--dry-run", "--registry", "https://r", "registry", "extra"));
    }
}
