package io.debmonitor.imagereporter;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line merged over the configuration file ({@code key = value} lines, keys are the long
 * option names without the dashes; the command line wins). Every problem is a {@link UsageException}.
 */
final class Options {

    static final String DEFAULT_CONFIG = "/etc/debmonitor/image-reporter.conf";
    static final String PASSWORD_ENV = "DEBMONITOR_REGISTRY_PASSWORD";
    /** The server deletes images not reported for imageMaxAgeDays (90); a refresh must come before. */
    static final int GC_IMAGE_MAX_AGE_DAYS = 90;

    enum Command { REGISTRY, KUBERNETES }

    /** How an option takes its value. */
    private enum Kind { VALUE, LIST, FLAG }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        for (String name : List.of("server", "cert", "key", "ca", "registry", "registry-name", "registry-ca",
                "registry-user", "registry-password-file", "platform", "concurrency", "retries", "timeout",
                "refresh-days", "cluster")) {
            KINDS.put(name, Kind.VALUE);
        }
        KINDS.put("include", Kind.LIST);
        KINDS.put("exclude", Kind.LIST);
        KINDS.put("dry-run", Kind.FLAG);
        KINDS.put("verbose", Kind.FLAG);
    }

    static final String USAGE = "usage: debmonitor-image-reporter [options] registry\n"
            + "       debmonitor-image-reporter [options] kubernetes --cluster NAME FILE";

    static final String HELP = USAGE + "\n\n"
            + "Report the Debian packages of the images of a container registry to DebMonitor (registry),\n"
            + "or the images that a Kubernetes cluster runs (kubernetes; FILE is the output of\n"
            + "`kubectl get pods -A -o json`, '-' for stdin).\n\n"
            + "options (also read from --config, default " + DEFAULT_CONFIG + ", as `key = value` lines):\n"
            + "  --config FILE                 configuration file\n"
            + "  --server URL                  DebMonitor base URL, e.g. https://debmonitor.example.org:8443\n"
            + "  --cert FILE, --key FILE       PEM client certificate and key\n"
            + "  --ca FILE                     PEM bundle that verifies DebMonitor (default: system trust)\n"
            + "  --registry URL                registry base URL, e.g. https://registry.example.org:5000\n"
            + "  --registry-name NAME          image name prefix (default: host[:port] of --registry)\n"
            + "  --registry-ca FILE            PEM bundle that verifies the registry\n"
            + "  --registry-user USER          registry user; the password comes from\n"
            + "  --registry-password-file FILE   this file, or the environment variable " + PASSWORD_ENV + "\n"
            + "  --platform OS/ARCH[/VARIANT]  platform reported for multi-platform images (default linux/amd64)\n"
            + "  --include GLOB, --exclude GLOB  filter \"repository:tag\" (repeatable; '*' stays within\n"
            + "                                one path component, '**' crosses '/')\n"
            + "  --concurrency N               images read at the same time (default 4)\n"
            + "  --retries N                   retries per image and per post (default 3)\n"
            + "  --timeout SECONDS             per HTTP request, and per stalled read (default 60)\n"
            + "  --refresh-days N              re-post an unchanged image older than this (default 30, < "
            + GC_IMAGE_MAX_AGE_DAYS + ")\n"
            + "  --cluster NAME                cluster name (kubernetes)\n"
            + "  --dry-run                     print the payloads to stdout instead of posting them\n"
            + "  --verbose                     debug logging and stack traces\n"
            + "  -h, --help                    show this help and exit\n\n"
            + "exit status: 0 all done, 1 some images or posts failed, 2 usage or configuration error\n";

    Command command;
    boolean help;
    URI server;
    String cert;
    String key;
    String ca;
    URI registry;
    String registryName;
    String registryCa;
    String registryUser;
    String registryPassword;
    Platform platform = Platform.DEFAULT;
    List<String> includes = List.of();
    List<String> excludes = List.of();
    int concurrency = 4;
    int retries = 3;
    int timeoutSeconds = 60;
    int refreshDays = 30;
    boolean dryRun;
    boolean verbose;
    String cluster;
    /** The kubernetes snapshot file, '-' for stdin. */
    String file;

    private Options() {
    }

    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        return parse(args, env, Path.of(DEFAULT_CONFIG));
    }

    static Options parse(String[] args, Map<String, String> env, Path defaultConfig) throws UsageException {
        Map<String, List<String>> given = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        String config = null;
        Options o = new Options();
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            o.help = true;
            return o;
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-") || !arg.startsWith("-")) {
                positionals.add(arg);
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unknown option " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Kind kind = name.equals("config") ? Kind.VALUE : KINDS.get(name);
            if (kind == null) {
                throw new UsageException("unknown option --" + name);
            }
            if (kind == Kind.FLAG) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (name.equals("config")) {
                config = value;
            } else {
                given.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        Map<String, List<String>> merged = readConfig(config, defaultConfig);
        merged.putAll(given); // the command line wins, lists included
        o.apply(merged, positionals, env);
        return o;
    }

    /** The configuration file: an explicit one must be readable, the default one may be missing. */
    private static Map<String, List<String>> readConfig(String explicit, Path defaultConfig) throws UsageException {
        Path file = explicit != null ? Path.of(explicit) : defaultConfig;
        if (explicit == null && !Files.exists(file)) {
            return new HashMap<>();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read the configuration file " + file + ": " + Log.reason(e));
        }
        Map<String, List<String>> values = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = file + " line " + (n + 1);
            if (eq <= 0) {
                throw new UsageException("expected key = value in " + where);
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            Kind kind = KINDS.get(key);
            if (kind == null) {
                throw new UsageException("unknown key " + key + " in " + where);
            }
            if (kind == Kind.FLAG) {
                value = Boolean.toString(bool(value, key + " in " + where));
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static boolean bool(String value, String where) throws UsageException {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0", "":
                return false;
            default:
                throw new UsageException("invalid boolean " + value + " for " + where);
        }
    }

    private void apply(Map<String, List<String>> v, List<String> positionals, Map<String, String> env)
            throws UsageException {
        if (positionals.isEmpty()) {
            throw new UsageException("missing command: registry or kubernetes (see --help)");
        }
        String commandName = positionals.get(0);
        List<String> operands = positionals.subList(1, positionals.size());
        dryRun = Boolean.parseBoolean(last(v, "dry-run"));
        verbose = Boolean.parseBoolean(last(v, "verbose"));
        cert = last(v, "cert");
        key = last(v, "key");
        ca = last(v, "ca");
        if (key != null && cert == null) {
            throw new UsageException("--key needs --cert");
        }
        String serverText = last(v, "server");
        if (serverText != null) {
            server = baseUrl(serverText, "--server");
        } else if (!dryRun) {
            throw new UsageException("--server is required (or --dry-run)");
        }
        retries = integer(v, "retries", retries, 0, 100);
        timeoutSeconds = integer(v, "timeout", timeoutSeconds, 1, 86400);
        cluster = last(v, "cluster");
        switch (commandName) {
            case "registry" -> applyRegistry(v, operands, env);
            case "kubernetes" -> applyKubernetes(operands);
            default -> throw new UsageException("unknown command " + commandName + ": expected registry or kubernetes");
        }
    }

    private void applyRegistry(Map<String, List<String>> v, List<String> operands, Map<String, String> env)
            throws UsageException {
        command = Command.REGISTRY;
        if (!operands.isEmpty()) {
            throw new UsageException("unexpected argument " + operands.get(0) + " after registry");
        }
        if (cluster != null) {
            throw new UsageException("--cluster belongs to the kubernetes command");
        }
        String registryText = last(v, "registry");
        if (registryText == null) {
            throw new UsageException("--registry is required for the registry command");
        }
        registry = baseUrl(registryText, "--registry");
        if (!registry.getPath().isEmpty()) {
            throw new UsageException("--registry takes scheme://host[:port] without a path: " + registryText);
        }
        registryName = last(v, "registry-name");
        if (registryName == null) {
            registryName = registry.getHost() + (registry.getPort() >= 0 ? ":" + registry.getPort() : "");
        } else if (registryName.isEmpty() || registryName.contains("://") || registryName.endsWith("/")
                || registryName.chars().anyMatch(c -> c <= ' ')) {
            throw new UsageException("invalid --registry-name " + registryName + ": expected host[:port][/path]");
        }
        registryCa = last(v, "registry-ca");
        registryUser = last(v, "registry-user");
        String passwordFile = last(v, "registry-password-file");
        if (registryUser != null) {
            registryPassword = passwordFile != null ? readPassword(passwordFile) : env.get(PASSWORD_ENV);
            if (registryPassword == null) {
                throw new UsageException("--registry-user needs --registry-password-file or " + PASSWORD_ENV);
            }
        } else if (passwordFile != null) {
            throw new UsageException("--registry-password-file needs --registry-user");
        }
        String platformText = last(v, "platform");
        if (platformText != null) {
            platform = Platform.parse(platformText);
        }
        includes = v.getOrDefault("include", List.of());
        excludes = v.getOrDefault("exclude", List.of());
        concurrency = integer(v, "concurrency", concurrency, 1, 256);
        refreshDays = integer(v, "refresh-days", refreshDays, 0, GC_IMAGE_MAX_AGE_DAYS - 1);
    }

    private void applyKubernetes(List<String> operands) throws UsageException {
        command = Command.KUBERNETES;
        if (cluster == null || cluster.isBlank()) {
            throw new UsageException("--cluster is required for the kubernetes command");
        }
        if (operands.size() != 1) {
            throw new UsageException(operands.isEmpty() ? "kubernetes needs FILE (the output of kubectl get pods -A -o json, '-' for stdin)"
                    : "unexpected argument " + operands.get(1) + " after kubernetes FILE");
        }
        file = operands.get(0);
    }

    private static String last(Map<String, List<String>> v, String key) {
        List<String> values = v.get(key);
        return values == null ? null : values.get(values.size() - 1);
    }

    private static int integer(Map<String, List<String>> v, String key, int fallback, int min, int max)
            throws UsageException {
        String text = last(v, key);
        if (text == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got " + text);
        }
        if (n < min || n > max) {
            throw new UsageException("--" + key + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    /** An http(s) URL without trailing slashes. */
    private static URI baseUrl(String text, String option) throws UsageException {
        String trimmed = text.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
                throw new UsageException("invalid " + option + " " + text + ": expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("invalid " + option + " " + text + ": " + e.getReason());
        }
    }

    private static String readPassword(String file) throws UsageException {
        try {
            // Only the final line end goes: spaces may belong to the password.
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            throw new UsageException("cannot read --registry-password-file " + file + ": " + Log.reason(e));
        }
    }
}
