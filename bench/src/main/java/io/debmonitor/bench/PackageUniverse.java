package io.debmonitor.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic universe of Debian-like binary packages grouped under source packages, with a
 * version of every source for every OS release and, for some, a pending upgrade.
 *
 * <p>About 80 real base-system sources (glibc, openssl, systemd, ...) come first; the rest are
 * generated: libraries ({@code libfoo2}, {@code libfoo-dev}), Python, Perl, Node, Go, Ruby, fonts
 * and applications ({@code foo}, {@code foo-common}, {@code foo-data}, {@code foo-doc}).
 */
final class PackageUniverse {

    /** Share of (source, OS) pairs with a newer version available. */
    static final double PENDING_UPGRADE_RATE = 0.12;
    /** Share of those upgrades that come from the security archive. */
    static final double SECURITY_SHARE = 0.35;

    /** One binary package; its name and version depend on the OS. */
    static final class Binary {
        final int source;
        final boolean curated;
        final String[] names;
        final String[] versions;

        Binary(int source, boolean curated, int releases) {
            this.source = source;
            this.curated = curated;
            this.names = new String[releases];
            this.versions = new String[releases];
        }
    }

    /** One source package: its version per OS and, per OS, an optional pending upgrade. */
    static final class Source {
        final String name;
        final String[] versions;
        final String[] upgrades;
        final boolean[] security;

        Source(String name, int releases) {
            this.name = name;
            this.versions = new String[releases];
            this.upgrades = new String[releases];
            this.security = new boolean[releases];
        }
    }

    private enum Kind { LIBRARY, PYTHON, PERL, NODE, GOLANG, RUBY, FONTS, APPLICATION }

    private static final Kind[] KINDS = Kind.values();
    private static final int[] KIND_WEIGHTS = {35, 13, 8, 6, 5, 4, 2, 27};

