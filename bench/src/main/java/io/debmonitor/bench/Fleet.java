package io.debmonitor.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic fleet of hosts drawn from a {@link PackageUniverse}. Host {@code i} is the same
 * for every fleet size with the same seed, and its packages are recomputed on demand rather than
 * kept in memory, so fleets of tens of thousands of hosts cost nothing until reported.
 */
final class Fleet {

    static final String[] ROLES = {"web", "db", "cache", "kafka", "search", "ms", "analytics", "ml", "ganeti", "lb", "ci", "mon"};
    private static final String[] DATACENTERS = {"eqiad", "codfw", "esams", "ulsfo", "eqsin", "drmrs"};
    private static final int[] DATACENTER_WEIGHTS = {40, 35, 8, 6, 6, 5};
    private static final int MIN_PACKAGES = 1500;
    private static final int MAX_PACKAGES = 2500;
    private static final int BASE_PACKAGES = 1100;
    private static final int ROLE_POOL = 1600;
    /**
     * Chance that a host still runs the old version when its source has a pending upgrade;
     * with {@link PackageUniverse#PENDING_UPGRADE_RATE} this leaves about 5% of packages upgradable.
     */
    private static final double STILL_OUTDATED = 0.42;

    record Host(int index, String fqdn, int role, int os, OsRelease release, OsRelease.Kernel kernel) {
    }

    /** One package of a host; {@code binary} is -1 for the kernel packages. */
    record Item(int binary, String name, String version, String source, String sourceVersion, String upgrade, boolean security) {
    }

    /** What one apt run changed: packages installed or upgraded, and packages removed. */
    record Change(List<Item> installed, List<Item> removed) {
    }

    final PackageUniverse universe;
    final List<Host> hosts;
    private final long seed;
    private final int[] base;
    private final int[][] pools;

    Fleet(PackageUniverse universe, long seed, int size, String domain) {
        this.universe = universe;
        this.seed = seed;
        Random random = new Random(mix(seed, 0xF1EE7));
        List<Integer> generated = new ArrayList<>();
        List<Integer> baseList = new ArrayList<>();
        for (int b = 0; b < universe.size(); b++) {
            (universe.binaries.get(b).curated ? baseList : generated).add(b);
        }
        int[] shuffled = shuffle(generated.stream().mapToInt(Integer::intValue).toArray(), random);
        int baseTarget = Math.min(BASE_PACKAGES, universe.size() / 4);
        int fromGenerated = Math.max(0, Math.min(shuffled.length, baseTarget - baseList.size()));
        for (int i = 0; i < fromGenerated; i++) {
            baseList.add(shuffled[i]);
        }
        base = baseList.stream().mapToInt(Integer::intValue).toArray();
        int[] rest = java.util.Arrays.copyOfRange(shuffled, fromGenerated, shuffled.length);
        pools = new int[ROLES.length][];
        for (int r = 0; r < ROLES.length; r++) {
            pools[r] = java.util.Arrays.copyOf(shuffle(rest.clone(), random), Math.min(ROLE_POOL, rest.length));
        }
        hosts = hosts(new Random(mix(seed, 0x4057)), size, domain);
    }

