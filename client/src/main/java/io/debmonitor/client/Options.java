package io.debmonitor.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line merged over the {@code [DEFAULT]} section of the configuration file (SPEC §7.1).
 * Every problem is a {@link UsageException} (exit status 2).
 */
final class Options {

    static final String DEFAULT_CONFIG = "/etc/debmonitor.conf";

    /** How an option takes its value. */
    private enum Kind { FLAG, VALUE, SERVERS, HELP, VERSION }

    /** One command-line option; {@code key} is also its configuration file key. */
    private record Spec(String longName, char shortName, String key, Kind kind) {
    }

    private static final Spec[] SPECS = {
        new Spec("--config", '\0', "config", Kind.VALUE),
        new Spec("--server", 's', "server", Kind.SERVERS),
        new Spec("--port", 'p', "port", Kind.VALUE),
        new Spec("--cert", 'c', "cert", Kind.VALUE),
        new Spec("--key", 'k', "key", Kind.VALUE),
        new Spec("--ca", '\0', "ca", Kind.VALUE),
        new Spec("--api", 'a', "api", Kind.VALUE),
        new Spec("--upgradable", 'u', "upgradable", Kind.FLAG),
        new Spec("--dpkg-hook", 'g', "dpkg_hook", Kind.FLAG),
        new Spec("--image-name", 'i', "image_name", Kind.VALUE),
        new Spec("--image-file", 'f', "image_file", Kind.VALUE),
        new Spec("--dry-run", 'n', "dry_run", Kind.FLAG),
        new Spec("--retries", '\0', "retries", Kind.VALUE),
        new Spec("--retry-backoff", '\0', "retry_backoff", Kind.VALUE),
        new Spec("--debug", 'd', "debug", Kind.FLAG),
        new Spec("--hook-timeout", '\0', "hook_timeout", Kind.VALUE),
        new Spec("--read-timeout", '\0', "read_timeout", Kind.VALUE),
        new Spec("--hostname", '\0', "hostname", Kind.VALUE),
        new Spec("--version", '\0', "version", Kind.VERSION),
        new Spec("--help", 'h', "help", Kind.HELP),
    };

    static final String USAGE = "usage: debmonitor-client [-h] [--version] [--config PATH] [-s HOST [HOST ...]] [-p N]"
            + " [-c PATH] [-k PATH] [--ca PATH] [-a v1] [-u | -g] [-i REF | -f FILE] [-n] [--retries N]"
            + " [--retry-backoff S] [--hook-timeout S] [--read-timeout S] [--hostname FQDN] [-d]";

    static final String HELP = USAGE + "\n\n"
            + "Report the installed and upgradable Debian packages of this host to DebMonitor.\n\n"
            + "options:\n"
            + "  -h, --help            show this help message and exit\n"
            + "  --version             show the version and exit\n"
            + "  --config PATH         configuration file (default " + DEFAULT_CONFIG + ")\n"
            + "  -s, --server HOST [HOST ...]\n"
            + "                        DebMonitor servers; comma-separated values and repeated -s add up\n"
            + "  -p, --port N          HTTPS port of the servers (default 443)\n"
            + "  -c, --cert PATH       PEM client certificate chain, may also hold the key\n"
            + "  -k, --key PATH        unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1); requires -c\n"
            + "  --ca PATH             PEM bundle that verifies the servers (default: system trust store)\n"
            + "  -a, --api v1          API version (only v1)\n"
            + "  -u, --upgradable      send only the upgradable packages (apt update hook)\n"
            + "  -g, --dpkg-hook       send the package actions read from stdin (dpkg Pre-Install-Pkgs hook)\n"
            + "  -i, --image-name REF  report the local system as the container image REF\n"
            + "  -f, --image-file FILE send a saved image payload unchanged ('-' = stdin)\n"
            + "  -n, --dry-run         print the payload instead of sending it\n"
            + "  --retries N           retries per server (default 3)\n"
            + "  --retry-backoff S     backoff factor in seconds (default 60)\n"
            + "  --hook-timeout S      total deadline in -g and -u modes (default 10)\n"
            + "  --read-timeout S      response timeout per attempt (default 30)\n"
            + "  --hostname FQDN       report under this name instead of the system FQDN\n"
            + "  -d, --debug           debug logging, and a stack trace on failure\n";

    // The merged settings.
    List<String> servers = new ArrayList<>();
    int port = 443;
    String cert;
    String key;
    String ca;
    String api = "v1";
    boolean upgradable;
    boolean dpkgHook;
    String imageName;
    String imageFile;
    boolean dryRun;
    int retries = 3;
    int retryBackoff = 60;
    boolean debug;
    int hookTimeout = 10;
    int readTimeout = 30;
    String hostname;
    boolean help;
    boolean version;

    /** For {@code -f}: the file's exact bytes and its parsed object. */
    byte[] imageFileBytes;
    Map<String, Object> imageFilePayload;

    private Options() {
    }

