package io.debmonitor.source.sbom.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;

/**
 * Turns a CycloneDX JSON BOM of a Debian or Ubuntu system into a {@code full} host report: the OS
 * from the {@code operating-system} component, one installed item per {@code pkg:deb} purl, no
 * upgrades (an SBOM does not know candidates). The whole BOM is checked before a report is
 * returned. Thread-safe.
 */
final class CycloneDxReader {

    static final String BOM_FORMAT = "CycloneDX";

    /** Optional {@code metadata.properties} that carry the running kernel, which an SBOM does not otherwise record. */
    static final String KERNEL_VERSION_PROPERTY = "debmonitor:running_kernel:version";
    static final String KERNEL_RELEASE_PROPERTY = "debmonitor:running_kernel:release";

    /** The kernel recorded for a host whose SBOM has no {@value #KERNEL_VERSION_PROPERTY} property. */
    static final String UNKNOWN_KERNEL = "unknown";

    ReportDTO read(byte[] body) throws InvalidReportException {
        JsonNode bom = SbomJson.parseObject(body);
        checkFormat(bom.get("bomFormat"));
        List<Component> components = Components.of(bom);
        String os = OperatingSystem.of(components);
        List<DebianPackage> packages = debianPackages(components);
        String nativeArch = DebianPackage.nativeArch(packages);
        List<InstalledDTO> installed = new ArrayList<>(packages.size());
        for (DebianPackage p : packages) {
            installed.add(p.installed(nativeArch));
        }
        String kernelVersion = metadataProperty(bom, KERNEL_VERSION_PROPERTY);
        String kernelRelease = metadataProperty(bom, KERNEL_RELEASE_PROPERTY);
        return new ReportDTO(os, UpdateType.FULL, kernelVersion == null ? UNKNOWN_KERNEL : kernelVersion, kernelRelease,
                installed, List.of(), List.of());
    }

    private static void checkFormat(JsonNode format) throws InvalidReportException {
        if (format == null) {
            throw new InvalidReportException("bomFormat: missing; this source reads CycloneDX JSON SBOMs only "
                    + "(e.g. the output of syft -o cyclonedx-json).");
        }
        if (!BOM_FORMAT.equals(format.textValue())) {
            String found = format.isTextual() ? SbomJson.quote(format.textValue()) : "a JSON " + format.getNodeType().name().toLowerCase(Locale.ROOT);
            throw new InvalidReportException("bomFormat: expected \"" + BOM_FORMAT + "\", not " + found
                    + "; this source reads CycloneDX JSON SBOMs only.");
        }
    }

    /**
     * Every {@code pkg:deb} purl, in document order. A full report replaces all of the host's rows,
     * so a BOM without any (a scan that missed the dpkg database) is refused rather than emptying the host.
     */
    private static List<DebianPackage> debianPackages(List<Component> components) throws InvalidReportException {
        List<DebianPackage> packages = new ArrayList<>();
        for (Component component : components) {
            JsonNode purl = component.node().get("purl");
            if (purl == null || purl.isNull()) {
                continue;
            }
            String path = component.path() + ".purl";
            if (!purl.isTextual()) {
                throw new InvalidReportException(path + ": expected a string.");
            }
            if (DebianPurl.isDeb(purl.textValue())) {
                packages.add(DebianPurl.parse(purl.textValue(), path));
            }
        }
        if (packages.isEmpty()) {
            throw new InvalidReportException("components: no component has a pkg:deb purl, so the SBOM lists no installed "
                    + "Debian package; was the dpkg database (/var/lib/dpkg/status) scanned?");
        }
        return packages;
    }

    /** @return the value of the last {@code metadata.properties} item with that name, or null */
    private static String metadataProperty(JsonNode bom, String name) throws InvalidReportException {
        JsonNode properties = bom.path("metadata").path("properties");
        if (!properties.isArray()) {
            return null;
        }
        String value = null;
        for (int i = 0; i < properties.size(); i++) {
            JsonNode property = properties.get(i);
            if (property.isObject() && name.equals(property.path("name").textValue())) {
                value = SbomJson.string(property.get("value"), "metadata.properties[" + i + "].value");
            }
        }
        return value;
    }
}
