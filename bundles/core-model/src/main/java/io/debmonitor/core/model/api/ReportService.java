package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Applies package reports to hosts and images (SPEC §1.5–§1.7).
 *
 * @since 0.1.0
 */
@ProviderType
public interface ReportService {

    /**
     * Applies one report in one transaction: the entity and any new OS, kernel, package or version
     * are created as needed, and a {@code full} report prunes what it does not list.
     *
     * @param kind   host or image
     * @param name   the entity's name, already validated and equal to the payload's name
     * @param report the validated report
     * @throws StorageUnavailableException when nothing could be stored (database down or
     *                                     conflicts persisting after retries)
     */
    void apply(EntityKind kind, String name, ReportDTO report);
}
