package io.debmonitor.core.model.v1;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.KubernetesSnapshotDTO;
import io.debmonitor.core.model.api.Names;

/**
 * Reads {@code POST /kubernetes/update} (SPEC §1.8) and validates all of it before returning. A
 * bad cluster, images object or namespace refuses the whole snapshot; a bad container count only
 * refuses its pair, which goes to {@code errors}. Thread-safe.
 *
 * @since 1.0.0
 */
public final class KubernetesSnapshotReader {

    /**
     * @param body the raw request body
     * @return the validated snapshot; never null
     * @throws InvalidReportException on the first rule the payload breaks
     */
    public KubernetesSnapshotDTO read(byte[] body) throws InvalidReportException {
        JsonNode root = V1ReportReader.parse(body);
        if (!root.isObject()) {
            throw new InvalidReportException("The request body must be a JSON object.");
        }
        String cluster = V1ReportReader.requiredString(root, "cluster", "cluster");
        JsonNode images = root.get("images");
        if (images == null || !images.isObject()) {
            throw new InvalidReportException("images: expected an object of image references.");
        }
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        List<KubernetesSnapshotDTO.Error> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = images.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            String path = "images[" + quoted(image.getKey()) + "]";
            if (!image.getValue().isObject()) {
                throw new InvalidReportException(path + ": expected an object of namespaces.");
            }
            Map<String, Integer> namespaces = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> ns = image.getValue().fields(); ns.hasNext(); ) {
                Map.Entry<String, JsonNode> namespace = ns.next();
                checkNamespace(namespace.getKey(), path);
                JsonNode count = namespace.getValue();
                if (count.isIntegralNumber() && count.canConvertToInt() && count.intValue() >= 0) {
                    namespaces.put(namespace.getKey(), count.intValue());
                } else {
                    namespaces.remove(namespace.getKey());
                    errors.add(new KubernetesSnapshotDTO.Error(image.getKey(), cluster, namespace.getKey(),
                            "The container count must be an integer from 0 to 2147483647."));
                }
            }
            counts.put(image.getKey(), namespaces);
        }
        return new KubernetesSnapshotDTO(cluster, counts, errors);
    }

    private static void checkNamespace(String namespace, String path) throws InvalidReportException {
        int length = Names.length(namespace);
        if (length == 0 || length > Names.MAX_LENGTH || Names.hasControlCharacter(namespace)) {
            throw new InvalidReportException(path + ": a namespace must have 1 to 255 characters and no control characters.");
        }
    }

    /** The key as JSON would write it, shortened, so a message stays one readable line. */
    private static String quoted(String key) {
        String shown = key.length() > 80 ? key.substring(0, 80) + "…" : key;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