    /**
     * Real base-system sources: {@code name|epoch|upstream per generation (one value: all)|binaries}.
     * A binary marked {@code ^} gets the t64 rename on releases that have it, and one marked
     * {@code @old} is called {@code old} on the oldest generation; {@code native} sources have no
     * Debian revision.
     */
    private static final String[] CURATED = {
        "glibc||2.31,2.36,2.41|libc6 libc-bin libc-l10n locales",
        "openssl||1.1.1w,3.0.15,3.5.1|libssl3^@libssl1.1 openssl",
        "systemd||247.3,252.30,257.7|systemd systemd-sysv libsystemd0 libudev1 udev libpam-systemd",
        "bash||5.1,5.2.15,5.2.37|bash",
        "coreutils||8.32,9.1,9.7|coreutils",
        "apt||2.2.4,2.6.1,3.0.3|apt libapt-pkg6.0^",
        "dpkg||1.20.13,1.21.22,1.22.21|dpkg",
        "perl||5.32.1,5.36.0,5.40.1|perl perl-base",
        "python3-defaults||3.9.2,3.11.2,3.13.5|python3 python3-minimal libpython3-stdlib",
        "openssh|1|8.4p1,9.2p1,10.0p1|openssh-client openssh-server openssh-sftp-server",
        "curl||7.74.0,7.88.1,8.14.1|curl libcurl4^",
        "zlib|1|1.2.11.dfsg,1.2.13.dfsg,1.3.dfsg+really1.3.1|zlib1g",
        "gcc-12||12.2.0|libgcc-s1 libstdc++6 gcc-12-base",
        "util-linux||2.36.1,2.38.1,2.41|util-linux libblkid1 libmount1 libuuid1 libsmartcols1 fdisk mount bsdutils",
        "e2fsprogs||1.46.2,1.47.0,1.47.2|e2fsprogs libext2fs2 libcom-err2 libss2",
        "sudo||1.9.5p2,1.9.13p3,1.9.16p2|sudo",
        "tzdata||2024a,2024b,2025b|tzdata",
        "ca-certificates||20210119,20230311,20250419|ca-certificates|native",
        "gnupg2||2.2.27,2.2.40,2.4.7|gnupg gpg gpgv dirmngr gpg-agent",
        "libxml2||2.9.10+dfsg,2.9.14+dfsg,2.12.7+dfsg|libxml2",
        "sqlite3||3.34.1,3.40.1,3.46.1|libsqlite3-0",
        "ncurses||6.2+20201114,6.4,6.5+20250216|libncursesw6 libtinfo6 ncurses-base ncurses-bin",
        "readline||8.1,8.2,8.2|libreadline8^ readline-common",
        "krb5||1.18.3,1.20.1,1.21.3|libkrb5-3 libgssapi-krb5-2 libk5crypto3 libkrb5support0",
        "pam||1.4.0,1.5.2,1.7.0|libpam0g libpam-modules libpam-modules-bin libpam-runtime",
        "shadow|1|4.8.1,4.13,4.17.4|passwd login",
        "procps|2|3.3.17,4.0.2,4.0.4|procps libproc2-0@libprocps8",
        "iproute2||5.10.0,6.1.0,6.15.0|iproute2",
        "rsyslog||8.2102.0,8.2302.0,8.2504.0|rsyslog",
        "cron||3.0pl1|cron cron-daemon-common",
        "vim|2|8.2.2434,9.0.1378,9.1.1230|vim-tiny vim-common xxd",
        "less||551,590,668|less",
        "tar||1.34,1.34,1.35|tar",
        "gzip||1.10,1.12,1.13|gzip",
        "xz-utils||5.2.5,5.4.1,5.8.1|xz-utils liblzma5",
        "bzip2||1.0.8|bzip2 libbz2-1.0",
        "libzstd||1.4.8+dfsg,1.5.4+dfsg2,1.5.7+dfsg|libzstd1",
        "lz4||1.9.3,1.9.4,1.10.0|liblz4-1",
        "libgcrypt20||1.8.7,1.10.1,1.11.0|libgcrypt20",
        "gnutls28||3.7.1,3.7.9,3.8.9|libgnutls30^",
        "nettle||3.7.3,3.8.1,3.10.1|libnettle8^ libhogweed6^",
        "p11-kit||0.23.22,0.24.1,0.25.5|libp11-kit0",
        "libidn2||2.3.0,2.3.3,2.3.8|libidn2-0",
        "libunistring||0.9.10,1.0,1.3|libunistring2",
        "pcre2||10.36,10.42,10.45|libpcre2-8-0",
        "libselinux||3.1,3.4,3.8.1|libselinux1",
        "libcap2|1|2.44,2.66,2.75|libcap2 libcap2-bin",
        "acl||2.2.53,2.3.1,2.3.2|libacl1",
        "attr|1|2.4.48,2.5.1,2.5.2|libattr1",
        "audit|1|3.0,3.0.9,4.0.2|libaudit1 libaudit-common",
        "libseccomp||2.5.1,2.5.4,2.6.0|libseccomp2",
        "dbus||1.12.28,1.14.10,1.16.2|dbus libdbus-1-3",
        "expat||2.2.10,2.5.0,2.7.1|libexpat1",
        "libffi||3.3,3.4.4,3.4.8|libffi8@libffi7",
        "gmp|2|6.2.1+dfsg,6.2.1+dfsg1,6.3.0+dfsg|libgmp10",
        "nghttp2||1.43.0,1.52.0,1.64.0|libnghttp2-14",
        "libpsl||0.21.0,0.21.2,0.21.2|libpsl5^",
        "cyrus-sasl2||2.1.27+dfsg,2.1.28+dfsg,2.1.28+dfsg1|libsasl2-2 libsasl2-modules-db",
        "keyutils||1.6.1,1.6.3,1.6.3|libkeyutils1",
        "libtasn1-6||4.16.0,4.19.0,4.20.0|libtasn1-6",
        "db5.3||5.3.28+dfsg1|libdb5.3^",
        "gdbm||1.19,1.23,1.24|libgdbm6^",
        "base-files||11.1,12.4,13.8|base-files|native",
        "debianutils||4.11.2,5.7,5.23.2|debianutils|native",
        "init-system-helpers||1.60,1.65.2,1.69|init-system-helpers|native",
        "netbase||6.3,6.4,6.5|netbase|native",
        "adduser||3.118,3.134,3.152|adduser|native",
        "sed||4.7,4.9,4.9|sed",
        "grep||3.6,3.8,3.11|grep",
        "findutils||4.8.0,4.9.0,4.10.0|findutils",
        "diffutils|1|3.7,3.8,3.10|diffutils",
        "mawk||1.3.4.20200120,1.3.4.20200120,1.3.4.20250131|mawk",
        "logrotate||3.18.0,3.21.0,3.22.0|logrotate",
        "man-db||2.9.4,2.11.2,2.13.1|man-db",
        "iputils|3|20210202,20221126,20240905|iputils-ping",
        "nano||5.4,7.2,8.4|nano",
        "wget||1.21,1.21.3,1.25.0|wget",
        "rsync||3.2.3,3.2.7,3.4.1|rsync",
        "git|1|2.30.2,2.39.5,2.47.2|git git-man",
        "lsof||4.93.2+dfsg,4.95.0,4.99.4+dfsg|lsof",
        "strace||5.10,6.1,6.13+ds|strace",
        "tcpdump||4.99.0,4.99.3,4.99.5|tcpdump",
        "libpcap||1.10.0,1.10.3,1.10.5|libpcap0.8^",
        "prometheus-node-exporter||1.1.2+ds,1.5.0,1.9.1|prometheus-node-exporter",
    };

