package io.debmonitor.core.model.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.debmonitor.core.model.spi.PackageSource;

/**
 * The package-source plugins currently installed, keyed by the URL collection they serve.
 *
 * @since 0.1.0
 */
@ProviderType
public interface PackageSources {

    /**
     * @param collection the first path segment of a report URL, such as {@code hosts}
     * @return the source serving it (the highest service ranking among those registered for
     *         it), or empty when no installed plugin serves it
     */
    Optional<PackageSource> find(String collection);
}
