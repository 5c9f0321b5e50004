package io.debmonitor.core.model.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * CVE findings per host or image, from the active feed snapshot (CVE.md §3-§9).
 *
 * @since 0.4.0
 */
@ProviderType
public interface CveService {

    /**
     * @return the entity's findings (every verdict but {@link CveVerdict#NONE}, hidden ones
     *         included) and its coverage; empty when no such entity is stored
     */
    Optional<EntityCvesDTO> entity(EntityKind kind, String name);
}
