package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * A host or an image, without its package rows.
 *
 * @param kind          host or image
 * @param name          FQDN of a host or reference of an image; never null
 * @param os            OS name; never null
 * @param kernel        running kernel of a host; null for images
 * @param kernelRelease kernel release of a host; may be null
 * @param created       first report, UTC, millisecond precision
 * @param modified      last accepted report, UTC, millisecond precision
 * @param packages      number of package rows
 * @param upgrades      rows with an upgrade
 * @param security      rows with a security upgrade
 * @param containers    images: the sum of the image's kubernetes container counts (0 if none); hosts: 0
 * @param digest        images: the manifest digest the last report carried, or null; hosts: null (since 0.3.0)
 * @param cves          CVE issues counted in the headline (CVE.md §7) when the refresher last judged it (since 0.5.0)
 * @param cvesFixable   of those, issues whose fix the entity's APT offers (since 0.5.0)
 * @since 0.1.0
 */
public record EntityDTO(EntityKind kind, String name, String os, String kernel, String kernelRelease,
        Instant created, Instant modified, long packages, long upgrades, long security,
        long containers, String digest, long cves, long cvesFixable) {

    /** An entity without CVE counts. */
    public EntityDTO(EntityKind kind, String name, String os, String kernel, String kernelRelease, Instant created,
            Instant modified, long packages, long upgrades, long security, long containers, String digest) {
        this(kind, name, os, kernel, kernelRelease, created, modified, packages, upgrades, security, containers, digest, 0, 0);
    }

    /** An entity without a manifest digest. */
    public EntityDTO(EntityKind kind, String name, String os, String kernel, String kernelRelease, Instant created,
            Instant modified, long packages, long upgrades, long security, long containers) {
        this(kind, name, os, kernel, kernelRelease, created, modified, packages, upgrades, security, containers, null);
    }
}
