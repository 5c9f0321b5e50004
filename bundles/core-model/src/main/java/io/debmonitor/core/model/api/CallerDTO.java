package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Who is calling, as proven by a client certificate or by a trusted proxy (SPEC §3.1).
 *
 * @param identities every verified name (certificate CNs and DNS SANs); empty when unverified
 * @param failure    why a presented certificate or proxy verdict was not accepted, or null
 * @param secure     true for HTTPS, or for plain HTTP from a trusted proxy that says
 *                   {@code X-Forwarded-Proto: https}
 * @since 0.1.0
 */
public record CallerDTO(Set<String> identities, String failure, boolean secure) {

    public CallerDTO {
        identities = Set.copyOf(identities);
    }

    /** @return true when at least one identity is verified */
    public boolean verified() {
        return !identities.isEmpty();
    }
}