    private static final String[] TOKENS = (
            "xml yaml json png jpeg tiff gif webp svg gtk qt glib dbus tls ssh krb ldap sasl nss idn uuid bz lzma "
            + "zstd pcre icu cairo pango harf freetype font pixman drm gbm egl vulkan wayland xcb xkb input usb pci "
            + "cap acl audit seccomp nettle gmp mpfr mpc ffi sqlite gdbm edit event ev uv nghttp rtmp psl brotli "
            + "magic archive tasn gcrypt gpg assuan ksba npth unistring kmod blkid elf dw bpf numa hwloc pmix rdma "
            + "snappy lz xxhash jemalloc protobuf grpc thrift avro parquet arrow boost tbb eigen blas lapack fftw "
            + "hdf netcdf gdal proj geos http web proxy cache queue log stat metric trace net ip dns dhcp ntp snmp "
            + "mail imap smtp ftp zip crypt hash sha mime uri url text regex glob time date zone locale intl "
            + "unicode utf term tty shell cli args opt conf ini toml sql pg my redis mongo kafka zk etcd consul "
            + "vault pod kube helm graf prom flask jinja mako click attrs six tz requests chardet certifi cffi "
            + "nacl bcrypt soup markdown rst sphinx pygments docutils pytest mock nose coverage tox wheel numpy "
            + "scipy pandas plot pillow serial psutil ply parsing packaging schema zope twisted gevent greenlet "
            + "tornado multidict yarl async anyio sniff httpx core base util common tools kit lib mod plugin "
            + "sax dom css html tidy ical vcard ogg vorbis opus flac sndfile pulse alsa jack midi v4l cam "
            + "raw exif lcms openjp heif avif dav aom vpx x264 x265 theora speex gsm amr fdk lame mad id3 tag")
            .split(" ");

    private static final String[] GO_ORGS = (
            "spf13 stretchr google golang prometheus sirupsen pkg gorilla hashicorp coreos docker containerd "
            + "opencontainers klauspost mattn pelletier go-kit gogo cespare davecgh pmezard jmespath aws kr "
            + "urfave fsnotify miekg vishvananda tidwall").split(" ");

    final List<OsRelease> releases;
    final List<Binary> binaries = new ArrayList<>();
    final List<Source> sources = new ArrayList<>();

