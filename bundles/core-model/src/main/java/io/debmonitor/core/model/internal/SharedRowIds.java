package io.debmonitor.core.model.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids of shared rows that never change once created: operating systems, kernels, packages, and
 * the source name and version behind a source package version id. Reports look them up by the
 * thousand, so remembering them saves most of a full report's lookups and two statements of every
 * dpkg-hook report.
 *
 * <p>Entries are only learned from committed transactions ({@link Learned#publish}). Garbage
 * collection forgets everything after it deletes shared rows; a report that read an id just
 * before has its write refused by the foreign keys, and {@link ReportServiceImpl} forgets
 * everything before it retries.
 */
final class SharedRowIds {

    /** Above this many entries in one map, it starts over; a large fleet has about 100,000 packages. */
    static final int CAPACITY = 500_000;

    /** A source package version: its source name and version string. */
    record SourceVersion(String source, String version) {
    }

    final Map<String, Long> os = new ConcurrentHashMap<>();
    final Map<String, Long> kernels = new ConcurrentHashMap<>();
    final Map<String, Long> packages = new ConcurrentHashMap<>();
    final Map<Long, SourceVersion> sourceVersions = new ConcurrentHashMap<>();

    static String kernelKey(long osId, String name) {
        return osId + "\u0000" + name;
    }

    void forgetAll() {
        os.clear();
        kernels.clear();
        packages.clear();
        sourceVersions.clear();
    }

    /** What one transaction looked up; published to the shared maps once it has committed. */
    static final class Learned {
        final Map<String, Long> os = new HashMap<>();
        final Map<String, Long> kernels = new HashMap<>();
        final Map<String, Long> packages = new HashMap<>();
        final Map<Long, SourceVersion> sourceVersions = new HashMap<>();

        void publish(SharedRowIds to) {
            putAll(to.os, os);
            putAll(to.kernels, kernels);
            putAll(to.packages, packages);
            putAll(to.sourceVersions, sourceVersions);
        }

        private static <K, V> void putAll(Map<K, V> to, Map<K, V> from) {
            if (from.isEmpty()) {
                return;
            }
            if (to.size() + from.size() > CAPACITY) {
                to.clear();
            }
            to.putAll(from);
        }
    }
}
