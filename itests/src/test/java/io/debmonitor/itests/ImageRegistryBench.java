package io.debmonitor.itests;

import static io.debmonitor.itests.OciImages.dpkgStatus;
import static io.debmonitor.itests.OciImages.dpkgStatusFor;
import static io.debmonitor.itests.OciImages.file;
import static io.debmonitor.itests.OciImages.layer;
import static io.debmonitor.itests.OciImages.osRelease;
import static io.debmonitor.itests.OciImages.symlink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A benchmark of debmonitor-image-reporter, not a test (a main that neither surefire nor failsafe runs):
 * builds N images from a seed, pushes them to a {@link TestRegistry} with skopeo, runs the reporter's jar
 * twice against that registry and a running DebMonitor, and prints and writes (JSON) the first walk's
 * images/s and MiB/s and the time of the second, no-op walk. bench/images.sh runs it and explains how to
 * prepare the server. Exit status: 0 as expected, 1 when a walk failed or its counts are not the expected
 * ones, 2 for bad options.
 */
public final class ImageRegistryBench {

    static final String USAGE = """
            Usage: bench/images.sh [options]
              --images N            images to build and push (default 60)
              --server URL          DebMonitor HTTPS base URL (required unless --build-only)
              --cert PEM --key PEM  client certificate and key of an identity in imageUploaders (required unless --build-only)
              --ca PEM              CA bundle that verifies the server (default: the reporter's system trust)
              --reporter-jar PATH   default image-reporter/target/debmonitor-image-reporter-0.1.0-SNAPSHOT.jar
              --concurrency N       the reporter's --concurrency (default 4)
              --layer-mib M         incompressible filler in each image's own layer, MiB (default 8)
              --seed S              same seed, same images and digests (default 1)
              --registry-name NAME  the reporter's --registry-name (default bench-<unix time>.example.org, new every run)
              --out FILE            JSON results (default bench/results/images-<timestamp>.json)
              --build-only          build and push the images, check the registry lists them all, then stop
              --help
            """;

    /** Packages of the shared base layer, and those only images add. */
    private static final int BASE_PACKAGES = 300;
    private static final int EXTRA_PACKAGES = 1200;
    private static final int BASE_FILLER_MIB = 20;
    /** Every MULTI_ARCH_EVERY-th image is a linux/amd64 + linux/arm64 index. */
    private static final int MULTI_ARCH_EVERY = 15;
    private static final int TAGS_PER_REPOSITORY = 3;
    /** Most of a debian:12 image; the rest of the base is generated. */
    private static final List<String> DEBIAN_BASE = List.of("adduser", "apt", "base-files", "base-passwd", "bash",
            "bsdutils", "coreutils", "dash", "debconf", "debian-archive-keyring", "debianutils", "diffutils", "dpkg",
            "e2fsprogs", "findutils", "gcc-12-base", "gpgv", "grep", "gzip", "hostname", "init-system-helpers",
            "libacl1", "libapt-pkg6.0", "libattr1", "libaudit1", "libblkid1", "libbz2-1.0", "libc-bin", "libc6",
            "libcap-ng0", "libcom-err2", "libcrypt1", "libdb5.3", "libdebconfclient0", "libext2fs2", "libffi8",
            "libgcc-s1", "libgcrypt20", "libgmp10", "libgnutls30", "libgpg-error0", "libhogweed6", "libidn2-0",
            "liblz4-1", "liblzma5", "libmd0", "libmount1", "libnettle8", "libp11-kit0", "libpam-modules",
            "libpam0g", "libpcre2-8-0", "libseccomp2", "libselinux1", "libsemanage2", "libsepol2", "libsmartcols1",
            "libss2", "libssl3", "libstdc++6", "libsystemd0", "libtasn1-6", "libtinfo6", "libudev1", "libunistring2",
            "libuuid1", "libxxhash0", "libzstd1", "login", "logsave", "mawk", "mount", "ncurses-base", "ncurses-bin",
            "passwd", "perl-base", "sed", "sysvinit-utils", "tar", "tzdata", "usr-is-merged", "util-linux", "zlib1g");
    private static final String[] SYLLABLES = {"ka", "ro", "mi", "zen", "tu", "vel", "dor", "pix", "an", "sul", "bre",
            "qua", "lo", "nim", "tor", "gal", "fe", "xi", "mon", "ur"};
    private static final Pattern SUMMARY = Pattern.compile("summary: (\\d+) images in ([0-9.]+) s .*?, (\\d+) reported,"
            + " (\\d+) unchanged, (\\d+) skipped, (\\d+) failed, (\\d+) MiB read");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One package of the universe, as OciImages.dpkgStatus wants it: "name=version[=source]". */
    private record Pkg(String name, String version, String source) {

