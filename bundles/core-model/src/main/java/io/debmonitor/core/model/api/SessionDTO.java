package io.debmonitor.core.model.api;

import java.time.Instant;
import java.util.Set;

/**
 * A UI session of a password login (SPEC §3.3), stored in the database so that it survives a
 * restart and works on every node.
 *
 * @param token     the opaque secret the session cookie carries; never logged
 * @param user      the user name
 * @param roles     the user's roles that matter to DebMonitor (e.g. {@code viewer}, {@code admin})
 * @param csrfToken the token forms of this session must send back
 * @param created   login time, UTC
 * @param lastSeen  last request, UTC
 * @since 0.1.0
 */
public record SessionDTO(String token, String user, Set<String> roles, String csrfToken, Instant created, Instant lastSeen) {

    public SessionDTO {
        roles = Set.copyOf(roles);
    }

    /** @return true when the user holds the {@code admin} role */
    public boolean admin() {
        return roles.contains("admin");
    }

    @Override
    public String toString() {
        return "SessionDTO[user=" + user + ", roles=" + roles + "]";
    }
}
