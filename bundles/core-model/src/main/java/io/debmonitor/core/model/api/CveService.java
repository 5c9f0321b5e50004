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

    /**
     * The entity's CVE tab: its findings judged, filtered ({@code q}: a substring of the issue or
     * the source; {@code urgency}, {@code state}, {@code include}), in §11.4's order; only the
     * page's findings carry their explanation, which is most of the cost of a host with thousands.
     *
     * @return empty when no such entity is stored
     * @since 0.5.0
     */
    Optional<EntityCvesPageDTO> page(EntityKind kind, String name, CveFilter filter, PageRequest page);
}
