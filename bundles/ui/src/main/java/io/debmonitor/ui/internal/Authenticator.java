package io.debmonitor.ui.internal;

import java.util.Set;

import javax.security.auth.login.LoginException;

/** Checks a user name and password; the seam between the login page and JAAS. */
@FunctionalInterface
interface Authenticator {

    /**
     * @return the names of every role the user holds
     * @throws LoginException when the realm refuses the user name and password, or fails
     */
    Set<String> roles(String user, char[] password) throws LoginException;
}
