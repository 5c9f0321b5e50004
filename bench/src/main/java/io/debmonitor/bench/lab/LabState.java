package io.debmonitor.bench.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.debmonitor.bench.LabFleet;

/**
 * The lab fleet's directory ({@code --state}). {@code lab.properties} fixes the fleet (hosts, seed,
 * domain, PKI) at the first {@code load}; {@code state.csv} holds each host's last report number k,
 * so that a later run continues at k + 1.
 */
final class LabState {

    final Path dir;
    final int hosts;
    final long seed;
    final String domain;
    final Path pki;
    private final AtomicIntegerArray lastK;

    private LabState(Path dir, int hosts, long seed, String domain, Path pki) {
        this.dir = dir;
        this.hosts = hosts;
        this.seed = seed;
        this.domain = domain;
        this.pki = pki;
        lastK = new AtomicIntegerArray(hosts);
    }

    /** Creates the directory's fleet on first use; afterwards the given values must match it. */
    static LabState create(Path dir, int hosts, long seed, String domain, Path pki) throws IOException {
        Path file = dir.resolve("lab.properties");
        if (Files.exists(file)) {
            LabState state = open(dir);
            if (state.hosts != hosts || state.seed != seed || !state.domain.equals(domain)) {
                throw new IllegalArgumentException(dir + " holds a fleet of " + state.hosts + " hosts (seed " + state.seed + ", domain "
                        + state.domain + "); use another --state directory for another fleet");
            }
            return state;
        }
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("hosts", String.valueOf(hosts));
        p.setProperty("seed", String.valueOf(seed));
        p.setProperty("domain", domain);
        p.setProperty("pki", pki.toAbsolutePath().toString());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "The lab fleet of this directory (bench/lab.sh)");
        }
        return new LabState(dir, hosts, seed, domain, pki.toAbsolutePath());
    }

    /** Opens a directory that a {@code load} created, with each host's last k. */
    static LabState open(Path dir) throws IOException {
        Path file = dir.resolve("lab.properties");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + " has no lab.properties: run 'load' with this --state first");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        LabState state = new LabState(dir, Integer.parseInt(p.getProperty("hosts")), Long.parseLong(p.getProperty("seed")),
                p.getProperty("domain"), Path.of(p.getProperty("pki")));
        Path ks = dir.resolve("state.csv");
        if (Files.exists(ks)) {
            for (String line : Files.readAllLines(ks, StandardCharsets.UTF_8)) {
                String[] fields = line.split(",");
                if (fields.length == 2 && !fields[0].equals("host")) {
                    int index = Integer.parseInt(fields[0].substring(1, fields[0].indexOf('.'))) - 1;
                    if (index >= 0 && index < state.hosts) {
                        state.lastK.set(index, Integer.parseInt(fields[1]));
                    }
                }
            }
        }
        return state;
    }

    /** @return the number of the host's next report, now taken */
    int next(int host) {
        return lastK.incrementAndGet(host);
    }

    int last(int host) {
        return lastK.get(host);
    }

    /** Writes state.csv, atomically. */
    synchronized void save(List<LabFleet.Host> fleet) throws IOException {
        StringBuilder out = new StringBuilder("host,k\n");
        for (LabFleet.Host h : fleet) {
            out.append(h.fqdn()).append(',').append(lastK.get(h.index())).append('\n');
        }
        Path tmp = dir.resolve("state.csv.tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("state.csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
