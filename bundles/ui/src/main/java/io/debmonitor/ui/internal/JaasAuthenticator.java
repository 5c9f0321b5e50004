package io.debmonitor.ui.internal;

import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * Logs in against a Karaf JAAS realm (a properties file, LDAP, ...) and reads the user's roles
 * from the subject's {@link RolePrincipal}s. Karaf installs its realms as the JVM's JAAS
 * configuration; {@link LoginContext} loads the realm's login module (Karaf's proxy module, boot
 * delegated) through the context class loader, which is this bundle's for the call.
 */
final class JaasAuthenticator implements Authenticator {

    private final String realm;

    JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public Set<String> roles(String user, char[] password) throws LoginException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            context.login();
            Set<String> roles = context.getSubject().getPrincipals(RolePrincipal.class).stream()
                    .map(Principal::getName).collect(Collectors.toUnmodifiableSet());
            context.logout();
            return roles;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
