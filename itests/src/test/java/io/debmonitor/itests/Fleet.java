package io.debmonitor.itests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.DebianVersion;

/**
 * The fleet the web UI tests seed, and what the pages must therefore show (SPEC §5): 30 hosts on
 * Debian 12 and Debian 11 whose versions only dpkg orders right (1.9 < 1.10~rc1 < 1.10 < 1:0.9,
 * 15.6 < 15.13, ~deb12u2 < no suffix), security and ordinary upgrades, two kernels per OS, and one
 * host whose name, kernel, package name, source, versions and upgrade type carry markup.
 */
final class Fleet implements UiDistribution.Seeder {

    static final String DEBIAN_12 = "Debian 12";
    static final String DEBIAN_11 = "Debian 11";
    static final String KERNEL_12 = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)";
    static final String KERNEL_12_NEW = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.129-1 (2025-03-06)";
    static final String KERNEL_11 = "#1 SMP Debian 5.10.209-2 (2024-01-31)";
    static final String KERNEL_11_NEW = "#1 SMP Debian 5.10.234-1 (2025-02-24)";

    /** Markup where the protocol allows any printable text (SPEC §1.2); a hostname is one path segment, so no space or '/'. */
    static final String PAYLOAD_HOST = "evil\"'><xss-host>.example.org";
    static final String PAYLOAD_KERNEL = "#1 SMP \"'><xss-kernel> Debian";
    static final String PAYLOAD_RELEASE = "6.1.0-<xss-release>";
    static final String PAYLOAD_PACKAGE = "\"'><img src=x onerror=alert(1)><xss-package>";
    static final String PAYLOAD_SOURCE = "<xss-source>";
    static final String PAYLOAD_VERSION = "1.0\"'><xss-version>";
    static final String PAYLOAD_UPGRADE = "2.0<xss-upgrade>";
    static final String PAYLOAD_TYPE = "\"'><img src=x onerror=alert(1)><xss-type>";

    /** nginx's versions on Debian 12, in dpkg order (plain string order would be 1.10-1, 1.10~rc1-1, 1.9-1, 1:0.9-1). */
    static final List<String> NGINX_12 = List.of("1.9-1", "1.10~rc1-1", "1.10-1", "1:0.9-1");

    /** One package on one host; {@code upgrade} is null when there is none, {@code type} null when not sent. */
    record Row(String name, String source, String version, String upgrade, String type) {

        boolean upgradable() {
            return upgrade != null;
        }

        boolean security() {
            return upgrade != null && "security".equals(type);
        }
    }

    record Host(String name, String os, String kernel, String release, List<Row> rows) {

        long upgrades() {
            return rows.stream().filter(Row::upgradable).count();
        }

        long security() {
            return rows.stream().filter(Row::security).count();
        }

        Row row(String packageName) {
            return rows.stream().filter(r -> r.name.equals(packageName)).findFirst().orElseThrow();
        }

        /** The full report of SPEC §1.3: every row installed, the upgradable ones listed again. */
        String report() {
            ObjectNode report = UiDistribution.JSON.createObjectNode();
            report.put("api_version", "v1").put("os", os).put("update_type", "full").put("hostname", name);
            report.putObject("running_kernel").put("version", kernel).put("release", release);
            ArrayNode installed = report.putArray("installed");
            ArrayNode upgradable = report.putArray("upgradable");
            report.putArray("uninstalled");
            for (Row row : rows) {
                installed.addObject().put("name", row.name).put("version", row.version).put("source", row.source);
                if (row.upgradable()) {
                    ObjectNode item = upgradable.addObject().put("name", row.name).put("version_from", row.version)
                            .put("version_to", row.upgrade).put("source", row.source);
                    if (row.type != null) {
                        item.put("type", row.type);
                    }
                }
            }
            return report.toString();
        }
    }

    /** A package version (SPEC §4), with its source package version (the binary version: no report sends source_version). */
    record Version(String name, String version, String os, String source) {
    }

    final List<Host> hosts;

    private Fleet(List<Host> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    static Fleet standard() {
        List<Host> hosts = new ArrayList<>();
        List<String> debian12 = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            debian12.add("app100" + i + ".eqiad.example.org");
        }
        for (int i = 1; i <= 4; i++) {
            debian12.add("cache100" + i + ".eqiad.example.org");
        }
        debian12.add("db1001.example.org");
        debian12.add("db1002.example.org");
        for (int i = 1; i <= 6; i++) {
            debian12.add("web100" + i + ".codfw.example.org");
        }
        int nginx = 0;
        for (int i = 0; i < debian12.size(); i++) {
            String name = debian12.get(i);
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("base-files", "base-files", "12.4+deb12u5", null, null));
            rows.add(i % 3 == 0 ? new Row("libc6", "glibc", "2.36-9+deb12u10", null, null)
                    : new Row("libc6", "glibc", "2.36-9+deb12u4", "2.36-9+deb12u10", "security"));
            String ssl = List.of("3.0.11-1~deb12u2", "3.0.11-1~deb12u2", "3.0.11-1", "3.0.15-1~deb12u1").get(i % 4);
            String sslUpgrade = ssl.equals("3.0.15-1~deb12u1") ? null : "3.0.15-1~deb12u1";
            rows.add(new Row("libssl3", "openssl", ssl, sslUpgrade, sslUpgrade == null ? null : "security"));
            rows.add(new Row("openssl", "openssl", ssl, sslUpgrade, sslUpgrade == null ? null : "security"));
            rows.add(i % 2 == 0 ? new Row("curl", "curl", "7.88.1-10+deb12u5", "7.88.1-10+deb12u12", null)
                    : new Row("curl", "curl", "7.88.1-10+deb12u12", null, null));
            rows.add(i % 5 == 0 ? new Row("tzdata", "tzdata", "2024a-0+deb12u1", "2025b-0+deb12u1", "bookworm-updates")
                    : new Row("tzdata", "tzdata", "2025b-0+deb12u1", null, null));
            if (name.startsWith("app") || name.startsWith("web")) {
                String version = NGINX_12.get(nginx++ % NGINX_12.size());
                String upgrade = version.startsWith("1.9") || version.contains("~") ? "1.10-1" : null;
                rows.add(new Row("nginx", "nginx", version, upgrade, null));
            }
            if (name.startsWith("db")) {
                rows.add(new Row("postgresql-15", "postgresql-15", "15.6-0+deb12u1", "15.13-0+deb12u1", "security"));
            }
            if (name.startsWith("cache")) {
                rows.add(new Row("varnish", "varnish", "7.1.1-1.1", null, null));
            }
            boolean newKernel = i % 6 == 5;
            hosts.add(new Host(name, DEBIAN_12, newKernel ? KERNEL_12_NEW : KERNEL_12, newKernel ? "6.1.0-32-amd64" : "6.1.0-18-amd64", rows));
        }
        List<String> debian11 = new ArrayList<>();
        for (String prefix : List.of("build", "ldap", "mx")) {
            for (int i = 1; i <= 2; i++) {
                debian11.add(prefix + "100" + i + ".eqiad.example.org");
            }
        }
        for (int i = 1; i <= 6; i++) {
            debian11.add("legacy100" + i + ".eqiad.example.org");
        }
        nginx = 0;
        for (int i = 0; i < debian11.size(); i++) {
            String name = debian11.get(i);
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("base-files", "base-files", "11.1+deb11u9", null, null));
            rows.add(i % 2 == 0 ? new Row("libc6", "glibc", "2.31-13+deb11u5", "2.31-13+deb11u11", "security")
                    : new Row("libc6", "glibc", "2.31-13+deb11u11", null, null));
            rows.add(new Row("libssl1.1", "openssl", "1.1.1w-0+deb11u1", null, null));
            rows.add(new Row("openssl", "openssl", "1.1.1w-0+deb11u1", null, null));
            rows.add(i % 3 == 0 ? new Row("curl", "curl", "7.74.0-1.3+deb11u7", "7.74.0-1.3+deb11u14", "security")
                    : new Row("curl", "curl", "7.74.0-1.3+deb11u14", null, null));
            rows.add(new Row("tzdata", "tzdata", "2024a-0+deb11u1", null, null));
            if (name.startsWith("legacy")) {
                rows.add(nginx++ % 2 == 0 ? new Row("nginx", "nginx", "1.18.0-6.1+deb11u3", null, null)
                        : new Row("nginx", "nginx", "1.9-1", "1.18.0-6.1+deb11u3", null));
            }
            boolean newKernel = i % 4 == 3;
            hosts.add(new Host(name, DEBIAN_11, newKernel ? KERNEL_11_NEW : KERNEL_11, newKernel ? "5.10.0-34-amd64" : "5.10.0-28-amd64", rows));
        }
        hosts.add(new Host(PAYLOAD_HOST, DEBIAN_12, PAYLOAD_KERNEL, PAYLOAD_RELEASE, List.of(
                new Row("base-files", "base-files", "12.4+deb12u5", null, null),
                new Row("libc6", "glibc", "2.36-9+deb12u4", "2.36-9+deb12u10", "security"),
                new Row(PAYLOAD_PACKAGE, PAYLOAD_SOURCE, PAYLOAD_VERSION, PAYLOAD_UPGRADE, PAYLOAD_TYPE))));
        return new Fleet(hosts);
    }

    @Override
    public void seed(UiDistribution distribution) throws Exception {
        for (Host host : hosts) {
            distribution.report(host);
        }
    }

    Host host(String name) {
        return hosts.stream().filter(h -> h.name.equals(name)).findFirst().orElseThrow();
    }

    List<Host> hosts(Predicate<Host> filter) {
        return hosts.stream().filter(filter).collect(Collectors.toList());
    }

    /** Every (host, row) pair. */
    List<Map.Entry<Host, Row>> rows() {
        List<Map.Entry<Host, Row>> rows = new ArrayList<>();
        for (Host host : hosts) {
            for (Row row : host.rows) {
                rows.add(Map.entry(host, row));
            }
        }
        return rows;
    }

    /** Every stored package version: installed versions and upgrade targets. */
    Set<Version> versions() {
        Set<Version> versions = new HashSet<>();
        for (Map.Entry<Host, Row> entry : rows()) {
            Row row = entry.getValue();
            versions.add(new Version(row.name, row.version, entry.getKey().os, row.source));
            if (row.upgradable()) {
                versions.add(new Version(row.name, row.upgrade, entry.getKey().os, row.source));
            }
        }
        return versions;
    }

    /** The dashboard's JSON (SPEC §5.3), timestamps left out. */
    ObjectNode dashboard() {
        ObjectNode json = UiDistribution.JSON.createObjectNode();
        json.putObject("hosts").put("total", hosts.size())
                .put("with_upgrades", hosts.stream().filter(h -> h.upgrades() > 0).count())
                .put("with_security", hosts.stream().filter(h -> h.security() > 0).count());
        json.putObject("images").put("total", 0).put("with_upgrades", 0).put("with_security", 0);
        json.putObject("kernels").put("total", distinct(hosts, h -> h.kernel + "\n" + h.os));
        json.putObject("kubernetes").put("rows", 0);
        List<Map.Entry<Host, Row>> rows = rows();
        json.putObject("packages").put("total", distinct(rows, e -> e.getValue().name))
                .put("with_upgrades", distinct(filter(rows, e -> e.getValue().upgradable()), e -> e.getValue().name))
                .put("with_security", distinct(filter(rows, e -> e.getValue().security()), e -> e.getValue().name));
        json.putObject("package_versions").put("total", versions().size())
                .put("with_upgrades", distinct(filter(rows, e -> e.getValue().upgradable()), Fleet::upgradeTarget))
                .put("with_security", distinct(filter(rows, e -> e.getValue().security()), Fleet::upgradeTarget));
        json.putObject("source_packages").put("total", distinct(versions(), Version::source))
                .put("versions", distinct(versions(), v -> v.source + "\n" + v.version + "\n" + v.os));
        json.putObject("upgrades").put("hosts", filter(rows, e -> e.getValue().upgradable()).size()).put("images", 0)
                .put("hosts_security", filter(rows, e -> e.getValue().security()).size()).put("images_security", 0);
        return json;
    }

    /** The hosts page's default order (SPEC §5.2): security desc, upgrades desc, packages desc, name. */
    List<String> hostsInDefaultOrder() {
        return hosts.stream().sorted(Comparator.comparingLong(Host::security).reversed()
                        .thenComparing(Comparator.comparingLong(Host::upgrades).reversed())
                        .thenComparing(Comparator.comparingInt((Host h) -> h.rows.size()).reversed())
                        .thenComparing(Host::name))
                .map(Host::name).collect(Collectors.toList());
    }

    /** The binary packages page's default order: security desc, upgrades desc, installed desc, name. */
    List<String> packagesInDefaultOrder() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Map.Entry<Host, Row> entry : rows()) {
            long[] c = counts.computeIfAbsent(entry.getValue().name, n -> new long[3]);
            c[0] += entry.getValue().security() ? 1 : 0;
            c[1] += entry.getValue().upgradable() ? 1 : 0;
            c[2]++;
        }
        return counts.keySet().stream().sorted(Comparator.comparingLong((String n) -> counts.get(n)[0]).reversed()
                        .thenComparing(Comparator.comparingLong((String n) -> counts.get(n)[1]).reversed())
                        .thenComparing(Comparator.comparingLong((String n) -> counts.get(n)[2]).reversed())
                        .thenComparing(Comparator.naturalOrder()))
                .collect(Collectors.toList());
    }

    /** The search of SPEC §5.4: per scope, the total of case-insensitive substring matches. */
    Map<String, Integer> searchTotals(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        Predicate<String> matches = text -> text.toLowerCase(Locale.ROOT).contains(q);
        Map<String, Integer> totals = new LinkedHashMap<>();
        totals.put("hosts", (int) hosts.stream().filter(h -> matches.test(h.name)).count());
        totals.put("images", 0);
        totals.put("packages", distinct(filter(rows(), e -> matches.test(e.getValue().name)), e -> e.getValue().name));
        totals.put("source-packages", distinct(filter(versions(), v -> matches.test(v.source)), Version::source));
        totals.put("kernels", distinct(filter(hosts, h -> matches.test(h.kernel)), h -> h.kernel + "\n" + h.os));
        totals.put("package-versions", filter(versions(), v -> matches.test(v.version)).size());
        totals.put("source-package-versions", distinct(filter(versions(), v -> matches.test(v.version)),
                v -> v.source + "\n" + v.version + "\n" + v.os));
        return totals;
    }

    private static String upgradeTarget(Map.Entry<Host, Row> entry) {
        return entry.getValue().name + "\n" + entry.getValue().upgrade + "\n" + entry.getKey().os;
    }

    private static <T> List<T> filter(Collection<T> items, Predicate<T> filter) {
        return items.stream().filter(filter).collect(Collectors.toList());
    }

    private static <T> int distinct(Collection<T> items, Function<T, String> key) {
        return items.stream().map(key).collect(Collectors.toSet()).size();
    }

    /** The kernel page key's slug (SPEC §4), for a kernel name that no other kernel of its OS shares a slug with. */
    static String slug(String kernel) {
        String slug = kernel.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\-\\s]", "").replaceAll("[\\s-]+", "-")
                .replaceAll("^[-_]+|[-_]+$", "");
        return slug.isEmpty() ? "kernel" : slug;
    }

    /** A name as one path segment: what a path does not allow percent-encoded (the server decodes it, SPEC §1.1). */
    static String pathSegment(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,=:@".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /**
     * Debian version comparison (SPEC §2.5): core-model's DebianVersion, itself checked against
     * {@code dpkg --compare-versions} by DebianVersionTest.
     */
    static int compareVersions(String a, String b) {
        return DebianVersion.compare(a, b);
    }

    /** Versions sorted as the pages must sort them: dpkg order, ties by byte order. */
    static List<String> dpkgSorted(Collection<String> versions) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(versions));
        sorted.sort(Fleet::compareVersions);
        return sorted;
    }
}