    private final Random random;
    private final Set<String> usedNames = new HashSet<>();

    PackageUniverse(long seed, int targetBinaries, List<OsRelease> releases) {
        this.releases = releases;
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        for (String line : CURATED) {
            addCurated(line);
        }
        while (binaries.size() < targetBinaries) {
            addGenerated();
        }
    }

    int size() {
        return binaries.size();
    }

    // --- curated sources -------------------------------------------------------------------------

    private void addCurated(String line) {
        String[] f = line.split("\\|", -1);
        String epoch = f[1].isEmpty() ? "" : f[1] + ":";
        String[] ups = f[2].split(",");
        String[] upstream = {ups[0], ups[Math.min(1, ups.length - 1)], ups[ups.length - 1]};
        boolean nativeVersion = f.length > 4 && f[4].equals("native");
        int source = addSource(f[0], epoch, upstream, "", nativeVersion);
        for (String spec : f[3].split(" ")) {
            String[] names = spec.split("@");
            boolean t64 = names[0].endsWith("^");
            String name = t64 ? names[0].substring(0, names[0].length() - 1) : names[0];
            addBinary(source, name, names.length > 1 ? names[1] : null, null, t64, isArchAll(name), true);
        }
    }

    private static boolean isArchAll(String name) {
        return name.endsWith("-doc") || name.endsWith("-common") || name.endsWith("-data") || name.endsWith("-l10n")
                || name.endsWith("-perl") || name.startsWith("fonts-") || name.startsWith("node-")
                || name.startsWith("golang-") || name.startsWith("ruby-") || name.endsWith("-base")
                || name.equals("tzdata") || name.equals("ca-certificates") || name.equals("locales");
    }

    // --- generated sources -----------------------------------------------------------------------

    private void addGenerated() {
        Kind kind = KINDS[weighted(KIND_WEIGHTS)];
        String stem = stem();
        List<String> names = new ArrayList<>();
        String sourceName;
        boolean t64 = false;
        String runtime = null;
        switch (kind) {
            case LIBRARY -> {
                sourceName = random.nextBoolean() ? stem : "lib" + stem;
                runtime = "lib" + stem + soname(stem);
                t64 = random.nextInt(2) == 0;
                names.add(runtime);
                maybe(names, 0.6, "lib" + stem + "-dev");
                maybe(names, 0.2, "lib" + stem + "-doc");
                maybe(names, 0.25, stem + new String[] {"-utils", "-tools", "-bin"}[random.nextInt(3)]);
            }
            case PYTHON -> {
                sourceName = "python-" + stem;
                names.add("python3-" + stem);
                maybe(names, 0.2, "python-" + stem + "-doc");
            }
            case PERL -> {
                sourceName = "lib" + stem + "-" + TOKENS[random.nextInt(TOKENS.length)] + "-perl";
                names.add(sourceName);
            }
            case NODE -> {
                sourceName = "node-" + stem;
                names.add(sourceName);
            }
            case GOLANG -> {
                sourceName = "golang-github-" + GO_ORGS[random.nextInt(GO_ORGS.length)] + "-" + stem;
                names.add(sourceName + "-dev");
            }
            case RUBY -> {
                sourceName = "ruby-" + stem;
                names.add(sourceName);
            }
            case FONTS -> {
                sourceName = "fonts-" + stem;
                names.add(sourceName);
                maybe(names, 0.25, sourceName + "-extra");
            }
            default -> {
                sourceName = stem;
                names.add(stem);
                maybe(names, 0.4, stem + "-common");
                maybe(names, 0.25, stem + "-data");
                maybe(names, 0.25, stem + "-doc");
            }
        }
        if (usedNames.contains(sourceName) || names.stream().anyMatch(usedNames::contains)) {
            return;
        }
        usedNames.add(sourceName);
        boolean nativeVersion = kind == Kind.APPLICATION && random.nextInt(100) < 4;
        int source = addSource(sourceName, epoch(), upstreams(kind), decoration(kind), nativeVersion);
        for (String name : names) {
            boolean lib = name.equals(runtime);
            addBinary(source, name, null, null, lib && t64, kind != Kind.LIBRARY && kind != Kind.APPLICATION || isArchAll(name), false);
            // A few libraries are also installed for a foreign architecture (multiarch).
            if (lib && random.nextInt(100) < 4) {
                addBinary(source, name, null, "i386", t64, false, false);
            }
        }
    }

