package io.debmonitor.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The upgradable packages: installed packages whose apt candidate differs from the installed version
 * (SPEC §7.4). apt-cache builds its whole cache on every call (about a second), so there is exactly
 * one apt-cache call, and the candidates' sources are read from the APT lists at the same time.
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
        private final CompletableFuture<Map<String, DpkgStatus.Source>> sources;
        private volatile boolean cancelled;

        private Pending(DpkgStatus status, Exec.Running policy, Path listsDir) {
            this.status = status;
            this.policy = policy;
            if (policy == null) {
                this.sources = CompletableFuture.completedFuture(Map.of());
                return;
            }
            Set<String> names = new HashSet<>();
            for (DpkgStatus.Installed p : status.packages()) {
                names.add(p.bareName());
            }
            this.sources = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    sources.complete(AptLists.collect(names, listsDir, () -> cancelled));
                } catch (RuntimeException e) {
                    sources.completeExceptionally(e);
                }
            }, "apt-lists");
            t.setDaemon(true);
            t.start();
        }

        List<Item> await() throws ClientException {
            long t0 = System.nanoTime();
            Map<String, AptPolicy.Candidate> candidates = policy == null ? Map.of() : AptPolicy.await(policy);
            long t1 = System.nanoTime();
            Log.debug("apt-cache policy done after waiting " + (t1 - t0) / 1_000_000 + " ms");
            List<Item> items = collect(status, candidates, keys -> sources.join());
            if (!sources.isDone()) {
                cancelled = true; // nothing upgradable: the sources are not needed
            }
            Log.debug("upgradable sources ready after " + (System.nanoTime() - t1) / 1_000_000 + " ms more");
            return items;
        }
    }

    private Upgradable() {
    }

    static Pending start(DpkgStatus status, Path listsDir) throws ClientException {
        List<String> names = new ArrayList<>(status.packages().size());
        for (DpkgStatus.Installed p : status.packages()) {
            names.add(p.name());
        }
        if (names.isEmpty()) {
            return new Pending(status, null, listsDir);
        }
        try {
            return new Pending(status, AptPolicy.start(names), listsDir);
        } catch (IOException e) {
            throw new ClientException("cannot run apt-cache: " + e.getMessage(), e);
        }
    }

    /**
     * Compares the candidates with the installed versions. {@code sourceLookup} maps
     * {@link AptLists#key} keys to sources (it may return more); unknown candidates keep the installed
     * package's source, without a source version. {@code sourceLookup} is not called when nothing is
     * upgradable.
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