    /** Parses the command line and the configuration file; {@code stdin} serves {@code -f -}. */
    static Options parse(String[] args, InputStream stdin) throws UsageException {
        Map<String, String> cli = new HashMap<>();
        List<String> cliServers = new ArrayList<>();
        Options o = new Options();
        parseCommandLine(args, cli, cliServers, o);
        if (o.help || o.version) {
            return o;
        }

        Map<String, String> file = readConfig(cli.get("config"));
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(cli);

        if (!cliServers.isEmpty()) {
            o.servers = cliServers;
        } else if (file.containsKey("server")) {
            splitServers(file.get("server"), o.servers);
        }
        o.port = integer(merged, "port", o.port, 1, 65535);
        o.cert = path(merged, "cert");
        o.key = path(merged, "key");
        o.ca = path(merged, "ca");
        o.api = merged.getOrDefault("api", o.api);
        o.upgradable = bool(merged, "upgradable");
        o.dpkgHook = bool(merged, "dpkg_hook");
        o.imageName = path(merged, "image_name");
        o.imageFile = path(merged, "image_file");
        o.dryRun = bool(merged, "dry_run");
        o.retries = integer(merged, "retries", o.retries, 0, 100);
        o.retryBackoff = integer(merged, "retry_backoff", o.retryBackoff, 0, 3600);
        o.debug = bool(merged, "debug");
        o.hookTimeout = integer(merged, "hook_timeout", o.hookTimeout, 1, 86400);
        o.readTimeout = integer(merged, "read_timeout", o.readTimeout, 1, 86400);
        o.hostname = path(merged, "hostname");

        if (!"v1".equals(o.api)) {
            throw new UsageException("argument -a/--api: invalid choice: '" + o.api + "' (choose from 'v1')");
        }
        if (o.servers.isEmpty() && !o.dryRun) {
            throw new UsageException("a server is required (-s/--server or server= in the configuration file)"
                    + " unless -n/--dry-run is given");
        }
        if (o.key != null && o.cert == null) {
            throw new UsageException("argument -k/--key: requires -c/--cert");
        }
        if (o.upgradable && o.dpkgHook) {
            throw new UsageException("argument -g/--dpkg-hook: not allowed with argument -u/--upgradable");
        }
        if (o.imageFile != null) {
            if (o.upgradable || o.dpkgHook || o.imageName != null) {
                throw new UsageException("argument -f/--image-file: not allowed with -u, -g or -i");
            }
            o.readImageFile(stdin);
        }
        return o;
    }