    private String stem() {
        String a = TOKENS[random.nextInt(TOKENS.length)];
        String b = TOKENS[random.nextInt(TOKENS.length)];
        int shape = random.nextInt(100);
        String stem = shape < 45 ? a : shape < 85 ? a + b : a + "-" + b;
        return random.nextInt(100) < 5 ? stem + (2 + random.nextInt(5)) : stem;
    }

    /** A SONAME suffix as Debian spells it: libfoo2, libfoo2-2 (name ends in a digit), libfoo-1.0-0. */
    private String soname(String stem) {
        int so = new int[] {0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10}[random.nextInt(12)];
        if (random.nextInt(100) < 8) {
            return "-" + (1 + random.nextInt(3)) + "." + random.nextInt(10) + "-" + so;
        }
        return Character.isDigit(stem.charAt(stem.length() - 1)) ? "-" + so : String.valueOf(so);
    }

    private void maybe(List<String> names, double probability, String name) {
        if (random.nextDouble() < probability) {
            names.add(name);
        }
    }

    private String epoch() {
        int x = random.nextInt(100);
        return x < 6 ? "1:" : x < 7 ? "2:" : "";
    }

    private String decoration(Kind kind) {
        int x = random.nextInt(100);
        if (kind == Kind.NODE && x < 15) {
            return "+~cs" + (1 + random.nextInt(9)) + "." + random.nextInt(20) + "." + random.nextInt(10);
        }
        return x < 9 ? "+dfsg" : x < 13 ? "+ds" : x < 15 ? "+dfsg1" : "";
    }

    /** The upstream version of each generation; newer generations often ship a newer release. */
    private String[] upstreams(Kind kind) {
        String[] up = new String[3];
        if (kind == Kind.GOLANG && random.nextInt(100) < 40) {
            int year = 2018 + random.nextInt(4);
            for (int g = 0; g < 3; g++) {
                up[g] = String.format("0.0~git%d%02d%02d.%07x", year, 1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextInt(0x10000000));
                year += random.nextInt(3);
            }
            return up;
        }
        if (kind == Kind.FONTS && random.nextInt(100) < 40) {
            int date = (2015 + random.nextInt(5)) * 10000 + 101 + random.nextInt(11) * 100 + random.nextInt(27);
            for (int g = 0; g < 3; g++) {
                up[g] = String.valueOf(date);
                date += 10000 * random.nextInt(3);
            }
            return up;
        }
        int major = random.nextInt(100) < 30 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
        int minor = random.nextInt(random.nextBoolean() ? 10 : 40);
        int patch = random.nextInt(100) < 65 ? random.nextInt(15) : -1;
        for (int g = 0; g < 3; g++) {
            up[g] = major + "." + minor + (patch >= 0 ? "." + patch : "");
            int bump = random.nextInt(100);
            if (bump < 35) {
                patch = patch < 0 ? 1 : patch + 1 + random.nextInt(5);
            } else if (bump < 55) {
                minor++;
                patch = patch < 0 ? -1 : 0;
            } else if (bump < 62) {
                major++;
                minor = 0;
            }
        }
        return up;
    }

    // --- versions --------------------------------------------------------------------------------

