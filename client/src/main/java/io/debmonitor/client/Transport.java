package io.debmonitor.client;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the HTTP client: mutual TLS from PEM files, an optional PEM CA bundle, hostname
 * verification (the JDK client always verifies it), HTTPS_PROXY/NO_PROXY and a 3 s connect timeout.
 */
public final class Transport {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private Transport() {
    }

    static HttpClient client(Options o, Map<String, String> env) throws ClientException {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(sslContext(o.cert, o.key, o.ca));
        EnvProxy proxy = EnvProxy.fromEnv(env);
        b.proxy(proxy);
        if (proxy.user != null) {
            b.authenticator(proxy.authenticator());
        }
        return b.build();
    }

    /** The TLS context; {@code cert} may hold the key when {@code key} is null. */
    public static SSLContext sslContext(String cert, String key, String ca) throws ClientException {
        try {
            KeyManager[] keyManagers = null;
            if (cert != null) {
                String certText = readPem(cert);
                List<X509Certificate> chain = Pem.certificates(certText);
                if (chain.isEmpty()) {
                    throw new ClientException("no certificate in " + cert);
                }
                PrivateKey privateKey = Pem.privateKey(key != null ? readPem(key) : certText);
                if (privateKey == null) {
                    throw new ClientException("no private key in " + (key != null ? key : cert)
                            + (key == null ? "; give it with -k/--key" : ""));
                }
                char[] password = new char[0];
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", privateKey, password, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                keyManagers = kmf.getKeyManagers();
            }
            TrustManager[] trustManagers = null; // null means the system trust store
            if (ca != null) {
                List<X509Certificate> cas = Pem.certificates(readPem(ca));
                if (cas.isEmpty()) {
                    throw new ClientException("no certificate in the CA bundle " + ca);
                }
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate c : cas) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                trustManagers = tmf.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ClientException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static String readPem(String path) throws ClientException {
        try {
            return Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ClientException("cannot read " + path + ": " + Log.reason(e), e);
        }
    }

    /** HTTPS_PROXY and NO_PROXY (either case, lower case first, as Python's requests does). */
    static final class EnvProxy extends ProxySelector {
        final String host;
        final int port;
        final String user;
        final String password;
        final String[] noProxy;

        private EnvProxy(String host, int port, String user, String password, String[] noProxy) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.password = password;
            this.noProxy = noProxy;
        }

        static EnvProxy fromEnv(Map<String, String> env) throws ClientException {
            String url = first(env.get("https_proxy"), env.get("HTTPS_PROXY"));
            String no = first(env.get("no_proxy"), env.get("NO_PROXY"));
            String[] noProxy = no == null ? new String[0] : no.split(",");
            if (url == null) {
                return new EnvProxy(null, 0, null, null, noProxy);
            }
            int defaultPort = 80;
            String rest = url.strip();
            int scheme = rest.indexOf("://");
            if (scheme >= 0) {
                if (rest.substring(0, scheme).equalsIgnoreCase("https")) {
                    defaultPort = 443;
                }
                rest = rest.substring(scheme + 3);
            }
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                rest = rest.substring(0, slash);
            }
            String user = null;
            String password = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String info = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = info.indexOf(':');
                user = decode(colon < 0 ? info : info.substring(0, colon));
                password = colon < 0 ? "" : decode(info.substring(colon + 1));
            }
            String host = rest;
            int port = defaultPort;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf(']')) {
                host = rest.substring(0, colon);
                try {
                    port = Integer.parseInt(rest.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new ClientException("invalid port in the HTTPS_PROXY value " + url);
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new ClientException("invalid HTTPS_PROXY value " + url);
            }
            if (user != null) {
                // The JDK refuses Basic authentication for CONNECT tunnels unless this is cleared.
                System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
            }
            return new EnvProxy(host, port, user, password, noProxy);
        }

        private static String first(String a, String b) {
            if (a != null && !a.isBlank()) {
                return a;
            }
            return b != null && !b.isBlank() ? b : null;
        }

        private static String decode(String s) {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        /** Whether requests to this host (and port) bypass the proxy. */
        boolean bypass(String target, int targetPort) {
            String h = target.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            for (String raw : noProxy) {
                String entry = raw.strip().toLowerCase(Locale.ROOT);
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.equals("*")) {
                    return true;
                }
                String entryHost = entry;
                int entryColon = entry.lastIndexOf(':');
                if (entryColon > 0 && entry.indexOf(':') == entryColon) { // host:port, not IPv6
                    if (!entry.substring(entryColon + 1).equals(Integer.toString(targetPort))) {
                        continue;
                    }
                    entryHost = entry.substring(0, entryColon);
                }
                if (entryHost.startsWith(".")) {
                    entryHost = entryHost.substring(1);
                }
                if (h.equals(entryHost) || h.endsWith("." + entryHost)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public List<Proxy> select(URI uri) {
            if (host == null || uri.getHost() == null || bypass(uri.getHost(), uri.getPort())) {
                return List.of(Proxy.NO_PROXY);
            }
            return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port)));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            Log.debug("cannot connect to the proxy " + sa + ": " + ioe.getMessage());
        }

        Authenticator authenticator() {
            return new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    if (getRequestorType() != RequestorType.PROXY) {
                        return null;
                    }
                    return new PasswordAuthentication(user, password.toCharArray());
                }
            };
        }
    }
}
