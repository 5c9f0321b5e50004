package io.debmonitor.ui.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The JAAS call as Karaf's realms see it: name and password callbacks, roles as RolePrincipals. */
public class JaasAuthenticatorTest {

    private Configuration previous;

    @Before
    public void installRealm() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !name.equals("test") ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        TestLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        });
    }

    @After
    public void restoreRealms() {
        Configuration.setConfiguration(previous);
    }

    @Test
    public void rightPasswordGivesTheRoles() throws Exception {
        assertEquals(Set.of("viewer", "ssh"), new JaasAuthenticator("test").roles("alice", "secret".toCharArray()));
    }

    @Test
    public void wrongPasswordFailsAndTheContextClassLoaderComesBack() {
        ClassLoader sentinel = new URLClassLoader(new URL[0], null);
        Thread.currentThread().setContextClassLoader(sentinel);
        try {
            assertThrows(FailedLoginException.class, () -> new JaasAuthenticator("test").roles("alice", "wrong".toCharArray()));
            assertSame(sentinel, Thread.currentThread().getContextClassLoader());
        } finally {
            Thread.currentThread().setContextClassLoader(JaasAuthenticatorTest.class.getClassLoader());
        }
    }

    @Test
    public void unknownRealmIsALoginException() {
        assertThrows(LoginException.class, () -> new JaasAuthenticator("nope").roles("alice", "secret".toCharArray()));
    }

    /** A properties-realm stand-in: alice/secret with the roles viewer and ssh. */
    public static final class TestLoginModule implements LoginModule {

        private Subject subject;
        private CallbackHandler handler;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
            } catch (Exception e) {
                throw new LoginException(e.getMessage());
            }
            if (!"alice".equals(name.getName()) || !"secret".equals(new String(password.getPassword()))) {
                throw new FailedLoginException("Password does not match");
            }
            user = name.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new UserPrincipal(user));
            subject.getPrincipals().add(new RolePrincipal("viewer"));
            subject.getPrincipals().add(new RolePrincipal("ssh"));
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().clear();
            return true;
        }
    }
}
