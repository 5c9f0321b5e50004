package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Who is calling: identities proven by a client certificate or by a trusted proxy (SPEC §3.1),
 * and the UI session of a password login, if any (SPEC §3.3).
 *
 * @param identities every verified name (certificate CNs and DNS SANs); empty when unverified
 * @param failure    why a presented certificate or proxy verdict was not accepted, or null
 * @param secure     true for HTTPS, or for plain HTTP from a trusted proxy that says
 *                   {@code X-Forwarded-Proto: https}
 * @param session    the live UI session named by the request's session cookie, or null
 * @since 0.1.0
 */
public record CallerDTO(Set<String> identities, String failure, boolean secure, SessionDTO session) {

    /** The servlet request attribute under which the HTTP front leaves the caller for every resource. */
    public static final String REQUEST_ATTRIBUTE = "io.debmonitor.caller";

    public CallerDTO {
        identities = Set.copyOf(identities);
    }

    /** @return true when at least one identity is verified */
    public boolean verified() {
        return !identities.isEmpty();
    }

    /** @return this caller with the given session */
    public CallerDTO withSession(SessionDTO newSession) {
        return new CallerDTO(identities, failure, secure, newSession);
    }
}
