package io.debmonitor.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The upgradable packages: installed packages whose apt candidate differs from the installed version
 * (SPEC §7.4). The candidate's source comes from the APT lists in one batched lookup.
 */
final class Upgradable {

    /** One upgradable item; {@code source}/{@code sourceVersion} describe the candidate. */
    record Item(String name, String versionFrom, String versionTo, String source, String sourceVersion,
                boolean security) {
    }

    /** A query started early, so that apt runs while the rest of the report is gathered. */
    static final class Pending {
        private final DpkgStatus status;
        private final Exec.Running policy;

        private Pending(DpkgStatus status, Exec.Running policy) {
            this.status = status;
            this.policy = policy;
        }

        List<Item> await(Path listsDir) throws ClientException {
            long t0 = System.nanoTime();
            Map<String, AptPolicy.Candidate> candidates = policy == null ? Map.of() : AptPolicy.await(policy);
            long t1 = System.nanoTime();
            Log.debug("apt-cache policy done, waited " + (t1 - t0) / 1_000_000 + " ms");
            List<Item> items = collect(status, candidates, keys -> AptLists.lookup(keys, listsDir));
            Log.debug("upgradable sources looked up in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
            return items;
        }
    }

    private Upgradable() {
    }

    static Pending start(DpkgStatus status) throws ClientException {
        List<String> names = new ArrayList<>(status.packages().size());
        for (DpkgStatus.Installed p : status.packages()) {
            names.add(p.name());
        }
        if (names.isEmpty()) {
            return new Pending(status, null);
        }
        try {
            return new Pending(status, AptPolicy.start(names));
        } catch (IOException e) {
            throw new ClientException("cannot run apt-cache: " + e.getMessage(), e);
        }
    }

    /**
     * Compares the candidates with the installed versions. {@code sourceLookup} maps
     * {@link AptLists#key} keys to sources; unknown candidates keep the installed package's source.
     */
    static List<Item> collect(DpkgStatus status, Map<String, AptPolicy.Candidate> candidates,
                              Function<Collection<String>, Map<String, DpkgStatus.Source>> sourceLookup) {
        List<DpkgStatus.Installed> changed = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (DpkgStatus.Installed p : status.packages()) {
            AptPolicy.Candidate c = candidates.get(p.name());
            if (c != null && !c.version().equals(p.version())) {
                changed.add(p);
                keys.add(AptLists.key(p.bareName(), c.version()));
            }
        }
        Map<String, DpkgStatus.Source> sources = keys.isEmpty() ? Map.of() : sourceLookup.apply(keys);
        List<Item> items = new ArrayList<>(changed.size());
        for (DpkgStatus.Installed p : changed) {
            AptPolicy.Candidate c = candidates.get(p.name());
            DpkgStatus.Source src = sources.get(AptLists.key(p.bareName(), c.version()));
            if (src == null) {
                Log.debug("no source found for " + p.name() + " " + c.version() + "; using the installed one");
            }
            items.add(new Item(p.name(), p.version(), c.version(), src != null ? src.name() : p.source(),
                    src != null ? src.version() : null, c.security()));
        }
        return items;
    }
}
