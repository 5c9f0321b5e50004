package io.debmonitor.core.model.api;

/**
 * Which audit events to list ({@link AuditService#list}).
 *
 * @param action only events of this action, or null for all
 * @param actor  case-insensitive substring of the actor (so {@code alice} finds {@code ui:alice}
 *               and {@code shell:alice}, {@code ui:} every UI user), or null for all
 * @since 0.2.0
 */
public record AuditFilter(AuditAction action, String actor) {

    /** No filter. */
    public static final AuditFilter ALL = new AuditFilter(null, null);
}
