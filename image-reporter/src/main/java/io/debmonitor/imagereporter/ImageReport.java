package io.debmonitor.imagereporter;

import io.debmonitor.client.DpkgStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of {@code POST /images/{name}/update}: a v1 full image report (SPEC §1.4, key order of
 * §7.2) plus {@code digest}, the digest the tag pointed to, which the server matches kubernetes
 * references against.
 */
final class ImageReport {

    private ImageReport() {
    }

    static Map<String, Object> payload(String imageName, String digest, ImageContents contents) {
        List<Object> installed = new ArrayList<>(contents.installed().size());
        for (DpkgStatus.Installed p : contents.installed()) {
            Map<String, Object> item = new LinkedHashMap<>(8);
            item.put("name", p.name());
            item.put("version", p.version());
            item.put("source", p.source());
            if (p.sourceVersion() != null) {
                item.put("source_version", p.sourceVersion());
            }
            installed.add(item);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("api_version", "v1");
        payload.put("os", contents.os());
        payload.put("installed", installed);
        payload.put("uninstalled", List.of());
        payload.put("upgradable", List.of());
        payload.put("update_type", "full");
        payload.put("image_name", imageName);
        payload.put("digest", digest);
        return payload;
    }
}
