package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fleet-wide counts of SPEC §5.3.
 *
 * @since 0.1.0
 */
@ProviderType
public interface DashboardService {

    /**
     * @return the counts: hosts, images, kernels, kubernetes rows and upgradable rows as stored
     *         now; the package, package-version and source-package figures from a snapshot that
     *         is at most a minute old (PID {@code io.debmonitor.counts}, {@code maxAgeSeconds})
     */
    DashboardDTO counts();

    /**
     * One kind's figures alone: a single query on the entity table, never the package counts, so
     * that frequent readers (metrics scrapes) stay cheap at any fleet size.
     *
     * @since 0.3.0
     */
    DashboardDTO.Entities entities(EntityKind kind);
}
