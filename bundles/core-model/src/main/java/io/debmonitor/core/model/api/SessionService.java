package io.debmonitor.core.model.api;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * UI sessions in the database (SPEC §3.3, SCALEOUT.md §2.3): an opaque random token in the
 * cookie, only its hash stored; idle expiry exact on every node.
 *
 * @since 0.1.0
 */
@ProviderType
public interface SessionService {

    /** Name of the session cookie. */
    String COOKIE = "debmonitor_session";

    /** @return a new session for a user who just logged in */
    SessionDTO create(String user, Set<String> roles);

    /**
     * @param token   the cookie's value, possibly null or garbage
     * @param maxIdle sessions idle for longer are expired (and deleted)
     * @return the live session, its last-seen time refreshed; empty otherwise
     */
    Optional<SessionDTO> find(String token, Duration maxIdle);

    /** Ends the session; unknown tokens are ignored. */
    void delete(String token);
}