    private List<Host> hosts(Random random, int size, String domain) {
        int[] osWeights = OsRelease.ALL.stream().mapToInt(OsRelease::weight).toArray();
        int[][] counters = new int[ROLES.length][DATACENTERS.length];
        List<Host> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int role = random.nextInt(ROLES.length);
            int dc = weighted(random, DATACENTER_WEIGHTS);
            int os = weighted(random, osWeights);
            OsRelease release = OsRelease.ALL.get(os);
            // Later kernels are more common: hosts are rebooted into them over time.
            int[] kernelWeights = new int[release.kernels().size()];
            for (int k = 0; k < kernelWeights.length; k++) {
                kernelWeights[k] = k + 1;
            }
            OsRelease.Kernel kernel = release.kernels().get(weighted(random, kernelWeights));
            int n = ++counters[role][dc];
            int number = n < 1000 ? (dc + 1) * 1000 + n : (dc + 1) * 100000 + n;
            String fqdn = ROLES[role] + number + "." + DATACENTERS[dc] + "." + domain;
            out.add(new Host(i, fqdn, role, os, release, kernel));
        }
        return out;
    }

    /** The host's installed packages, sorted by name, with their pending upgrades. */
    List<Item> packages(Host host) {
        Random random = new Random(mix(seed, host.index, 0xBAC6));
        int target = MIN_PACKAGES + random.nextInt(MAX_PACKAGES - MIN_PACKAGES + 1);
        int[] pool = pools[host.role];
        int extras = Math.max(0, Math.min(pool.length, target - base.length - 2));
        int[] picked = pool.clone();
        partialShuffle(picked, extras, random);
        List<Item> items = new ArrayList<>(base.length + extras + 2);
        for (int b : base) {
            items.add(item(host, b));
        }
        for (int i = 0; i < extras; i++) {
            items.add(item(host, picked[i]));
        }
        OsRelease release = host.release;
        items.add(new Item(-1, "linux-image-" + host.kernel.release(), host.kernel.packageVersion(), release.kernelSource(), null, null, false));
        items.add(new Item(-1, release.kernelMetaPackage(), host.kernel.packageVersion(), release.kernelMetaSource(), null, null, false));
        items.sort(Comparator.comparing(Item::name));
        return items;
    }

    private Item item(Host host, int b) {
        PackageUniverse.Binary binary = universe.binaries.get(b);
        PackageUniverse.Source source = universe.sources.get(binary.source);
        int os = host.os;
        String version = binary.versions[os];
        String sourceVersion = version.equals(source.versions[os]) ? null : source.versions[os];
        String upgrade = source.upgrades[os];
        if (upgrade == null) {
            return new Item(b, binary.names[os], version, source.name, sourceVersion, null, false);
        }
        // Decided per source, so that all binaries of one source are outdated together.
        boolean outdated = (mix(seed, host.index, binary.source) >>> 11) % 1000 < STILL_OUTDATED * 1000;
        return outdated
                ? new Item(b, binary.names[os], version, source.name, sourceVersion, upgrade, source.security[os])
                : new Item(b, binary.names[os], upgrade, source.name, null, null, false);
    }

    /**
     * The {@code sequence}-th apt run on the host, as the dpkg hook reports it: one to three
     * packages upgraded (to their pending version) or newly installed, and sometimes one removed.
     */
    Change dpkgHook(Host host, int sequence) {
        Random random = new Random(mix(seed, host.index, 0xD9C6L + sequence));
        List<Item> items = packages(host);
        List<Item> upgradable = new ArrayList<>();
        Set<String> installedNames = new HashSet<>();
        for (Item item : items) {
            installedNames.add(item.name);
            if (item.upgrade != null) {
                upgradable.add(item);
            }
        }
        int x = random.nextInt(10);
        int count = x < 5 ? 1 : x < 8 ? 2 : 3;
        List<Item> installed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!upgradable.isEmpty() && random.nextInt(10) < 6) {
                Item old = upgradable.remove(random.nextInt(upgradable.size()));
                installed.add(new Item(old.binary, old.name, old.upgrade, old.source, null, null, false));
                continue;
            }
            for (int attempt = 0; attempt < 20; attempt++) {
                int[] pool = random.nextInt(4) == 0 ? pools[random.nextInt(pools.length)] : pools[host.role];
                Item candidate = item(host, pool[random.nextInt(pool.length)]);
                if (installedNames.add(candidate.name)) {
                    installed.add(new Item(candidate.binary, candidate.name, candidate.version, candidate.source,
                            candidate.sourceVersion, null, false));
                    break;
                }
            }
        }
        List<Item> removed = new ArrayList<>();
        if (random.nextInt(10) < 3) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Item candidate = items.get(random.nextInt(items.size()));
                if (candidate.binary >= 0 && !universe.binaries.get(candidate.binary).curated
                        && installed.stream().noneMatch(i -> i.name.equals(candidate.name))) {
                    removed.add(candidate);
                    break;
                }
            }
        }
        return new Change(installed, removed);
    }

    // --- deterministic randomness --------------------------------------------------------------------

    /** SplitMix64 over the arguments: a stable per-(seed, host, ...) random stream. */
    static long mix(long... values) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : values) {
            h ^= v;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
            h *= 0x94D049BB133111EBL;
            h ^= h >>> 29;
        }
        return h;
    }

    private static int[] shuffle(int[] values, Random random) {
        partialShuffle(values, values.length, random);
        return values;
    }

    private static void partialShuffle(int[] values, int count, Random random) {
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(values.length - i);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    private static int weighted(Random random, int[] weights) {
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