        String spec() {
            return name + "=" + version + (source.equals(name) ? "" : "=" + source);
        }

        Pkg withVersion(String newVersion) {
            return new Pkg(name, newVersion, source);
        }
    }

    /** What the reporter's last summary line says, and how long its process ran. */
    private record Walk(int exit, double wallSeconds, int images, int reported, int unchanged, int skipped,
            int failed, long mibRead, double reporterSeconds) {

        double imagesPerSecond() {
            return images / wallSeconds;
        }

        double mibPerSecond() {
            return mibRead / wallSeconds;
        }

        /** Rates per wall second of the process; reporter_seconds is the reporter's own clock (no JVM start). */
        ObjectNode toJson() {
            return JSON.createObjectNode().put("exit_code", exit).put("wall_seconds", round(wallSeconds))
                    .put("reporter_seconds", reporterSeconds).put("images", images).put("reported", reported)
                    .put("unchanged", unchanged).put("skipped", skipped).put("failed", failed).put("mib_read", mibRead)
                    .put("images_per_second", round(imagesPerSecond())).put("mib_per_second", round(mibPerSecond()));
        }

        String row(String label) {
            return String.format(Locale.ROOT, "%-7s %4d %7d %8d %9d %7d %6d %9d %8.1f %9.2f %7.1f", label, exit, images,
                    reported, unchanged, skipped, failed, mibRead, wallSeconds, imagesPerSecond(), mibPerSecond());
        }
    }

    private static final class Options {
        int images = 60;
        String server;
        String cert;
        String key;
        String ca;
        Path reporterJar = Path.of("image-reporter/target/debmonitor-image-reporter-0.1.0-SNAPSHOT.jar");
        int concurrency = 4;
        int layerMib = 8;
        long seed = 1;
        String registryName = "bench-" + Instant.now().getEpochSecond() + ".example.org";
        Path out = Path.of("bench/results/images-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        boolean buildOnly;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help")) {
                    o.help = true;
                    return o;
                }
                if (name.equals("--build-only")) {
                    o.buildOnly = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--images" -> o.images = positive(name, value);
                    case "--server" -> o.server = value;
                    case "--cert" -> o.cert = value;
                    case "--key" -> o.key = value;
                    case "--ca" -> o.ca = value;
                    case "--reporter-jar" -> o.reporterJar = Path.of(value);
                    case "--concurrency" -> o.concurrency = positive(name, value);
                    case "--layer-mib" -> o.layerMib = positive(name, value);
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--registry-name" -> o.registryName = value;
                    case "--out" -> o.out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (!o.buildOnly) {
                if (o.server == null || o.cert == null || o.key == null) {
                    throw new IllegalArgumentException("--server, --cert and --key are required (or --build-only)");
                }
                if (!Files.isRegularFile(o.reporterJar)) {
                    throw new IllegalArgumentException("no reporter jar " + o.reporterJar.toAbsolutePath()
                            + " (mvn -o -q -pl image-reporter package -DskipTests)");
                }
            }
            return o;
        }

