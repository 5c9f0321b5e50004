package io.debmonitor.source.sbom.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.InvalidReportException;

/** Lists every component of a BOM: {@code metadata.component}, then {@code components}, each followed by its nested components. */
final class Components {

    private Components() {
    }

    static List<Component> of(JsonNode bom) throws InvalidReportException {
        List<Component> all = new ArrayList<>();
        JsonNode metadata = bom.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw new InvalidReportException("metadata: expected an object.");
            }
            JsonNode subject = metadata.get("component");
            if (subject != null && !subject.isNull()) {
                if (!subject.isObject()) {
                    throw new InvalidReportException("metadata.component: expected an object.");
                }
                add(subject, "metadata.component", all);
            }
        }
        addList(bom.get("components"), "components", all);
        return all;
    }

    private static void add(JsonNode component, String path, List<Component> all) throws InvalidReportException {
        all.add(new Component(component, path));
        addList(component.get("components"), path + ".components", all);
    }

    private static void addList(JsonNode list, String path, List<Component> all) throws InvalidReportException {
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw new InvalidReportException(path + ": expected a list.");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemPath = path + "[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidReportException(itemPath + ": expected an object.");
            }
            add(item, itemPath, all);
        }
    }
}
