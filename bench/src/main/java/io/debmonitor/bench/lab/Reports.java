package io.debmonitor.bench.lab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.debmonitor.bench.LabFleet;
import io.debmonitor.bench.LabFleet.Pkg;

/**
 * The lab's host reports (SPEC §1.3). Report {@code k} of a host installs the marker package
 * {@value #MARKER} at version {@code 1.<k>} and the tagged packages {@code zz-dm-tag-1} to
 * {@code zz-dm-tag-5} at {@code 1.0+r<k>}, whatever its type, so every report changes them all and
 * a sampler can check that a host's marker and tags agree on {@code k} (invariant I2):
 * {@code k = SUBSTRING(marker_version, 3) = SUBSTRING_INDEX(tag_version, '+r', -1)}.
 *
 * <ul>
 *   <li>{@code full} (k = 1 and every {@code fullEvery}-th report): the host's baseline packages
 *       and upgrades from the bench fleet, plus the marker and tags;
 *   <li>{@code dpkg_hook} (odd k): apt run k of the bench fleet (one to three packages installed
 *       or upgraded, sometimes one removed), plus the marker and tags;
 *   <li>{@code upgradable} (even k): up to three of the baseline's pending upgrades, and the
 *       marker and tags under {@code installed}, which the server applies for every update type
 *       (SPEC §1.6), though the apt-update hook itself sends none.
 * </ul>
 */
final class Reports {

    static final String MARKER = "zz-dm-seq";
    static final String TAG = "zz-dm-tag";
    static final int TAGS = 5;

    enum Type {
        FULL("full"), DPKG_HOOK("dpkg_hook"), UPGRADABLE("upgradable");

        final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    private Reports() {
    }

    static Type type(int k, int fullEvery) {
        if (k == 1 || k % fullEvery == 0) {
            return Type.FULL;
        }
        return k % 2 == 1 ? Type.DPKG_HOOK : Type.UPGRADABLE;
    }

    static String markerVersion(int k) {
        return "1." + k;
    }

    static String tagVersion(int k) {
        return "1.0+r" + k;
    }

    /** The marker, then the tagged packages, at report k. */
    static List<Pkg> sequenced(int k) {
        List<Pkg> out = new ArrayList<>(TAGS + 1);
        out.add(new Pkg(MARKER, markerVersion(k), MARKER, null, null, false));
        for (int i = 1; i <= TAGS; i++) {
            out.add(new Pkg(TAG + "-" + i, tagVersion(k), TAG, null, null, false));
        }
        return out;
    }

    /** What a full report k lists, and so the host's whole state after it: the baseline plus the sequenced packages. */
    static List<Pkg> fullState(LabFleet fleet, LabFleet.Host host, int k) {
        List<Pkg> out = new ArrayList<>(fleet.packages(host.index()));
        out.addAll(sequenced(k));
        return out;
    }

    static byte[] body(LabFleet fleet, LabFleet.Host host, int k, Type type) {
        List<Pkg> installed;
        List<String> removed = List.of();
        List<Pkg> upgradable;
        switch (type) {
            case FULL -> {
                installed = fullState(fleet, host, k);
                upgradable = installed.stream().filter(p -> p.upgrade() != null).toList();
            }
            case DPKG_HOOK -> {
                LabFleet.AptRun run = fleet.aptRun(host.index(), k);
                installed = new ArrayList<>(run.installed());
                installed.addAll(sequenced(k));
                removed = run.removed();
                upgradable = List.of();
            }
            default -> {
                installed = sequenced(k);
                List<Pkg> pending = fleet.packages(host.index()).stream().filter(p -> p.upgrade() != null).toList();
                upgradable = new ArrayList<>();
                for (int i = 0; i < Math.min(3, pending.size()); i++) {
                    upgradable.add(pending.get((k + i * 7) % pending.size()));
                }
            }
        }
        return json(host, type, installed, removed, upgradable);
    }

    static byte[] json(LabFleet.Host host, Type type, List<Pkg> installed, List<String> removed, List<Pkg> upgradable) {
        StringBuilder out = new StringBuilder(installed.size() * 96 + 512);
        out.append("{\"api_version\": \"v1\", \"os\": ");
        LabFleet.jsonString(out, host.os());
        out.append(", \"update_type\": \"").append(type.wire).append("\", \"hostname\": ");
        LabFleet.jsonString(out, host.fqdn());
        out.append(", \"running_kernel\": {\"release\": ");
        LabFleet.jsonString(out, host.kernelRelease());
        out.append(", \"version\": ");
        LabFleet.jsonString(out, host.kernelVersion());
        out.append("}, \"installed\": [");
        for (int i = 0; i < installed.size(); i++) {
            Pkg p = installed.get(i);
            out.append(i == 0 ? "{\"name\": " : ", {\"name\": ");
            LabFleet.jsonString(out, p.name());
            out.append(", \"version\": ");
            LabFleet.jsonString(out, p.version());
            out.append(", \"source\": ");
            LabFleet.jsonString(out, p.source());
            if (p.sourceVersion() != null) {
                out.append(", \"source_version\": ");
                LabFleet.jsonString(out, p.sourceVersion());
            }
            out.append('}');
        }
        out.append("], \"uninstalled\": [");
        for (int i = 0; i < removed.size(); i++) {
            out.append(i == 0 ? "{\"name\": " : ", {\"name\": ");
            LabFleet.jsonString(out, removed.get(i));
            out.append('}');
        }
        out.append("], \"upgradable\": [");
        for (int i = 0; i < upgradable.size(); i++) {
            Pkg p = upgradable.get(i);
            out.append(i == 0 ? "{\"name\": " : ", {\"name\": ");
            LabFleet.jsonString(out, p.name());
            out.append(", \"version_from\": ");
            LabFleet.jsonString(out, p.version());
            out.append(", \"version_to\": ");
            LabFleet.jsonString(out, p.upgrade());
            out.append(", \"source\": ");
            LabFleet.jsonString(out, p.source());
            if (p.security()) {
                out.append(", \"type\": \"security\"");
            }
            out.append('}');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
