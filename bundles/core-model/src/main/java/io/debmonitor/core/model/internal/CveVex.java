package io.debmonitor.core.model.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.EntityKind;

/**
 * The active exceptions as VEX documents (CVE.md §10), OpenVEX 0.2.0 or CycloneDX 1.5. An exception
 * accepts a risk and claims nothing about exploitability, so every statement says "affected, and no
 * fix will be applied": OpenVEX {@code affected} with an {@code action_statement} (a
 * {@code not_affected} status would need a justification the exception does not give, and would
 * make Trivy or Grype hide what Debian says is vulnerable); CycloneDX {@code exploitable} with the
 * response {@code will_not_fix}. The reason, the author and the expiry go into the statement's text;
 * CycloneDX also carries the expiry as the property {@code debmonitor:expires}.
 *
 * <p>Products: a source package is {@code pkg:deb/debian/<source>?arch=source} (the package URL of
 * a Debian source package); an exception on every source names each source the active snapshot
 * lists for the issue ({@code urn:debmonitor:fleet} when it lists none any more). A host or image is
 * {@code urn:debmonitor:host:<fqdn>} or {@code urn:debmonitor:image:<reference>}, with the source
 * as its subcomponent (OpenVEX) or nested component (CycloneDX) when the exception names one.
 */
final class CveVex {

