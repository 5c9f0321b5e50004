package io.debmonitor.source.sbom.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One CycloneDX component with the key path that names it in error messages, e.g.
 * {@code components[12]} or {@code metadata.component}.
 */
record Component(JsonNode node, String path) {

    /** @return the CycloneDX component type, such as {@code library} or {@code operating-system}; null when absent */
    String type() {
        return node.path("type").textValue();
    }
}