    private int addSource(String name, String epoch, String[] upstream, String decoration, boolean nativeVersion) {
        Source source = new Source(name, releases.size());
        int[] revision = new int[3];
        for (int g = 0; g < 3; g++) {
            revision[g] = random.nextInt(10) < 6 ? 1 : 1 + random.nextInt(5);
        }
        boolean nmu = random.nextInt(100) < 4;
        for (int os = 0; os < releases.size(); os++) {
            OsRelease release = releases.get(os);
            int g = release.generation();
            String debian = nativeVersion ? "" : "-" + revision[g] + (nmu ? ".1" : "");
            String base = epoch + upstream[g] + decoration + debian;
            String version = release.ubuntu() ? ubuntuVersion(base, release) : debianVersion(base, release, epoch,
                    g < 2 ? upstream[g + 1] + decoration + debian : null);
            source.versions[os] = version;
            if (random.nextDouble() < PENDING_UPGRADE_RATE) {
                source.upgrades[os] = nextUpdate(version, release);
                source.security[os] = random.nextDouble() < SECURITY_SHARE;
            }
        }
        usedNames.add(name);
        sources.add(source);
        return sources.size() - 1;
    }

    private String debianVersion(String base, OsRelease release, String epoch, String newerUpstream) {
        double x = random.nextDouble();
        double stableUpdates = release.generation() == 2 ? 0.08 : 0.30;
        if (x < stableUpdates) {
            return base + "+deb" + release.tag() + "u" + (1 + random.nextInt(5));
        }
        if (x < stableUpdates + 0.04 && newerUpstream != null) {
            // A newer upstream rebuilt for this stable release: 1.2-1~deb12u1 (sorts before 1.2-1).
            return epoch + newerUpstream + "~deb" + release.tag() + "u1";
        }
        return base;
    }

    private String ubuntuVersion(String base, OsRelease release) {
        double x = random.nextDouble();
        if (x < 0.35) {
            return base;
        }
        if (x < 0.55) {
            return base + "build" + (1 + random.nextInt(3));
        }
        if (x < 0.8) {
            return base + "ubuntu" + (1 + random.nextInt(4));
        }
        return base + "ubuntu0." + release.tag() + "." + (1 + random.nextInt(3));
    }

    /** The next stable or security update of {@code version} on {@code release}. */
    static String nextUpdate(String version, OsRelease release) {
        String tag = Pattern.quote(release.tag());
        if (!release.ubuntu()) {
            Matcher m = Pattern.compile("([+~]deb" + tag + "u)(\\d+)$").matcher(version);
            if (m.find()) {
                return version.substring(0, m.start()) + m.group(1) + (Integer.parseInt(m.group(2)) + 1);
            }
            return version + "+deb" + release.tag() + "u1";
        }
        Matcher m = Pattern.compile("(ubuntu0\\." + tag + "\\.)(\\d+)$").matcher(version);
        if (m.find()) {
            return version.substring(0, m.start()) + m.group(1) + (Integer.parseInt(m.group(2)) + 1);
        }
        m = Pattern.compile("build\\d+$").matcher(version);
        if (m.find()) {
            return version.substring(0, m.start()) + "ubuntu0." + release.tag() + ".1";
        }
        if (version.matches(".*ubuntu\\d+$")) {
            return version + ".1";
        }
        return version + "ubuntu0." + release.tag() + ".1";
    }

    private void addBinary(int source, String name, String oldName, String arch, boolean t64, boolean archAll, boolean curated) {
        Binary binary = new Binary(source, curated, releases.size());
        Source src = sources.get(source);
        for (int os = 0; os < releases.size(); os++) {
            OsRelease release = releases.get(os);
            String base = oldName != null && release.generation() == 0 ? oldName : name;
            binary.names[os] = base + (t64 && release.t64() ? "t64" : "") + (arch == null ? "" : ":" + arch);
            String version = src.versions[os];
            // binNMU: an architecture-dependent binary rebuilt without a source change.
            if (!archAll && !release.ubuntu() && random.nextInt(100) < 6) {
                version = version + "+b" + (1 + random.nextInt(2));
            }
            binary.versions[os] = version;
        }
        usedNames.add(name);
        binaries.add(binary);
    }

    private int weighted(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