    static final String OPENVEX_CONTEXT = "https://openvex.dev/ns/v0.2.0";
    static final String FLEET = "urn:debmonitor:fleet";
    private static final String TRACKER = "https://security-tracker.debian.org/tracker/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CveVex() {
    }

    /** @param sources the active snapshot's sources of each issue that an exception on every source names */
    static String openVex(List<CveExceptionDTO> exceptions, Map<String, List<String>> sources, Instant now) {
        ObjectNode document = MAPPER.createObjectNode();
        document.put("@context", OPENVEX_CONTEXT);
        document.put("@id", "urn:uuid:" + UUID.randomUUID());
        document.put("author", "DebMonitor");
        document.put("timestamp", now.toString());
        document.put("version", 1);
        document.put("tooling", "DebMonitor CVE exceptions");
        ArrayNode statements = document.putArray("statements");
        for (CveExceptionDTO e : exceptions) {
            ObjectNode statement = statements.addObject();
            ObjectNode vulnerability = statement.putObject("vulnerability");
            vulnerability.put("@id", TRACKER + e.issue());
            vulnerability.put("name", e.issue());
            statement.put("timestamp", e.created().toString());
            ArrayNode products = statement.putArray("products");
            if (e.kind() != null) {
                ObjectNode product = products.addObject();
                product.put("@id", entityUrn(e.kind(), e.entity()));
                if (e.source() != null) {
                    product.putArray("subcomponents").addObject().put("@id", sourcePurl(e.source()));
                }
            } else {
                List<String> named = sourcesOf(e, sources);
                if (named.isEmpty()) {
                    products.addObject().put("@id", FLEET);
                }
                named.forEach(name -> products.addObject().put("@id", sourcePurl(name)));
            }
            statement.put("status", "affected");
            statement.put("action_statement", statement(e));
            statement.put("action_statement_timestamp", e.created().toString());
        }
        return write(document);
    }

    static String cycloneDx(List<CveExceptionDTO> exceptions, Map<String, List<String>> sources, Instant now) {
        ObjectNode bom = MAPPER.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.5");
        bom.put("serialNumber", "urn:uuid:" + UUID.randomUUID());
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", now.toString());
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("name", "DebMonitor");
        // Each component once, by bom-ref; an entity's nested sources under it.
        Map<String, ObjectNode> components = new LinkedHashMap<>();
        ArrayNode vulnerabilities = MAPPER.createArrayNode();
        for (CveExceptionDTO e : exceptions) {
            List<String> affected = new ArrayList<>();
            if (e.kind() != null) {
                String entityRef = entityUrn(e.kind(), e.entity());
                ObjectNode entity = components.computeIfAbsent(entityRef, ref -> {
                    ObjectNode component = MAPPER.createObjectNode();
                    component.put("bom-ref", ref);
                    component.put("type", e.kind() == EntityKind.HOST ? "device" : "container");
                    component.put("name", e.entity());
                    return component;
                });
                if (e.source() == null) {
                    affected.add(entityRef);
                } else {
                    String ref = entityRef + "#" + sourcePurl(e.source());
                    ArrayNode nested = entity.has("components") ? (ArrayNode) entity.get("components") : entity.putArray("components");
                    boolean present = false;
                    for (var component : nested) {
                        present |= component.get("bom-ref").asText().equals(ref);
                    }
                    if (!present) {
                        nested.add(sourceComponent(ref, e.source()));
                    }
                    affected.add(ref);
                }
            } else {
                List<String> named = sourcesOf(e, sources);
                if (named.isEmpty()) {
                    components.computeIfAbsent(FLEET, ref -> {
                        ObjectNode component = MAPPER.createObjectNode();
                        component.put("bom-ref", ref);
                        component.put("type", "platform");
                        component.put("name", "every host and image DebMonitor tracks");
                        return component;
                    });
                    affected.add(FLEET);
                }
                for (String name : named) {
                    String purl = sourcePurl(name);
                    components.computeIfAbsent(purl, ref -> sourceComponent(ref, name));
                    affected.add(purl);
                }
            }
            ObjectNode vulnerability = vulnerabilities.addObject();
            vulnerability.put("bom-ref", "debmonitor-exception-" + e.id());
            vulnerability.put("id", e.issue());
            ObjectNode source = vulnerability.putObject("source");
            source.put("name", "Debian Security Tracker");
            source.put("url", TRACKER + e.issue());
            ObjectNode analysis = vulnerability.putObject("analysis");
            analysis.put("state", "exploitable");
            analysis.putArray("response").add("will_not_fix");
            analysis.put("detail", statement(e));
            analysis.put("firstIssued", e.created().toString());
            analysis.put("lastUpdated", e.created().toString());
            ArrayNode affects = vulnerability.putArray("affects");
            affected.forEach(ref -> affects.addObject().put("ref", ref));
            if (e.expires() != null) {
                ObjectNode property = vulnerability.putArray("properties").addObject();
                property.put("name", "debmonitor:expires");
                property.put("value", e.expires().toString());
            }
        }
        ArrayNode list = bom.putArray("components");
        components.values().forEach(list::add);
        bom.set("vulnerabilities", vulnerabilities);
        return write(bom);
    }

    /** The statement's words: who accepted the risk, until when, and why. */
    private static String statement(CveExceptionDTO e) {
        return "Risk accepted in DebMonitor (exception " + e.id() + ", by " + e.author() + ", "
                + (e.expires() == null ? "no expiry" : "until " + e.expires()) + "): no fix will be applied. Reason: " + e.reason();
    }

    /** @return the exception's source, or the snapshot's sources of the issue; empty when it lists none any more */
    private static List<String> sourcesOf(CveExceptionDTO e, Map<String, List<String>> sources) {
        return e.source() != null ? List.of(e.source()) : sources.getOrDefault(e.issue(), List.of());
    }

    /** The package URL of a Debian source package, any version; the name percent-encoded as the purl spec asks ('+' too). */
    static String sourcePurl(String source) {
        return "pkg:deb/debian/" + encode(source, "") + "?arch=source";
    }

    /** {@code urn:debmonitor:<kind>:<name>}, the name percent-encoded where RFC 8141 does not allow it. */
    static String entityUrn(EntityKind kind, String name) {
        return "urn:debmonitor:" + kind.word() + ":" + encode(name, "!$&'()*+,;=:@/");
    }

    private static String encode(String text, String allowed) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'
                    || (b >= 0 && allowed.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static ObjectNode sourceComponent(String ref, String source) {
        ObjectNode component = MAPPER.createObjectNode();
        component.put("bom-ref", ref);
        component.put("type", "library");
        component.put("name", source);
        component.put("purl", sourcePurl(source));
        return component;
    }

    private static String write(ObjectNode document) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of strings always serialises", e);
        }
    }
}
