package io.debmonitor.source.sbom.internal;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;

import io.debmonitor.core.model.api.InvalidReportException;

/**
 * Reads {@code pkg:deb/<vendor>/<name>@<version>?arch=<arch>&epoch=<n>&upstream=<source>[@<version>]},
 * the package URL that syft and other SBOM generators give a dpkg-installed package. The version is
 * percent-decoded; an {@code epoch} qualifier is folded into it as {@code <n>:<version>}.
 */
final class DebianPurl {

    private static final Pattern DEB_TYPE = Pattern.compile("(?i)pkg:/*deb/.*", Pattern.DOTALL);
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern LEADING_EPOCH = Pattern.compile("([0-9]+):.*", Pattern.DOTALL);
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private DebianPurl() {
    }

    /** @return true when the text claims the {@code deb} purl type; other package types are not this source's business */
    static boolean isDeb(String purl) {
        return DEB_TYPE.matcher(purl).matches();
    }

    static DebianPackage parse(String purl, String path) throws InvalidReportException {
        PackageURL url;
        try {
            url = new PackageURL(purl);
        } catch (MalformedPackageURLException | RuntimeException e) {
            throw new InvalidReportException(path + ": " + SbomJson.quote(purl) + " is not a valid package URL: "
                    + SbomJson.printable(e.getMessage()));
        }
        String name = packageName(url.getName(), path + " (package name)");
        String rawVersion = url.getVersion();
        if (rawVersion == null || rawVersion.isEmpty()) {
            throw new InvalidReportException(path + ": " + SbomJson.quote(purl)
                    + " has no version; an installed package needs one (pkg:deb/<vendor>/<name>@<version>).");
        }
        Map<String, String> qualifiers = url.getQualifiers() == null ? Map.of() : url.getQualifiers();
        String version = SbomJson.checked(withEpoch(rawVersion, qualifiers.get("epoch"), path), path + " (version)");
        String arch = arch(qualifiers.get("arch"), path);
        String upstream = qualifiers.get("upstream");
        if (upstream == null) {
            return new DebianPackage(name, arch, version, name, version, path);
        }
        int at = upstream.indexOf('@');
        String source = at < 0 ? upstream : upstream.substring(0, at);
        String sourceVersion = at < 0 ? null : upstream.substring(at + 1);
        if (source.isEmpty() || (sourceVersion != null && sourceVersion.isEmpty())) {
            throw new InvalidReportException(path + ": the qualifier upstream=" + SbomJson.quote(upstream)
                    + " must be a source package name, optionally followed by '@' and its version.");
        }
        return new DebianPackage(name, arch, version, packageName(source, path + " (upstream source name)"),
                sourceVersion == null ? null : SbomJson.checked(sourceVersion, path + " (upstream source version)"), path);
    }

    private static String packageName(String name, String path) throws InvalidReportException {
        SbomJson.checked(name, path);
        if (name.indexOf('/') >= 0 || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw new InvalidReportException(path + ": " + SbomJson.quote(name) + " is not a package name: it contains '/' or whitespace.");
        }
        return name;
    }

    private static String withEpoch(String version, String epoch, String path) throws InvalidReportException {
        if (epoch == null) {
            return version;
        }
        if (!DIGITS.matcher(epoch).matches()) {
            throw new InvalidReportException(path + ": the qualifier epoch=" + SbomJson.quote(epoch) + " is not a number.");
        }
        Matcher stated = LEADING_EPOCH.matcher(version);
        if (!stated.matches()) {
            return epoch + ":" + version;
        }
        if (!withoutLeadingZeros(stated.group(1)).equals(withoutLeadingZeros(epoch))) {
            throw new InvalidReportException(path + ": the qualifier epoch=" + epoch + " contradicts the epoch of version "
                    + SbomJson.quote(version) + ".");
        }
        return version;
    }

    private static String withoutLeadingZeros(String digits) {
        return digits.replaceFirst("^0+(?=.)", "");
    }

    private static String arch(String arch, String path) throws InvalidReportException {
        if (arch == null) {
            return null;
        }
        if (!ARCH.matcher(arch).matches()) {
            throw new InvalidReportException(path + ": the qualifier arch=" + SbomJson.quote(arch)
                    + " is not a Debian architecture name (e.g. amd64, i386, all).");
        }
        return arch;
    }
}
