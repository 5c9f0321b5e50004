package io.debmonitor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scale-out lab driver ({@code io.debmonitor.bench.lab}) reuses from the bench, behind
 * public types: the fleet's packages under lab host names, the bench PKI, and the JSON helpers.
 * Host {@code i} of a lab fleet has the packages, OS and kernel of host {@code i} of the bench
 * fleet with the same seed, but is named {@code h0001.<domain>} (for i = 0) and so on.
 */
public final class LabFleet {

    private static final int UNIVERSE = 5000;

    public record Host(int index, String fqdn, String os, String kernelRelease, String kernelVersion) {
    }

    /** A package as reported; {@code upgrade} is null when there is none, {@code sourceVersion} is set only for binNMUs. */
    public record Pkg(String name, String version, String source, String sourceVersion, String upgrade, boolean security) {
    }

    /** One apt run, as the dpkg hook reports it: packages installed or upgraded, and names removed. */
    public record AptRun(List<Pkg> installed, List<String> removed) {
    }

    /** The bench CA file (the server's {@code clientCaFile}), the shared client key, and each host's certificate. */
    public record Pki(Path caFile, PrivateKey clientKey, Map<String, X509Certificate> certificates) {
    }

    private final Fleet fleet;
    private final List<Fleet.Host> renamed = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final long seed;
    private final String domain;

    public LabFleet(long seed, int size, String domain) {
        this.seed = seed;
        this.domain = domain;
        fleet = new Fleet(new PackageUniverse(seed, UNIVERSE, OsRelease.ALL), seed, size, domain);
        for (Fleet.Host h : fleet.hosts) {
            String fqdn = String.format("h%04d.%s", h.index() + 1, domain);
            renamed.add(new Fleet.Host(h.index(), fqdn, h.role(), h.os(), h.release(), h.kernel()));
            hosts.add(new Host(h.index(), fqdn, h.release().name(), h.kernel().release(), h.kernel().version()));
        }
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** The host's baseline: what its full reports list, sorted by name. */
    public List<Pkg> packages(int index) {
        return fleet.packages(renamed.get(index)).stream().map(LabFleet::pkg).toList();
    }

    /** The {@code sequence}-th apt run on the host: one to three packages installed or upgraded, sometimes one removed. */
    public AptRun aptRun(int index, int sequence) {
        Fleet.Change change = fleet.dpkgHook(renamed.get(index), sequence);
        return new AptRun(change.installed().stream().map(LabFleet::pkg).toList(),
                change.removed().stream().map(Fleet.Item::name).toList());
    }

    /** The bench PKI in {@code dir} (e.g. bench/target/pki/ec), issuing the lab hosts' certificates on first use. */
    public Pki pki(Path dir, String keyType, PrintStream log) throws IOException, GeneralSecurityException {
        // The cache file is named after the domain: a prefix keeps it apart from a bench fleet's on the same domain.
        Certificates certificates = Certificates.loadOrCreate(dir, keyType, seed, "lab-" + domain, renamed, log);
        Map<String, X509Certificate> byHost = new HashMap<>();
        for (Host h : hosts) {
            byHost.put(h.fqdn(), certificates.certificate(h.fqdn()));
        }
        return new Pki(certificates.caFile, certificates.clientKey, byHost);
    }

    public static void jsonString(StringBuilder out, String s) {
        Json.string(out, s);
    }

    /** Objects become maps, arrays lists, numbers doubles; malformed text gets an IllegalArgumentException. */
    public static Object parseJson(String text) {
        return JsonReader.parse(text);
    }

    public static String prettyJson(Object value) {
        return Json.pretty(value);
    }

    private static Pkg pkg(Fleet.Item item) {
        return new Pkg(item.name(), item.version(), item.source(), item.sourceVersion(), item.upgrade(), item.security());
    }
}
