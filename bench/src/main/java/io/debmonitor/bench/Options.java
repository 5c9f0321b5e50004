package io.debmonitor.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options. */
final class Options {

    /** Every phase, in the order they run. */
    static final List<String> ALL_PHASES = List.of(Phase.FULL_NEW, Phase.FULL_UNCHANGED, Phase.DPKG_HOOK, PagesPhase.NAME);
    /** The default: the write phases. The pages phase runs only when listed. */
    static final List<String> WRITE_PHASES = List.of(Phase.FULL_NEW, Phase.FULL_UNCHANGED, Phase.DPKG_HOOK);

    static final String USAGE = """
            Usage: bench/run.sh [options]

              --server URL            DebMonitor HTTPS base URL (default https://localhost:8443)
              --hosts N               fleet size (default 1000)
              --concurrency C         worker threads (default 4): one TLS connection per report; pages: one kept-alive connection each
              --seed S                fleet seed; same seed and size, same fleet (default 1)
              --domain D              host names are <role><number>.<datacenter>.D (default example.org)
              --phases LIST           comma-separated subset of full-new,full-unchanged,dpkg-hook,pages, run in that order
                                      (default: full-new,full-unchanged,dpkg-hook)
              --hook-reports N        dpkg_hook reports in the dpkg-hook phase (default 3 per host)
              --universe N            binary packages in the universe (default 5000)
              --out FILE              JSON results (default bench/results/run-<timestamp>.json)
              --key-type ec|rsa       client certificate keys: EC P-256 or RSA 2048 (default ec)
              --pki DIR               certificate cache (default bench/target/pki); one subdirectory per key type
              --server-ca PEM         verify the server certificate (chain and host name) against this CA
              --insecure              trust any server certificate (the default when --server-ca is absent)
              --configure-server DIR  write clientCaFile into DIR/etc/io.debmonitor.security.cfg first
              --warmup N              handshakes (GET /auth-check) before the first phase (default 2000)
              --server-pid PID        also report the server's CPU time per report and its resident memory (it must run on this machine)
              --database-pid PID      also report the database's CPU time per report
              --timeout SECONDS       connect and read timeout per report (default 120)
              --progress SECONDS      interval between progress lines (default 5)
              --dump-sample           print the first host's full report and one dpkg_hook report, then exit
              --page-requests N       pages phase: measured GETs per URL, HTML and JSON each (default 200)
              --page-list PATHS       pages phase: comma-separated paths (or @FILE, one per line) instead of the default pages
              --pages-with-ingest     send dpkg_hook reports (--hook-reports of them) while the pages phase runs
              --dry-run-pages         print the URLs the pages phase would request, then exit (no server needed)
              --help
            """;

    URI server = URI.create("https://localhost:8443");
    int hosts = 1000;
    int concurrency = 4;
    long seed = 1;
    String domain = "example.org";
    List<String> phases = WRITE_PHASES;
    int hookReports = -1;
    int universe = 5000;
    Path out;
    String keyType = "ec";
    Path pki;
    Path serverCa;
    boolean insecure;
    Path configureServer;
    int warmup = 2000;
    Long serverPid;
    Long databasePid;
    int timeoutSeconds = 120;
    int progressSeconds = 5;
    boolean dumpSample;
    int pageRequests = 200;
    List<String> pageList;
    boolean pagesWithIngest;
    boolean dryRunPages;
    boolean help;

    private static String keyType(String value) {
        if (!value.equals("ec") && !value.equals("rsa")) {
            throw new IllegalArgumentException("--key-type must be ec or rsa, got " + value);
        }
        return value;
    }

