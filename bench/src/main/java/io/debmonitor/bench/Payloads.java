package io.debmonitor.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Host report bodies (SPEC §1.3), with the key order of the existing client. */
final class Payloads {

    private Payloads() {
    }

    /** A full report: every installed package, and the upgradable ones again under {@code upgradable}. */
    static byte[] full(Fleet.Host host, List<Fleet.Item> items) {
        StringBuilder out = new StringBuilder(items.size() * 96 + 512);
        out.append("{\"api_version\": \"v1\", \"os\": ");
        Json.string(out, host.release().name());
        out.append(", \"installed\": [");
        packages(out, items);
        out.append("], \"uninstalled\": [], \"upgradable\": [");
        boolean first = true;
        for (Fleet.Item item : items) {
            if (item.upgrade() == null) {
                continue;
            }
            out.append(first ? "" : ", ").append("{\"name\": ");
            first = false;
            Json.string(out, item.name());
            out.append(", \"version_from\": ");
            Json.string(out, item.version());
            out.append(", \"version_to\": ");
            Json.string(out, item.upgrade());
            out.append(", \"source\": ");
            Json.string(out, item.source());
            if (item.security()) {
                out.append(", \"type\": \"security\"");
            }
            out.append('}');
        }
        out.append("], \"update_type\": \"full\"");
        trailer(out, host);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What the dpkg hook sends after one apt run. */
    static byte[] dpkgHook(Fleet.Host host, Fleet.Change change) {
        StringBuilder out = new StringBuilder(1024);
        out.append("{\"api_version\": \"v1\", \"os\": ");
        Json.string(out, host.release().name());
        out.append(", \"installed\": [");
        packages(out, change.installed());
        out.append("], \"uninstalled\": [");
        packages(out, change.removed());
        out.append("], \"upgradable\": [], \"update_type\": \"dpkg_hook\"");
        trailer(out, host);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void packages(StringBuilder out, List<Fleet.Item> items) {
        for (int i = 0; i < items.size(); i++) {
            Fleet.Item item = items.get(i);
            out.append(i == 0 ? "" : ", ").append("{\"name\": ");
            Json.string(out, item.name());
            out.append(", \"version\": ");
            Json.string(out, item.version());
            out.append(", \"source\": ");
            Json.string(out, item.source());
            // Sent only for binNMUs, where it differs from the binary version, as dpkg's Source: field does.
            if (item.sourceVersion() != null) {
                out.append(", \"source_version\": ");
                Json.string(out, item.sourceVersion());
            }
            out.append('}');
        }
    }

    private static void trailer(StringBuilder out, Fleet.Host host) {
        out.append(", \"hostname\": ");
        Json.string(out, host.fqdn());
        out.append(", \"running_kernel\": {\"release\": ");
        Json.string(out, host.kernel().release());
        out.append(", \"version\": ");
        Json.string(out, host.kernel().version());
        out.append("}}");
    }
}
