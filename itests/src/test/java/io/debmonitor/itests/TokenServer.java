package io.debmonitor.itests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A Docker registry token server (the "token" auth of distribution): GET /token with HTTP Basic credentials
 * answers an RS256 JWT granting exactly the requested {@code scope}s, signed by a key whose self-signed
 * certificate ({@link #rootCertBundle()}) the registry trusts and which the JWT carries in its "x5c" header.
 */
public final class TokenServer implements AutoCloseable {

    static final String SERVICE = "debmonitor-itest-registry";
    static final String ISSUER = "debmonitor-itest-token-issuer";
    private static final long LIFETIME_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final String user;
    private final String password;
    private final Path rootCertBundle;
    private final PrivateKey signingKey;
    private final String signingCertificate;
    private final List<String> requestedScopes = Collections.synchronizedList(new ArrayList<>());

    /**
     * Serves HTTPS on a free loopback port with the given PEM server certificate and PKCS#8 key, and makes its
     * RSA signing key and certificate in {@code dir}.
     */
    TokenServer(Path dir, Path serverCert, Path serverKey, String user, String password)
            throws IOException, GeneralSecurityException, InterruptedException {
        this.user = user;
        this.password = password;
        Files.createDirectories(dir);
        Path signerKey = dir.resolve("token-signer.key");
        rootCertBundle = dir.resolve("token-signer.pem");
        TestRegistry.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=DebMonitor itest token signer", "-keyout", signerKey.toString(),
                "-out", rootCertBundle.toString());
        X509Certificate signerCert = certificate(rootCertBundle);
        signingKey = privateKey(signerKey, signerCert);
        signingCertificate = Base64.getEncoder().encodeToString(signerCert.getEncoded());

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverCert, serverKey)));
        server.createContext("/token", this::handle);
        server.start();
    }

    /** The realm of the registry's Bearer challenge. */
    public String realm() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The certificate the registry verifies the tokens' x5c chain against (its auth.token.rootcertbundle). */
    public Path rootCertBundle() {
        return rootCertBundle;
    }

    /** Every scope asked for with valid credentials so far, in order (e.g. "registry:catalog:*"). */
    public List<String> requestedScopes() {
        synchronized (requestedScopes) {
            return List.copyOf(requestedScopes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("only GET"));
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"debmonitor-itest\"");
                send(exchange, 401, error("bad or missing Basic credentials"));
                return;
            }
            List<String> services = new ArrayList<>();
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (key.equals("service")) {
                    services.add(value);
                } else if (key.equals("scope")) {
                    // One scope parameter may carry several scopes separated by spaces.
                    for (String scope : value.split(" ")) {
                        if (!scope.isEmpty()) {
                            scopes.add(scope);
                        }
                    }
                }
            }
            if (!services.equals(List.of(SERVICE))) {
                send(exchange, 400, error("service must be " + SERVICE + ", got " + services));
                return;
            }
            ArrayNode access = JSON.createArrayNode();
            for (String scope : scopes) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first <= 0 || last <= first + 1) {
                    send(exchange, 400, error("malformed scope " + scope));
                    return;
                }
                ObjectNode resource = access.addObject()
                        .put("type", scope.substring(0, first))
                        .put("name", scope.substring(first + 1, last));
                ArrayNode actions = resource.putArray("actions");
                for (String action : scope.substring(last + 1).split(",")) {
                    actions.add(action);
                }
            }
            requestedScopes.addAll(scopes);
            Instant now = Instant.now();
            String token = token(access, now);
            ObjectNode body = JSON.createObjectNode()
                    .put("token", token)
                    .put("access_token", token)
                    .put("expires_in", LIFETIME_SECONDS)
                    .put("issued_at", now.toString());
            send(exchange, 200, body);
        }
    }

    private boolean authorized(String header) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private String token(ArrayNode access, Instant now) throws IOException {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(signingCertificate);
        long seconds = now.getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", ISSUER)
                .put("sub", user)
                // distribution 2.8 reads "aud" as a single string, not a list.
                .put("aud", SERVICE)
                .put("exp", seconds + LIFETIME_SECONDS)
                .put("nbf", seconds)
                .put("iat", seconds)
                .put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String signed = base64url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + base64url.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(signingKey);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64url.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign the token", e);
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addObject().put("code", "DENIED").put("message", message);
        return body;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static SSLContext serverContext(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        X509Certificate cert = certificate(certPem);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "unused".toCharArray();
        keyStore.setKeyEntry("server", privateKey(keyPem, cert), password, new X509Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    /** A PKCS#8 PEM key of the same algorithm as the certificate's public key. */
    private static PrivateKey privateKey(Path pem, X509Certificate cert) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
