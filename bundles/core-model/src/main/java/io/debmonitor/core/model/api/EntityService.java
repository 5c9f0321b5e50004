package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * Every installed package of the entity with its source package, as an SBOM lists them.
     *
     * @return the rows sorted by package name, each with its installed version and that version's
     *         source package name and version; empty when the entity is unknown
     * @since 0.3.0
     */
    List<InstalledDTO> installed(EntityKind kind, String name);

    /** Sort keys of {@link #list}: {@code kernel} for hosts only, {@code containers} for images only. */
    Set<String> LIST_SORT_KEYS = Set.of("name", "os", "kernel", "modified", "packages", "upgrades", "security", "containers", "cves");

    /** Sort keys of {@link #rows(EntityKind, String, RowFilter, PageRequest)}; versions sort in dpkg order. */
    Set<String> ROW_SORT_KEYS = Set.of("name", "version", "upgrade", "upgrade_type");

    /**
     * One page of hosts or images. Default order: security upgrades, upgrades, packages (all
     * descending), then name; any sort key is followed by name as tie-breaker. A keyset read
     * ({@link PageRequest#keyset}) is in name order, its key the name.
     *
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}, or one that
     *         does not apply to the kind
     */
    PageDTO<EntityDTO> list(EntityKind kind, EntityFilter filter, PageRequest request);

    /**
     * One page of an entity's rows. Default order: security upgrades first, then other upgrades,
     * then by name; any sort key is followed by name as tie-breaker. A keyset read
     * ({@link PageRequest#keyset}) is in package name order, its key the package name.
     *
     * @return the page; empty with total 0 when the entity is unknown
     * @throws IllegalArgumentException for a sort key outside {@link #ROW_SORT_KEYS}
     */
    PageDTO<PackageRowDTO> rows(EntityKind kind, String name, RowFilter filter, PageRequest request);

    /**
     * Deletes the entity and its rows in one transaction; package versions and kernels are left
     * for garbage collection.
     *
     * @return the number of rows deleted with it, or -1 when no such entity was stored
     * @throws EntityInUseException for an image that kubernetes rows reference (nothing is deleted)
     * @throws StorageUnavailableException when the database cannot be used
     */
    long delete(EntityKind kind, String name);

    /**
     * As {@link #delete}, but an image's kubernetes rows are deleted with it in the same
     * transaction instead of refusing ({@code image-remove --force}).
     *
     * @return the number of package rows deleted with it, or -1 when no such entity was stored
     * @since 0.2.0
     */
    long deleteEvenInUse(EntityKind kind, String name);

    /**
     * The kind's name rule (SPEC §1.1), which reports and deletes share: 1–255 characters without
     * whitespace or control characters; a host name is one path segment, an image reference has
     * no empty segment.
     *
     * @throws InvalidReportException naming the problem
     * @since 0.3.0
     */
    void checkName(EntityKind kind, String name) throws InvalidReportException;
}
