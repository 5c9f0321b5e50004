package io.debmonitor.core.model.api;

/**
 * Which exceptions {@link CveExceptionService#list} returns.
 *
 * @param issue  exactly this issue, or null for all
 * @param state  only exceptions in this state, or null for all (active, expired and revoked)
 * @param kind   with {@code entity}: only the exceptions limited to this host or image, or null
 * @param entity the host's FQDN or the image reference, or null
 * @since 0.6.0
 */
public record CveExceptionFilter(String issue, CveExceptionDTO.State state, EntityKind kind, String entity) {

    /** Every exception. */
    public static final CveExceptionFilter ALL = new CveExceptionFilter(null, null, null, null);

    /** @throws IllegalArgumentException when only one of {@code kind} and {@code entity} is given */
    public CveExceptionFilter {
        if ((kind == null) != (entity == null)) {
            throw new IllegalArgumentException("An entity filter needs both the kind and the name.");
        }
    }
}
