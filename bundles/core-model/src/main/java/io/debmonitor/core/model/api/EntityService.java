package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and deletes hosts and images.
 *
 * @since 0.1.0
 */
@ProviderType
public interface EntityService {

    /**
     * @return the entity with its row counts, or empty when no such entity is stored
     */
    Optional<EntityDTO> find(EntityKind kind, String name);

    /**
     * @return the entity's package rows sorted by package name; empty when the entity is unknown
     */
    List<PackageRowDTO> rows(EntityKind kind, String name);

    /**
     * One page of hosts or images, security upgrades first, then upgrades, then packages (all
     * descending), then name.
     *
     * @param os       exact OS name, or null for all
     * @param upgrades which entities, by their upgrades
     * @param page     1-based
     * @param size     1..10,000
     */
    PageDTO<EntityDTO> list(EntityKind kind, String os, UpgradeFilter upgrades, int page, int size);

    /**
     * One page of an entity's rows: security upgrades first, then other upgrades, then by name.
     *
     * @return the page; empty with total 0 when the entity is unknown
     */
    PageDTO<PackageRowDTO> rows(EntityKind kind, String name, UpgradeFilter upgrades, int page, int size);

    /**
     * Deletes the entity and its rows in one transaction; package versions and kernels are left
     * for garbage collection.
     *
     * @return the number of rows deleted with it, or -1 when no such entity was stored
     * @throws StorageUnavailableException when the database cannot be used
     */
    long delete(EntityKind kind, String name);
}
