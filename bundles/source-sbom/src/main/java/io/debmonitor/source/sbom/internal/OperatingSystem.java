package io.debmonitor.source.sbom.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.v1.V1ReportReader;

/**
 * The OS name of SPEC §1.7 from the {@code operating-system} component of a BOM: name
 * {@code debian} and version {@code 12} give {@code Debian 12}, as debmonitor-client builds it
 * from os-release.
 */
final class OperatingSystem {

    static final String COMPONENT_TYPE = "operating-system";

    /**
     * Some generators give Debian's point release ({@code 12.5}, from /etc/debian_version) where
     * os-release, and so debmonitor-client, gives {@code 12}; both must name the same OS.
     */
    private static final Pattern DEBIAN_POINT_RELEASE = Pattern.compile("([0-9]{1,2})\\.[0-9]{1,3}");

    private OperatingSystem() {
    }

    /** @throws InvalidReportException when no component names a valid OS, or two name different ones */
    static String of(List<Component> components) throws InvalidReportException {
        String os = null;
        String foundIn = null;
        for (Component component : components) {
            if (!COMPONENT_TYPE.equals(component.type())) {
                continue;
            }
            String name = nameOf(component);
            if (os == null) {
                os = name;
                foundIn = component.path();
            } else if (!os.equals(name)) {
                throw new InvalidReportException(component.path() + ": this operating-system component names '" + name
                        + "' but " + foundIn + " names '" + os + "'; an SBOM describes one system.");
            }
        }
        if (os == null) {
            throw new InvalidReportException("components: no component of type \"operating-system\" names the Debian or Ubuntu "
                    + "release (e.g. {\"type\": \"operating-system\", \"name\": \"debian\", \"version\": \"12\"}).");
        }
        return os;
    }

    private static String nameOf(Component component) throws InvalidReportException {
        String id = SbomJson.string(component.node().get("name"), component.path() + ".name");
        String version = SbomJson.optionalString(component.node().get("version"), component.path() + ".version");
        String os = capitalised(id) + (version == null ? "" : " " + release(id, version));
        if (!V1ReportReader.OS_NAME.matcher(os).matches()) {
            throw new InvalidReportException(component.path() + ": the operating system " + SbomJson.quote(id)
                    + (version == null ? "" : " version " + SbomJson.quote(version)) + " gives the OS name " + SbomJson.quote(os)
                    + ", which is not a Debian or Ubuntu release (e.g. \"Debian 12\" or \"Ubuntu 24.04\").");
        }
        return os;
    }

    private static String release(String id, String version) {
        Matcher point = DEBIAN_POINT_RELEASE.matcher(version);
        return id.equals("debian") && point.matches() ? point.group(1) : version;
    }

    private static String capitalised(String id) {
        int first = id.codePointAt(0);
        return new StringBuilder(id.length()).appendCodePoint(Character.toUpperCase(first))
                .append(id, Character.charCount(first), id.length()).toString();
    }
}
