package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * An exception (CVE.md §10): an administrator accepted the findings of one issue, on every host and
 * image or on one of them, of every source package or of one. The accepted findings keep their
 * verdict and stay listed, marked accepted, and leave the headline until the exception expires or
 * is revoked.
 *
 * @param id        assigned when accepted
 * @param issue     the tracker issue, {@code CVE-…} or {@code TEMP-…}
 * @param source    the source package it is limited to, or null for every source of the issue
 * @param kind      with {@code entity}: the host or image it is limited to; both null for the whole fleet
 * @param entity    the host's FQDN or the image reference, or null
 * @param reason    why the risk is accepted; never blank
 * @param author    who accepted it, as the audit trail names actors ({@code ui:alice}, {@code shell:karaf})
 * @param created   when it was accepted
 * @param expires   when it lapses by itself, or null for never
 * @param revoked   when it was revoked, or null
 * @param revokedBy who revoked it, or null
 * @param state     {@link State#REVOKED} when revoked, else {@link State#EXPIRED} once {@code expires} has passed, else {@link State#ACTIVE}
 * @since 0.6.0
 */
public record CveExceptionDTO(long id, String issue, String source, EntityKind kind, String entity, String reason, String author,
        Instant created, Instant expires, Instant revoked, String revokedBy, State state) {

    /** Whether an exception applies now. */
    public enum State {
        /** It accepts the findings it covers. */
        ACTIVE,
        /** Its expiry has passed: it lapsed by itself and accepts nothing. */
        EXPIRED,
        /** An administrator ended it: it accepts nothing. */
        REVOKED;

        /** @return the lower-case word pages and filters use ({@code active}, {@code expired}, {@code revoked}) */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
