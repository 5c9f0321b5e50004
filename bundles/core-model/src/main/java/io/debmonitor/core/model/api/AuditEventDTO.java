package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * One event of the audit trail ({@link AuditService}).
 *
 * @param id      increasing in the order the events were stored
 * @param created when it was recorded, UTC, to the millisecond
 * @param actor   who acted, e.g. {@code ui:alice}, {@code shell:karaf}, {@code cert:host1.example.org}, {@code gc:schedule}
 * @param action  what was done
 * @param target  what it was done to, or null
 * @param detail  free text, or null
 * @since 0.2.0
 */
public record AuditEventDTO(long id, Instant created, String actor, AuditAction action, String target, String detail) {
}
