package io.debmonitor.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds report payloads with the key order of SPEC §7.2. */
final class Payload {

    static final String FULL = "full";
    static final String UPGRADABLE = "upgradable";
    static final String DPKG_HOOK = "dpkg_hook";

    /** An installed or uninstalled item; a null {@code sourceVersion} is left out. */
    record Package(String name, String version, String source, String sourceVersion) {
    }

    /** Who the report is about: a host (with its kernel) or an image. */
    record Subject(String hostname, String kernelRelease, String kernelVersion, String imageName) {
        static Subject host(String hostname, String kernelRelease, String kernelVersion) {
            return new Subject(hostname, kernelRelease, kernelVersion, null);
        }

        static Subject image(String imageName) {
            return new Subject(null, null, null, imageName);
        }
    }

    private Payload() {
    }

    static Map<String, Object> build(String os, List<Package> installed, List<Package> uninstalled,
                                     List<Upgradable.Item> upgradable, String updateType, Subject subject) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("api_version", "v1");
        p.put("os", os);
        p.put("installed", packages(installed));
        p.put("uninstalled", packages(uninstalled));
        p.put("upgradable", upgradables(upgradable));
        p.put("update_type", updateType);
        if (subject.imageName != null) {
            p.put("image_name", subject.imageName);
        } else {
            p.put("hostname", subject.hostname);
            Map<String, Object> kernel = new LinkedHashMap<>();
            kernel.put("release", subject.kernelRelease);
            kernel.put("version", subject.kernelVersion);
            p.put("running_kernel", kernel);
        }
        return p;
    }

    private static List<Object> packages(List<Package> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Package i : items) {
            Map<String, Object> m = new LinkedHashMap<>(8);
            m.put("name", i.name);
            m.put("version", i.version);
            m.put("source", i.source);
            if (i.sourceVersion != null) {
                m.put("source_version", i.sourceVersion);
            }
            out.add(m);
        }
        return out;
    }

    private static List<Object> upgradables(List<Upgradable.Item> items) {
        List<Object> out = new ArrayList<>(items.size());
        for (Upgradable.Item i : items) {
            Map<String, Object> m = new LinkedHashMap<>(8);
            m.put("name", i.name());
            m.put("version_from", i.versionFrom());
            m.put("version_to", i.versionTo());
            m.put("source", i.source());
            if (i.sourceVersion() != null) {
                m.put("source_version", i.sourceVersion());
            }
            if (i.security()) {
                m.put("type", "security");
            }
            out.add(m);
        }
        return out;
    }

    /** The installed items of a full report. */
    static List<Package> installed(DpkgStatus status) {
        List<Package> out = new ArrayList<>(status.packages().size());
        for (DpkgStatus.Installed p : status.packages()) {
            out.add(new Package(p.name(), p.version(), p.source(), p.sourceVersion()));
        }
        return out;
    }
}
