package io.debmonitor.ui.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

/**
 * The CycloneDX 1.5 JSON SBOM of one host or image (issue #13), shaped as Syft writes one for a
 * scanned system so that Grype and Dependency-Track read it the same way: an
 * {@code operating-system} component naming the distribution, and one {@code library} component
 * per installed package, identified by its {@link DebianPurl package URL}.
 */
final class CycloneDxBom {

    static final String FORMAT = "cyclonedx";
    static final String MEDIA_TYPE = "application/vnd.cyclonedx+json; version=1.5";

    private CycloneDxBom() {
    }

    /**
     * @param packages     the entity's packages, in the order the document lists them
     * @param toolVersion  DebMonitor's version, named in {@code metadata.tools}
     * @param serialNumber unique per document: each download is a new BOM
     */
    static Map<String, Object> of(EntityDTO entity, List<BomPackage> packages, String toolVersion, Instant timestamp, UUID serialNumber) {
        Distro distro = Distro.of(entity.os());
        Map<String, Object> bom = new LinkedHashMap<>();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.5");
        bom.put("serialNumber", "urn:uuid:" + serialNumber);
        bom.put("version", 1);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("timestamp", Times.iso(timestamp));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "application");
        tool.put("name", "DebMonitor");
        tool.put("version", toolVersion);
        metadata.put("tools", Map.of("components", List.of(tool)));
        metadata.put("component", subject(entity));
        bom.put("metadata", metadata);
        List<Map<String, Object>> components = new ArrayList<>(packages.size() + 1);
        components.add(operatingSystem(distro));
        for (BomPackage p : packages) {
            String purl = DebianPurl.of(distro, p);
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("bom-ref", purl);
            component.put("type", "library");
            component.put("name", p.binaryName());
            component.put("version", p.version());
            component.put("purl", purl);
            components.add(component);
        }
        bom.put("components", components);
        return bom;
    }

    /** @return {@code <name>.cdx.json}, with every character but letters, digits, '.', '_' and '-' (and a leading '.') made '_' */
    static String fileName(String entityName) {
        String safe = entityName.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.startsWith(".") ? "_" + safe.substring(1) : safe) + ".cdx.json";
    }

    /**
     * What the BOM describes. Syft names what it scanned ("file" for a directory, "container" for
     * an image), which for a host would be a path; DebMonitor knows the machine, and CycloneDX's
     * type for a whole machine is "device". An image is a "container" as in Syft, with its
     * manifest digest as version when the report carried one.
     */
    private static Map<String, Object> subject(EntityDTO entity) {
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("type", entity.kind() == EntityKind.HOST ? "device" : "container");
        component.put("name", entity.name());
        if (entity.digest() != null) {
            component.put("version", entity.digest());
        }
        return component;
    }

    private static Map<String, Object> operatingSystem(Distro distro) {
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("type", "operating-system");
        component.put("name", distro.id());
        if (distro.release() != null) {
            component.put("version", distro.release());
        }
        return component;
    }
}