    static Options parse(String[] args) {
        Path home = Path.of(System.getProperty("bench.home", "bench"));
        Options o = new Options();
        o.pki = home.resolve("target/pki");
        o.out = home.resolve("results/run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> o.help = true;
                case "--insecure" -> o.insecure = true;
                case "--dump-sample" -> o.dumpSample = true;
                case "--pages-with-ingest" -> o.pagesWithIngest = true;
                case "--dry-run-pages" -> o.dryRunPages = true;
                case "--page-requests" -> o.pageRequests = positive(arg, value(arg, value, rest));
                case "--page-list" -> o.pageList = pageList(value(arg, value, rest));
                case "--server" -> o.server = URI.create(stripSlash(value(arg, value, rest)));
                case "--hosts" -> o.hosts = positive(arg, value(arg, value, rest));
                case "--concurrency" -> o.concurrency = positive(arg, value(arg, value, rest));
                case "--seed" -> o.seed = Long.parseLong(value(arg, value, rest));
                case "--domain" -> o.domain = value(arg, value, rest);
                case "--phases" -> o.phases = phases(value(arg, value, rest));
                case "--hook-reports" -> o.hookReports = Integer.parseInt(value(arg, value, rest));
                case "--universe" -> o.universe = positive(arg, value(arg, value, rest));
                case "--out" -> o.out = Path.of(value(arg, value, rest));
                case "--key-type" -> o.keyType = keyType(value(arg, value, rest));
                case "--pki" -> o.pki = Path.of(value(arg, value, rest));
                case "--server-ca" -> o.serverCa = Path.of(value(arg, value, rest));
                case "--configure-server" -> o.configureServer = Path.of(value(arg, value, rest));
                case "--server-pid" -> o.serverPid = Long.parseLong(value(arg, value, rest));
                case "--database-pid" -> o.databasePid = Long.parseLong(value(arg, value, rest));
                case "--warmup" -> o.warmup = Integer.parseInt(value(arg, value, rest));
                case "--timeout" -> o.timeoutSeconds = positive(arg, value(arg, value, rest));
                case "--progress" -> o.progressSeconds = positive(arg, value(arg, value, rest));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (o.hookReports < 0) {
            o.hookReports = 3 * o.hosts;
        }
        if (o.insecure && o.serverCa != null) {
            throw new IllegalArgumentException("--insecure and --server-ca exclude each other");
        }
        if (!"https".equals(o.server.getScheme()) || o.server.getHost() == null) {
            throw new IllegalArgumentException("--server must be an https:// URL, got " + o.server);
        }
        if (o.pagesWithIngest && !o.phases.contains(PagesPhase.NAME)) {
            throw new IllegalArgumentException("--pages-with-ingest needs the pages phase in --phases");
        }
        if (o.pageList != null) {
            o.pageList = o.pageList.stream().map(p -> pagePath(o.server, p)).toList();
        }
        return o;
    }

    String host() {
        return server.getHost();
    }

    int port() {
        return server.getPort() < 0 ? 443 : server.getPort();
    }

    private static String value(String option, String inline, List<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
        return n;
    }

    private static List<String> phases(String value) {
        List<String> selected = new ArrayList<>();
        for (String name : value.split(",")) {
            String phase = name.trim();
            if (!ALL_PHASES.contains(phase)) {
                throw new IllegalArgumentException("unknown phase '" + phase + "'; phases are " + String.join(",", ALL_PHASES));
            }
            selected.add(phase);
        }
        // Always run in the canonical order: full-unchanged only means "unchanged" after full-new.
        return ALL_PHASES.stream().filter(selected::contains).toList();
    }

    private static List<String> pageList(String value) {
        List<String> entries;
        if (value.startsWith("@")) {
            try {
                entries = Files.readAllLines(Path.of(value.substring(1)));
            } catch (IOException e) {
                throw new IllegalArgumentException("--page-list: cannot read " + value.substring(1) + ": " + e.getMessage());
            }
        } else {
            entries = Arrays.asList(value.split(","));
        }
        List<String> paths = entries.stream().map(String::trim).filter(e -> !e.isEmpty() && !e.startsWith("#")).toList();
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("--page-list has no pages");
        }
        return paths;
    }

    /** A page's path: as given, or what follows the server's URL. */
    private static String pagePath(URI server, String page) {
        String base = server.toString();
        String path = page.startsWith(base + "/") ? page.substring(base.length()) : page;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("--page-list entries are paths (/hosts/) or URLs on --server, got " + page);
        }
        return path;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
