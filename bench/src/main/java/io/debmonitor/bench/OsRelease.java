package io.debmonitor.bench;

import java.util.List;

/**
 * An OS release of the fleet, with its share of hosts, its kernels and its version conventions.
 *
 * @param generation which upstream generation it ships (0 oldest); releases of one generation share upstream versions
 * @param tag the stable-update tag: {@code 12} for {@code +deb12u3}, {@code 22.04} for {@code ubuntu0.22.04.1}
 * @param t64 whether some library packages carry the 64-bit time_t rename ({@code libssl3t64})
 */
record OsRelease(String name, int weight, int generation, boolean ubuntu, String tag, boolean t64, List<Kernel> kernels) {

    /** A running kernel: {@code uname -r}, {@code uname -v}, and the package that installed it. */
    record Kernel(String release, String version, String packageVersion) {
    }

    static final List<OsRelease> ALL = List.of(
            new OsRelease("Debian 11", 14, 0, false, "11", false, List.of(
                    new Kernel("5.10.0-26-amd64", "#1 SMP Debian 5.10.197-1 (2023-09-29)", "5.10.197-1"),
                    new Kernel("5.10.0-28-amd64", "#1 SMP Debian 5.10.209-2 (2024-01-31)", "5.10.209-2"),
                    new Kernel("5.10.0-32-amd64", "#1 SMP Debian 5.10.223-1 (2024-08-10)", "5.10.223-1"))),
            new OsRelease("Debian 12", 55, 1, false, "12", false, List.of(
                    new Kernel("6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", "6.1.76-1"),
                    new Kernel("6.1.0-21-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03)", "6.1.90-1"),
                    new Kernel("6.1.0-25-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)", "6.1.106-3"),
                    new Kernel("6.1.0-28-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)", "6.1.119-1"))),
            new OsRelease("Debian 13", 16, 2, false, "13", true, List.of(
                    new Kernel("6.12.38+deb13-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.38-1 (2025-07-16)", "6.12.38-1"),
                    new Kernel("6.12.41+deb13-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.41-1 (2025-08-12)", "6.12.41-1"))),
            new OsRelease("Ubuntu 22.04", 7, 1, true, "22.04", false, List.of(
                    new Kernel("5.15.0-105-generic", "#115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024", "5.15.0-105.115"),
                    new Kernel("5.15.0-119-generic", "#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024", "5.15.0-119.129"),
                    new Kernel("5.15.0-125-generic", "#135-Ubuntu SMP Fri Sep 27 13:53:58 UTC 2024", "5.15.0-125.135"))),
            new OsRelease("Ubuntu 24.04", 8, 2, true, "24.04", true, List.of(
                    new Kernel("6.8.0-45-generic", "#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024", "6.8.0-45.45"),
                    new Kernel("6.8.0-51-generic", "#51-Ubuntu SMP PREEMPT_DYNAMIC Sat Nov  9 17:58:29 UTC 2024", "6.8.0-51.52"))));

    /** The source of the {@code linux-image-<release>} package. */
    String kernelSource() {
        return ubuntu ? "linux-signed" : "linux-signed-amd64";
    }

    /** The kernel metapackage every host has, and its source. */
    String kernelMetaPackage() {
        return ubuntu ? "linux-image-generic" : "linux-image-amd64";
    }

    String kernelMetaSource() {
        return ubuntu ? "linux-meta" : "linux-signed-amd64";
    }
}