        private static int positive(String name, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return n;
        }
    }

    private final Options options;
    private final TestRegistry registry;
    private final Path work;
    private final List<Pkg> basePackages;
    private final List<Pkg> extraPackages;
    private final byte[] baseFiller;

    private ImageRegistryBench(Options options, TestRegistry registry, Path work) {
        this.options = options;
        this.registry = registry;
        this.work = work;
        Random random = new Random(options.seed);
        List<Pkg> universe = universe(random);
        this.basePackages = universe.subList(0, BASE_PACKAGES);
        this.extraPackages = universe.subList(BASE_PACKAGES, universe.size());
        this.baseFiller = filler(random, BASE_FILLER_MIB);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("image bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        if (System.getProperty("pki.script") == null) {
            // TestRegistry runs it from its own directory; the repository root is the working directory.
            System.setProperty("pki.script", Path.of("tools/pki.sh").toAbsolutePath().toString());
        }
        Path work = Files.createTempDirectory("image-bench");
        AtomicReference<TestRegistry> registry = new AtomicReference<>();
        // Also on Ctrl-C: the registry is a process of its own, and its storage and the layout are large.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(registry.get(), work)));
        registry.set(TestRegistry.plain());
        System.exit(new ImageRegistryBench(options, registry.get(), work).run());
    }

    private int run() throws Exception {
        String loadStart = loadAverage();
        long start = System.nanoTime();
        double buildSeconds = buildAndPush();
        double pushWallSeconds = (System.nanoTime() - start) / 1e9;
        checkCatalog();
        deleteTree(work.resolve("layout"));
        if (options.buildOnly) {
            System.out.printf(Locale.ROOT, "built and pushed %d images to %s in %.1f s (%.1f s building); --build-only: done%n",
                    options.images, registry.url(), pushWallSeconds, buildSeconds);
            return 0;
        }
        System.out.println("== first walk: every image is new to the server");
        Walk first = walk();
        System.out.println("== second walk: nothing changed");
        Walk second = walk();

        System.out.println();
        System.out.println("walk    exit  images reported unchanged skipped failed  MiB read   wall s  images/s   MiB/s");
        System.out.println(first.row("first"));
        System.out.println(second.row("second"));
        List<String> problems = problems(first, second);
        problems.forEach(p -> System.out.println("UNEXPECTED: " + p));

        ObjectNode results = JSON.createObjectNode();
        results.put("benchmark", "debmonitor-image-reporter registry walk");
        results.set("parameters", parameters());
        results.set("machine", machine(loadStart));
        results.putObject("push").put("wall_seconds", round(pushWallSeconds)).put("build_seconds", round(buildSeconds));
        results.set("first_walk", first.toJson());
        results.set("second_walk", second.toJson());
        problems.forEach(results.putArray("unexpected")::add);
        Path out = options.out.toAbsolutePath();
        Files.createDirectories(out.getParent());
        JSON.writeValue(out.toFile(), results);
        System.out.println("results: " + out);
        return problems.isEmpty() ? 0 : 1;
    }

    private List<String> problems(Walk first, Walk second) {
        List<String> problems = new ArrayList<>();
        for (Walk w : List.of(first, second)) {
            String which = w == first ? "first walk" : "second walk";
            if (w.exit() != 0 || w.failed() > 0) {
                problems.add(which + ": exit " + w.exit() + ", " + w.failed() + " failed");
            }
            if (w.images() != options.images) {
                problems.add(which + ": " + w.images() + " images walked, " + options.images + " pushed");
            }
        }
        if (first.reported() != options.images) {
            problems.add("first walk reported " + first.reported() + " of " + options.images + " images");
        }
        if (second.reported() != 0 || second.unchanged() != options.images) {
            problems.add("second walk: " + second.reported() + " reported, " + second.unchanged() + " unchanged");
        }
        return problems;
    }

    // --- the images ------------------------------------------------------------------------------

    /** Builds and pushes every image; returns the seconds spent building (the rest of the time is skopeo's). */
    private double buildAndPush() throws IOException, InterruptedException {
        OciImages layout = new OciImages(work.resolve("layout"));
        OciImages.Layer base = layer(file("usr/lib/os-release", osRelease("debian", "12")),
                symlink("etc/os-release", "../usr/lib/os-release"),
                file("var/lib/dpkg/status", dpkgStatus(specs(basePackages))),
                file("usr/share/bench/base-filler.bin", baseFiller));
        System.out.printf(Locale.ROOT, "pushing %d images (%d MiB base layer, %d MiB each of their own) to %s%n",
                options.images, BASE_FILLER_MIB, options.layerMib, registry.url());
        long buildNanos = 0;
        long start = System.nanoTime();
        for (int i = 0; i < options.images; i++) {
            long t = System.nanoTime();
            String tag = "image-" + i;
            Random random = new Random(options.seed * 1_000_003L + i);
            String[] own = specs(imagePackages(random));
            OciImages.Descriptor amd64 = layout.image("linux/amd64", base,
                    layer(file("var/lib/dpkg/status", dpkgStatus(own)),
                            file("opt/app-" + i + "/data.bin", filler(random, options.layerMib))));
            if (isMultiArch(i)) {
                layout.index(tag, amd64, layout.image("linux/arm64", layer(
                        file("etc/os-release", osRelease("debian", "12")),
                        file("var/lib/dpkg/status", dpkgStatusFor("arm64", own)))));
            } else {
                layout.tag(tag, amd64);
            }
            buildNanos += System.nanoTime() - t;
            layout.push(tag, registry, repositoryAndTag(i));
            System.out.printf(Locale.ROOT, "  pushed %d/%d %s%s (%.1f s)%n", i + 1, options.images, repositoryAndTag(i),
                    isMultiArch(i) ? " (amd64 + arm64 index)" : "", (System.nanoTime() - start) / 1e9);
        }
        return buildNanos / 1e9;
    }

    private static boolean isMultiArch(int image) {
        return image % MULTI_ARCH_EVERY == MULTI_ARCH_EVERY - 1;
    }

    private static String repositoryAndTag(int image) {
        return String.format(Locale.ROOT, "bench/app-%02d:v%d", image / TAGS_PER_REPOSITORY,
                image % TAGS_PER_REPOSITORY + 1);
    }

    /** The base's packages with a dozen or two upgraded, plus a few dozen of the extras. */
    private List<Pkg> imagePackages(Random random) {
        Map<String, Pkg> packages = new LinkedHashMap<>();
        basePackages.forEach(p -> packages.put(p.name(), p));
        int upgrades = 10 + random.nextInt(15);
        for (int k = 0; k < upgrades; k++) {
            Pkg p = basePackages.get(random.nextInt(basePackages.size()));
            packages.put(p.name(), p.withVersion(stableUpdate(packages.get(p.name()).version())));
        }
        int additions = 15 + random.nextInt(20);
        for (int k = 0; k < additions; k++) {
            Pkg p = extraPackages.get(random.nextInt(extraPackages.size()));
            packages.put(p.name(), p);
        }
        return List.copyOf(packages.values());
    }

    /** The Debian base packages first, then generated ones in Debian's shapes, each with its source. */
    private static List<Pkg> universe(Random random) {
        Map<String, String> sources = new LinkedHashMap<>();
        DEBIAN_BASE.forEach(name -> sources.put(name, name));
        while (sources.size() < BASE_PACKAGES + EXTRA_PACKAGES) {
            String stem = SYLLABLES[random.nextInt(SYLLABLES.length)] + SYLLABLES[random.nextInt(SYLLABLES.length)]
                    + (random.nextBoolean() ? SYLLABLES[random.nextInt(SYLLABLES.length)] : "");
            switch (random.nextInt(6)) {
                case 0 -> sources.putIfAbsent("lib" + stem + random.nextInt(1, 8), stem);
                case 1 -> sources.putIfAbsent("python3-" + stem, "python-" + stem);
                case 2 -> sources.putIfAbsent("lib" + stem + "-perl", "lib" + stem + "-perl");
                case 3 -> sources.putIfAbsent("node-" + stem, "node-" + stem);
                case 4 -> sources.putIfAbsent(stem + "-common", stem);
                default -> sources.putIfAbsent(stem, stem);
            }
        }
        List<Pkg> packages = new ArrayList<>();
        sources.forEach((name, source) -> packages.add(new Pkg(name, version(random), source)));
        return packages;
    }

    /** E.g. "1:2.36.4+dfsg-2+deb12u1": an epoch, a repack suffix and a stable update now and then. */
    private static String version(Random random) {
        return (random.nextInt(10) == 0 ? "1:" : "") + random.nextInt(0, 20) + "." + random.nextInt(0, 40)
                + (random.nextBoolean() ? "." + random.nextInt(0, 12) : "") + (random.nextInt(8) == 0 ? "+dfsg" : "")
                + "-" + random.nextInt(1, 6) + (random.nextInt(6) == 0 ? "+deb12u" + random.nextInt(1, 4) : "");
    }

    /** The next Debian 12 stable update: "2.36-9" -> "2.36-9+deb12u1", "3.0-1+deb12u2" -> "3.0-1+deb12u3". */
    private static String stableUpdate(String version) {
        Matcher m = Pattern.compile("\\+deb12u(\\d+)$").matcher(version);
        if (m.find()) {
            return version.substring(0, m.start()) + "+deb12u" + (Integer.parseInt(m.group(1)) + 1);
        }
        return version + "+deb12u1";
    }

    private static String[] specs(List<Pkg> packages) {
        return packages.stream().map(Pkg::spec).toArray(String[]::new);
    }

    /** Random bytes: gzip cannot shrink them, so the layers' size is what the reporter reads. */
    private static byte[] filler(Random random, int mib) {
        byte[] bytes = new byte[mib << 20];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Fails unless the registry lists every pushed tag. */
    private void checkCatalog() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(registry.sslContext()).build();
        int tags = 0;
        for (JsonNode repository : get(http, "/v2/_catalog?n=1000").path("repositories")) {
            tags += get(http, "/v2/" + repository.asText() + "/tags/list").path("tags").size();
        }
        if (tags != options.images) {
            throw new IllegalStateException("the registry lists " + tags + " tags, " + options.images + " were pushed");
        }
        System.out.println("the registry lists all " + tags + " images");
    }

    private JsonNode get(HttpClient http, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(registry.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    // --- the reporter ----------------------------------------------------------------------------

    /** Runs the reporter's jar once, echoing its output, and times it from start to exit. */
    private Walk walk() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", options.reporterJar.toString(), "registry", "--server", options.server, "--cert", options.cert,
                "--key", options.key));
        if (options.ca != null) {
            command.addAll(List.of("--ca", options.ca));
        }
        command.addAll(List.of("--registry", registry.url(), "--registry-ca", registry.caPem().toString(),
                "--registry-name", options.registryName, "--concurrency", String.valueOf(options.concurrency)));
        System.out.println("$ " + String.join(" ", command));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String summary = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("  | " + line);
                if (SUMMARY.matcher(line).find()) {
                    summary = line;
                }
            }
        }
        int exit = process.waitFor();
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        if (summary == null) {
            throw new IllegalStateException("the reporter exited with " + exit + " without a summary line");
        }
        Matcher m = SUMMARY.matcher(summary);
        m.find();
        return new Walk(exit, wallSeconds, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                Long.parseLong(m.group(7)), Double.parseDouble(m.group(2)));
    }

    // --- results ---------------------------------------------------------------------------------

    private ObjectNode parameters() {
        return JSON.createObjectNode().put("images", options.images).put("seed", options.seed)
                .put("multi_arch_indexes", IntStream.range(0, options.images).filter(ImageRegistryBench::isMultiArch).count())
                .put("base_packages", BASE_PACKAGES).put("base_filler_mib", BASE_FILLER_MIB)
                .put("layer_mib", options.layerMib).put("concurrency", options.concurrency)
                .put("server", options.server).put("registry_name", options.registryName)
                .put("reporter_jar", options.reporterJar.toAbsolutePath().toString());
    }

    private static ObjectNode machine(String loadStart) throws IOException {
        String cpu = "unknown";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
        }
        return JSON.createObjectNode().put("nproc", Runtime.getRuntime().availableProcessors()).put("cpu", cpu)
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("java_version", System.getProperty("java.runtime.version"))
                .put("java_vm", System.getProperty("java.vm.name"))
                .put("java_home", System.getProperty("java.home"))
                .put("load_average_start", loadStart).put("load_average_end", loadAverage());
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void cleanUp(TestRegistry registry, Path work) {
        try {
            if (registry != null) {
                registry.close();
            }
            deleteTree(work);
        } catch (IOException | InterruptedException e) {
            System.err.println("image bench: could not clean up: " + e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
