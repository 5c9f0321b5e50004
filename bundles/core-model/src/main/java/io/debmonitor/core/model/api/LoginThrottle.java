package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Limits password guessing on the UI login, on every node at once: the failure counters live in
 * the database. A user name may fail 5 times and an address 20 times in a window of 15 minutes
 * that starts at the first failure; after that, attempts are refused until the window ends.
 * User names are counted case-insensitively, so a case-insensitive realm (LDAP) gains no extra
 * guesses.
 *
 * @since 0.1.0
 */
@ProviderType
public interface LoginThrottle {

    /**
     * @param user    the user name of the attempt; may be empty
     * @param address the client's IP address
     * @return true when the user name or the address has used up its failures for the current
     *         window: refuse the attempt without checking the password
     */
    boolean refused(String user, String address);

    /** Counts a failed login against the user name (unless empty) and against the address. */
    void failed(String user, String address);

    /** Forgets the user name's failures after a successful login; the address keeps its count. */
    void succeeded(String user);
}
