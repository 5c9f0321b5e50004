package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fleet-wide counts of SPEC §5.3.
 *
 * @since 0.1.0
 */
@ProviderType
public interface DashboardService {

    /** @return the counts, read in one transaction */
    DashboardDTO counts();
}
