package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * The registry's HTTP API (OCI distribution / Docker registry v2): catalog and tag lists with Link
 * pagination, manifests by tag or digest, and blobs. Authentication is Basic, or the Bearer token flow
 * that a {@code WWW-Authenticate} challenge starts (tokens cached per scope, renewed on 401).
 * <p>
 * Failures: {@link IOException} for what a retry may cure (connection, timeout, HTTP 429 and 5xx),
 * {@link RegistryException} for the rest.
 */
final class RegistryClient {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** Manifests and config blobs above this size are refused (the distribution spec limits manifests to 4 MiB). */
    static final int MAX_DOCUMENT_BYTES = 16 << 20;
    private static final int PAGE_SIZE = 1000;
    /** The most pages of one list that are read: millions of names, even at 100 a page. */
    private static final int MAX_PAGES = 10_000;
    private static final int MAX_REDIRECTS = 5;
    private static final String CATALOG_SCOPE = "registry:catalog:*";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A manifest as the registry sent it; {@code digest} is the sha256 of {@code body}. */
    record Manifest(byte[] body, String mediaType, String digest) {
    }

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String user;
    private final String basicAuthorization;
    /** The Bearer challenge, once the registry sent one: from then on every request carries a token. */
    private volatile Challenge bearer;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedPlainTokenRealm = new AtomicBoolean();
    private final int maxPages;

    /** @param user null for anonymous access */
    RegistryClient(URI base, HttpClient http, Duration timeout, String user, String password) {
        this(base, http, timeout, user, password, MAX_PAGES);
    }

    RegistryClient(URI base, HttpClient http, Duration timeout, String user, String password, int maxPages) {
        this.maxPages = maxPages;
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.user = user;
        this.basicAuthorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The HTTP client for a registry: redirects are followed here, to drop credentials on other hosts. */
    static HttpClient httpClient(SSLContext ssl, Duration timeout) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault());
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    /** All repository names, following the catalog's pages. */
    List<String> catalog() throws IOException, RegistryException {
        return pagedList(base.resolve("/v2/_catalog?n=" + PAGE_SIZE), CATALOG_SCOPE, "repositories", "the catalog");
    }

    /** All tags of one repository. */
    List<String> tags(String repository) throws IOException, RegistryException {
        return pagedList(base.resolve("/v2/" + repository + "/tags/list?n=" + PAGE_SIZE), pullScope(repository),
                "tags", "the tags of " + repository);
    }

    /**
     * Follows the {@code rel="next"} links; they must stay on the registry (the credentials go with
     * them), must not come back to a page already read, and stop after {@code maxPages} pages.
     */
    private List<String> pagedList(URI first, String scope, String field, String what)
            throws IOException, RegistryException {
        List<String> all = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        for (URI page = first; page != null; ) {
            if (!visited.add(page)) {
                throw new RegistryException("the pages of " + what + " loop back to " + page);
            }
            if (visited.size() > maxPages) {
                throw new RegistryException("more than " + maxPages + " pages in " + what);
            }
            HttpResponse<InputStream> r = send(get(page), scope);
            expectOk(r, what);
            JsonNode doc = parse(readDocument(r), what);
            for (JsonNode item : doc.path(field)) { // "tags": null on an empty repository
                all.add(item.asText());
            }
            try {
                page = LinkHeader.next(r.headers().allValues("Link"), page);
            } catch (URISyntaxException e) {
                throw new RegistryException("invalid next page link in " + what + ": " + e.getMessage());
            }
            if (page != null && !sameOrigin(page)) {
                throw new RegistryException("the next page of " + what + " is on another server: " + page);
            }
        }
        return all;
    }