    private static void parseCommandLine(String[] args, Map<String, String> cli, List<String> servers, Options o)
            throws UsageException {
        int i = 0;
        while (i < args.length) {
            String arg = args[i++];
            if (arg.startsWith("--") && arg.length() > 2) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Spec spec = longSpec(name);
                String inline = eq < 0 ? null : arg.substring(eq + 1);
                if (inline != null && (spec.kind == Kind.FLAG || spec.kind == Kind.HELP || spec.kind == Kind.VERSION)) {
                    throw new UsageException("argument " + display(spec) + ": ignored explicit argument '"
                            + inline + "'");
                }
                i = apply(spec, inline, args, i, cli, servers, o);
                if (o.help || o.version) {
                    return;
                }
            } else if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--")) {
                // A cluster of short options: flags may be combined (-nu), a value may be attached (-p443).
                for (int j = 1; j < arg.length(); j++) {
                    Spec spec = shortSpec(arg.charAt(j));
                    if (spec.kind == Kind.VALUE || spec.kind == Kind.SERVERS) {
                        String attached = j + 1 < arg.length() ? arg.substring(j + 1) : null;
                        i = apply(spec, attached, args, i, cli, servers, o);
                        break;
                    }
                    apply(spec, null, args, i, cli, servers, o);
                    if (o.help || o.version) {
                        return;
                    }
                }
            } else {
                throw new UsageException("unrecognized arguments: " + arg);
            }
        }
    }

    /** Applies one option; returns the index of the next unread argument. */
    private static int apply(Spec spec, String inline, String[] args, int i, Map<String, String> cli,
                             List<String> servers, Options o) throws UsageException {
        switch (spec.kind) {
            case HELP -> o.help = true;
            case VERSION -> o.version = true;
            case FLAG -> cli.put(spec.key, "true");
            case VALUE -> {
                String value = inline;
                if (value == null) {
                    if (i >= args.length || !isValue(args[i])) {
                        throw new UsageException("argument " + display(spec) + ": expected one argument");
                    }
                    value = args[i++];
                }
                cli.put(spec.key, value);
            }
            case SERVERS -> {
                int before = servers.size();
                boolean any = false;
                if (inline != null) {
                    splitServers(inline, servers);
                    any = true;
                }
                while (i < args.length && isValue(args[i])) {
                    splitServers(args[i++], servers);
                    any = true;
                }
                if (!any || servers.size() == before) {
                    throw new UsageException("argument " + display(spec) + ": expected at least one argument");
                }
            }
            default -> throw new IllegalStateException();
        }
        return i;
    }

    /** Like argparse: "-" and negative numbers are values, anything else starting with '-' is an option. */
    private static boolean isValue(String arg) {
        if (!arg.startsWith("-") || arg.equals("-")) {
            return true;
        }
        for (int k = 1; k < arg.length(); k++) {
            if (arg.charAt(k) < '0' || arg.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Spec longSpec(String name) throws UsageException {
        Spec match = null;
        int matches = 0;
        for (Spec s : SPECS) {
            if (s.longName.equals(name)) {
                return s;
            }
            if (s.longName.startsWith(name)) { // argparse accepts unique prefixes
                match = s;
                matches++;
            }
        }
        if (matches == 1) {
            return match;
        }
        if (matches > 1) {
            throw new UsageException("ambiguous option: " + name);
        }
        throw new UsageException("unrecognized arguments: " + name);
    }

    private static Spec shortSpec(char c) throws UsageException {
        for (Spec s : SPECS) {
            if (s.shortName == c) {
                return s;
            }
        }
        throw new UsageException("unrecognized arguments: -" + c);
    }

    private static String display(Spec spec) {
        return spec.shortName == '\0' ? spec.longName : "-" + spec.shortName + "/" + spec.longName;
    }

    private static String displayKey(String key) {
        for (Spec s : SPECS) {
            if (s.key.equals(key)) {
                return display(s);
            }
        }
        return key;
    }

    static void splitServers(String value, List<String> into) {
        for (String part : value.split(",")) {
            String server = part.trim();
            if (!server.isEmpty()) {
                into.add(server);
            }
        }
    }

    private static String path(Map<String, String> values, String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    private static int integer(Map<String, String> values, String key, int dflt, int min, int max)
            throws UsageException {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("argument " + displayKey(key) + ": invalid int value: '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("argument " + displayKey(key) + ": " + n + " is not between " + min
                    + " and " + max);
        }
        return n;
    }

    private static boolean bool(Map<String, String> values, String key) throws UsageException {
        String v = values.get(key);
        return v != null && parseBoolean(key, v);
    }

    static boolean parseBoolean(String key, String value) throws UsageException {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0", "":
                return false;
            default:
                throw new UsageException("invalid boolean value for " + key + ": '" + value + "'");
        }
    }

    /** Reads the [DEFAULT] section; a missing default file is fine, a missing explicit one is not. */
    private static Map<String, String> readConfig(String explicit) throws UsageException {
        Path file = Path.of(explicit != null ? explicit : DEFAULT_CONFIG);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (explicit == null) {
                return Map.of();
            }
            throw new UsageException("cannot read the configuration file " + file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read the configuration file " + file + ": " + Log.reason(e));
        }
        return parseIni(text, file.toString());
    }

    /**
     * Parses INI text the way Python's configparser does for what we need: sections, {@code key = value}
     * or {@code key: value}, full-line comments, indented continuation lines, case-insensitive keys.
     * Returns the {@code [DEFAULT]} entries with keys lower-cased and '-' mapped to '_'.
     */
    static Map<String, String> parseIni(String text, String name) throws UsageException {
        Map<String, String> result = new HashMap<>();
        String section = null;
        String lastKey = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                if (stripped.isEmpty()) {
                    lastKey = null;
                }
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (indented && lastKey != null) {
                if ("DEFAULT".equals(section)) {
                    result.merge(lastKey, stripped, (a, b) -> a.isEmpty() ? b : a + "\n" + b);
                }
                continue;
            }
            if (stripped.startsWith("[") && stripped.endsWith("]")) {
                section = stripped.substring(1, stripped.length() - 1);
                lastKey = null;
                continue;
            }
            if (section == null) {
                throw new UsageException("cannot parse the configuration file " + name + ": line " + lineNo
                        + ": no section header before '" + stripped + "'");
            }
            int eq = stripped.indexOf('=');
            int colon = stripped.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (sep <= 0) {
                throw new UsageException("cannot parse the configuration file " + name + ": line " + lineNo
                        + ": '" + stripped + "'");
            }
            String key = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            String value = stripped.substring(sep + 1).strip();
            lastKey = key;
            if ("DEFAULT".equals(section)) {
                result.put(key, value);
            }
        }
        return result;
    }

    /** Loads the {@code -f} payload: it must be a JSON object with a string {@code image_name}. */
    @SuppressWarnings("unchecked")
    private void readImageFile(InputStream stdin) throws UsageException {
        try {
            imageFileBytes = "-".equals(imageFile) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(imageFile));
        } catch (IOException | RuntimeException e) {
            throw new UsageException("argument -f/--image-file: cannot read " + imageFile + ": " + Log.reason(e));
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(imageFileBytes, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new UsageException("argument -f/--image-file: " + imageFile + " is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new UsageException("argument -f/--image-file: " + imageFile + " is not a JSON object");
        }
        Map<String, Object> payload = (Map<String, Object>) parsed;
        if (!(payload.get("image_name") instanceof String ref) || ref.isEmpty()) {
            throw new UsageException("argument -f/--image-file: " + imageFile
                    + " has no string image_name");
        }
        imageFilePayload = payload;
    }

    /** The hook modes have a deadline and log only warnings by default. */
    boolean hookMode() {
        return dpkgHook || upgradable;
    }
}