    /** The manifest that {@code reference} (a tag or a digest) points to, its digest checked. */
    Manifest manifest(String repository, String reference) throws IOException, RegistryException {
        String what = "the manifest " + repository + ":" + reference;
        HttpRequest.Builder request = get(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST));
        HttpResponse<InputStream> r = send(request, pullScope(repository));
        expectOk(r, what);
        byte[] body = readDocument(r);
        String mediaType = r.headers().firstValue("Content-Type").map(RegistryClient::bareMediaType).orElse("");
        String digest = sha256(body);
        // A signed schema 1 manifest's digest covers the payload without its signatures: not comparable.
        if (!mediaType.equals(DOCKER_SCHEMA1_SIGNED)) {
            String claimed = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (claimed != null && !claimed.strip().equals(digest)) {
                throw new RegistryException("digest mismatch for " + what + ": the registry says " + claimed.strip()
                        + ", the content is " + digest);
            }
            if (reference.startsWith("sha256:") && !reference.equals(digest)) {
                throw new RegistryException("digest mismatch for " + what + ": the content is " + digest);
            }
        }
        return new Manifest(body, mediaType, digest);
    }

    /** A small blob (an image configuration), read whole and checked against its digest. */
    byte[] blob(String repository, String digest) throws IOException, RegistryException {
        try (InputStream in = openBlob(repository, digest)) {
            byte[] body = readLimited(in, "the blob " + digest);
            if (digest.startsWith("sha256:") && !sha256(body).equals(digest)) {
                throw new RegistryException("digest mismatch for the blob " + repository + "@" + digest);
            }
            return body;
        }
    }

    /**
     * A blob's content as a stream, following redirects (registries often send blobs to object storage);
     * credentials go only to the registry itself. A read that stalls for the timeout fails.
     */
    InputStream openBlob(String repository, String digest) throws IOException, RegistryException {
        String what = "the blob " + repository + "@" + digest;
        URI uri = base.resolve("/v2/" + repository + "/blobs/" + digest);
        HttpResponse<InputStream> r = send(get(uri), pullScope(repository));
        for (int redirects = 0; isRedirect(r.statusCode()); redirects++) {
            String location = r.headers().firstValue("Location").orElse(null);
            discard(r);
            if (location == null || redirects == MAX_REDIRECTS) {
                throw new RegistryException(r.statusCode(), (location == null ? "redirect without Location for "
                        : "too many redirects for ") + what);
            }
            uri = uri.resolve(location);
            r = sameOrigin(uri) ? send(get(uri), pullScope(repository)) : sendOnce(get(uri).build());
        }
        expectOk(r, what);
        return StallGuard.guard(r.body(), timeout);
    }

    private HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).GET();
    }

    /** Sends with the current credentials; on 401 it answers the challenge and tries once more. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request, String scope)
            throws IOException, RegistryException {
        for (int attempt = 0; ; attempt++) {
            String authorization = authorization(scope);
            HttpRequest.Builder b = request.copy();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r = sendOnce(b.build());
            if (r.statusCode() != 401 || attempt == 1) {
                return r;
            }
            discard(r);
            answerChallenge(r.headers().allValues("WWW-Authenticate"), scope);
        }
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private String authorization(String scope) throws IOException, RegistryException {
        Challenge challenge = bearer;
        if (challenge != null) {
            String token = tokens.get(scope);
            if (token == null) {
                token = fetchToken(challenge, scope);
                tokens.put(scope, token);
            }
            return "Bearer " + token;
        }
        return basicAuthorization; // sent up front: a Basic registry then needs no 401 round trip
    }

    private void answerChallenge(List<String> headers, String scope) throws RegistryException {
        List<Challenge> challenges = new ArrayList<>();
        headers.forEach(h -> challenges.addAll(Challenge.parse(h)));
        for (Challenge c : challenges) {
            if (c.scheme().equals("bearer") && c.param("realm") != null) {
                bearer = new Challenge("bearer", Map.of("realm", c.param("realm"),
                        "service", Objects.requireNonNullElse(c.param("service"), "")));
                tokens.remove(scope); // expired, or not valid for this request: fetch a new one
                return;
            }
        }
        for (Challenge c : challenges) {
            if (c.scheme().equals("basic")) {
                if (basicAuthorization == null) {
                    throw new RegistryException(401, "the registry requires a login: give --registry-user");
                }
                throw new RegistryException(401, "the registry refused the password of " + user);
            }
        }
        throw new RegistryException(401, "the registry answered 401 without a usable challenge: " + headers);
    }

    /** Runs the token flow: GET realm?service=..&scope=.., with Basic credentials when there are some. */
    private String fetchToken(Challenge challenge, String scope) throws IOException, RegistryException {
        String realm = challenge.param("realm");
        StringBuilder query = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        String service = challenge.param("service");
        if (!service.isEmpty()) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&');
        }
        query.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI uri;
        try {
            uri = URI.create(query.toString());
        } catch (IllegalArgumentException e) {
            throw new RegistryException("invalid token realm " + realm);
        }
        HttpRequest.Builder request = get(uri).header("Accept", "application/json");
        if (basicAuthorization != null) {
            if ("http".equalsIgnoreCase(uri.getScheme()) && warnedPlainTokenRealm.compareAndSet(false, true)) {
                Log.warning("the registry password goes over plain http to the token service " + uri.getHost());
            }
            request.header("Authorization", basicAuthorization);
        }
        HttpResponse<InputStream> r = sendOnce(request.build());
        String what = "a registry token for " + scope;
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            discard(r);
            throw new RegistryException(r.statusCode(), "the token service refused " + what + " (HTTP " + r.statusCode()
                    + (user == null ? "; a login may be needed: give --registry-user)" : " for user " + user + ")"));
        }
        expectOk(r, what);
        JsonNode doc = parse(readDocument(r), what);
        String token = doc.path("token").asText(doc.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException("no token in the answer to " + what);
        }
        Log.debug("got " + what);
        return token;
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    /** Throws for anything but 200: an IOException when a retry may help, else a RegistryException. */
    private void expectOk(HttpResponse<InputStream> r, String what) throws IOException, RegistryException {
        int status = r.statusCode();
        if (status == 200) {
            return;
        }
        String detail = errorDetail(r);
        String message = "HTTP " + status + " for " + what + detail;
        if (status == 429 || status >= 500) {
            throw new IOException(message);
        }
        throw new RegistryException(status, message);
    }

    /** ": CODE message" from the registry's {"errors": [...]} body, when it has one. */
    private static String errorDetail(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            JsonNode first = JSON.readTree(in.readNBytes(64 * 1024)).path("errors").path(0);
            String code = first.path("code").asText("");
            String message = first.path("message").asText("");
            return code.isEmpty() && message.isEmpty() ? "" : ": " + (code + " " + message).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void discard(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing to free then
        }
    }

    private byte[] readDocument(HttpResponse<InputStream> r) throws IOException, RegistryException {
        try (InputStream in = StallGuard.guard(r.body(), timeout)) {
            return readLimited(in, r.request().uri().getPath());
        }
    }

    private static byte[] readLimited(InputStream in, String what) throws IOException, RegistryException {
        byte[] body = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        if (body.length > MAX_DOCUMENT_BYTES) {
            throw new RegistryException(what + " is larger than " + (MAX_DOCUMENT_BYTES >> 20) + " MiB");
        }
        return body;
    }

    private static JsonNode parse(byte[] body, String what) throws RegistryException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException("invalid JSON in " + what + ": " + Log.reason(e));
        }
    }

    /** "application/vnd...+json" from a Content-Type that may carry parameters. */
    static String bareMediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
