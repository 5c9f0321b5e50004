package io.debmonitor.imagereporter;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Test;

public class RegistryClientTest {

    private final FakeRegistry registry;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<String> previousSink;

    public RegistryClientTest() throws IOException {
        registry = new FakeRegistry();
        previousSink = Log.setSink(log::add);
    }

    @After
    public void stop() {
        Log.setSink(previousSink);
        registry.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void catalogFollowsLinkPagination() throws Exception {
        registry.http.on("GET", "/v2/_catalog?n=1000", FakeHttp.Reply.json(200, "{\"repositories\":[\"a\",\"b/c\"]}")
                .with("Link", "</v2/_catalog?last=b%2Fc&n=1000>; rel=\"next\""));
        registry.http.on("GET", "/v2/_catalog?last=b%2Fc&n=1000", FakeHttp.Reply.json(200, "{\"repositories\":[\"d\"]}"));

        assertEquals(List.of("a", "b/c", "d"), registry.client().catalog());
    }

    @Test
    public void aNextPageOnAnotherServerIsRefused() throws Exception {
        try (FakeHttp other = new FakeHttp()) {
            other.on("GET", "/v2/_catalog", FakeHttp.Reply.json(200, "{\"repositories\":[\"stolen\"]}"));
            String sameHostOtherScheme = registry.http.base().toString().replace("http:", "https:");
            for (String elsewhere : List.of(other.base().toString(), sameHostOtherScheme)) {
                registry.http.on("GET", "/v2/_catalog?n=1000", FakeHttp.Reply.json(200, "{\"repositories\":[\"a\"]}")
                        .with("Link", "<" + elsewhere + "/v2/_catalog?last=a>; rel=\"next\""));

                RegistryException e = assertThrows(RegistryException.class,
                        () -> registry.client("bob", "pw", Duration.ofSeconds(5)).catalog());

                assertTrue(e.getMessage(), e.getMessage().startsWith("the next page of the catalog is on another server"));
            }
            assertTrue(other.requests.isEmpty());
        }
    }

    @Test(timeout = 20_000)
    public void pagesThatLoopBackAreAnError() {
        registry.http.on("GET", "/v2/lib/x/tags/list?n=1000", FakeHttp.Reply.json(200, "{\"tags\":[\"1\"]}")
                .with("Link", "</v2/lib/x/tags/list?last=1&n=1000>; rel=\"next\""));
        registry.http.on("GET", "/v2/lib/x/tags/list?last=1&n=1000", FakeHttp.Reply.json(200, "{\"tags\":[\"2\"]}")
                .with("Link", "</v2/lib/x/tags/list?n=1000>; rel=\"next\""));

        RegistryException e = assertThrows(RegistryException.class, () -> registry.client().tags("lib/x"));

        assertTrue(e.getMessage(), e.getMessage().startsWith("the pages of the tags of lib/x loop back to "));
        assertEquals(2, registry.http.requestsTo("/v2/lib/x/tags/list").size());
    }

    @Test(timeout = 20_000)
    public void theNumberOfPagesIsCapped() {
        AtomicInteger served = new AtomicInteger();
        registry.http.on("GET", "/v2/_catalog", r -> FakeHttp.Reply.json(200, "{\"repositories\":[]}")
                .with("Link", "</v2/_catalog?last=" + served.incrementAndGet() + ">; rel=\"next\""));
        RegistryClient client = new RegistryClient(registry.http.base(),
                RegistryClient.httpClient(null, Duration.ofSeconds(5)), Duration.ofSeconds(5), null, null, 3);

        RegistryException e = assertThrows(RegistryException.class, client::catalog);

        assertEquals("more than 3 pages in the catalog", e.getMessage());
        assertEquals(3, served.get());
    }

    @Test
    public void aNextLinkThatIsNotAUriIsARegistryError() {
        registry.http.on("GET", "/v2/_catalog?n=1000", FakeHttp.Reply.json(200, "{\"repositories\":[\"a\"]}")
                .with("Link", "</v2/_catalog?last=a b>; rel=\"next\""));

        RegistryException e = assertThrows(RegistryException.class, () -> registry.client().catalog());

        assertTrue(e.getMessage(), e.getMessage().startsWith("invalid next page link in the catalog: "));
    }

    @Test
    public void tagsOfAnEmptyRepositoryAreNoTags() throws Exception {
        registry.http.on("GET", "/v2/lib/x/tags/list", FakeHttp.Reply.json(200, "{\"name\":\"lib/x\",\"tags\":null}"));
        assertEquals(List.of(), registry.client().tags("lib/x"));
    }

    /** A token service that hands out "token-N" and a registry that accepts only the latest token. */
    private AtomicInteger bearerRegistry(String tokenField, String requiredAuthorization) {
        AtomicInteger issued = new AtomicInteger();
        String realm = registry.http.base() + "/token";
        registry.http.on("GET", "/token", r -> {
            if (requiredAuthorization != null && !requiredAuthorization.equals(r.header("Authorization"))) {
                return FakeHttp.Reply.json(401, "{\"details\":\"bad login\"}");
            }
            return FakeHttp.Reply.json(200, "{\"" + tokenField + "\":\"token-" + issued.incrementAndGet() + "\"}");
        });
        registry.http.on("GET", "/v2/_catalog", r -> {
            if (!("Bearer token-" + issued.get()).equals(r.header("Authorization"))) {
                return FakeHttp.Reply.json(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}").with("WWW-Authenticate",
                        "Bearer realm=\"" + realm + "\",service=\"fake registry\",scope=\"registry:catalog:*\"");
            }
            return FakeHttp.Reply.json(200, "{\"repositories\":[\"a\"]}");
        });
        return issued;
    }

    @Test
    public void bearerChallengeThenTokenThenRetryAndTheTokenIsCached() throws Exception {
        AtomicInteger issued = bearerRegistry("token", null);
        RegistryClient client = registry.client();

        assertEquals(List.of("a"), client.catalog());
        assertEquals(List.of("a"), client.catalog());

        assertEquals(1, issued.get());
        List<FakeHttp.Request> tokenRequests = registry.http.requestsTo("/token");
        assertEquals("/token?service=fake+registry&scope=registry%3Acatalog%3A*", tokenRequests.get(0).target());
        assertNull(tokenRequests.get(0).header("Authorization"));
        // Unauthenticated attempt, retry with the token, then the second call goes straight through.
        assertEquals(3, registry.http.requestsTo("/v2/_catalog").size());
    }

    @Test
    public void accessTokenFieldAndCredentialsForTheTokenService() throws Exception {
        AtomicInteger issued = bearerRegistry("access_token", basic("bob", "pw"));
        assertEquals(List.of("a"), registry.client("bob", "pw", Duration.ofSeconds(5)).catalog());
        assertEquals(1, issued.get());
    }

    @Test
    public void credentialsForAPlainHttpTokenServiceAreWarnedAboutOnce() throws Exception {
        AtomicInteger issued = bearerRegistry("token", basic("bob", "pw"));
        RegistryClient client = registry.client("bob", "pw", Duration.ofSeconds(5));
        client.catalog();
        issued.set(41); // the next call needs a new token
        client.catalog();
        // Anonymous: no password to warn about (and the token service refuses it).
        assertThrows(RegistryException.class, () -> registry.client().catalog());

        assertEquals(3, registry.http.requestsTo("/token").size());
        assertEquals(List.of("[WARNING] the registry password goes over plain http to the token service 127.0.0.1"),
                log);
    }

    @Test
    public void refusedCredentialsAtTheTokenServiceAreAClearError() {
        bearerRegistry("token", basic("bob", "pw"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> registry.client("bob", "wrong", Duration.ofSeconds(5)).catalog());
        assertTrue(e.getMessage(), e.getMessage().contains("refused") && e.getMessage().contains("bob"));
    }

    @Test
    public void anExpiredTokenIsRenewedOn401() throws Exception {
        AtomicInteger issued = bearerRegistry("token", null);
        RegistryClient client = registry.client();
        client.catalog();

        issued.set(41); // the registry now accepts only token-42, which the next fetch returns
        assertEquals(List.of("a"), client.catalog());
        assertEquals(42, issued.get());
    }

    @Test
    public void basicAuthentication() throws Exception {
        registry.http.on("GET", "/v2/lib/x/tags/list", r -> basic("bob", "pw").equals(r.header("Authorization"))
                ? FakeHttp.Reply.json(200, "{\"tags\":[\"1\",\"2\"]}")
                : FakeHttp.Reply.json(401, "{}").with("WWW-Authenticate", "Basic realm=\"Registry\""));

        assertEquals(List.of("1", "2"), registry.client("bob", "pw", Duration.ofSeconds(5)).tags("lib/x"));
        RegistryException wrong = assertThrows(RegistryException.class,
                () -> registry.client("bob", "nope", Duration.ofSeconds(5)).tags("lib/x"));
        assertEquals("the registry refused the password of bob", wrong.getMessage());
        RegistryException anonymous = assertThrows(RegistryException.class, () -> registry.client().tags("lib/x"));
        assertTrue(anonymous.getMessage(), anonymous.getMessage().contains("--registry-user"));
    }

    @Test
    public void manifestComesWithItsMediaTypeAndDigestAndTheRightAcceptHeader() throws Exception {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":[]}";
        String digest = registry.manifest("lib/x", "1", RegistryClient.OCI_INDEX + "; charset=utf-8", json);

        RegistryClient.Manifest m = registry.client().manifest("lib/x", "1");

        assertEquals(RegistryClient.OCI_INDEX, m.mediaType());
        assertEquals(digest, m.digest());
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), m.body());
        String accept = registry.http.requestsTo("/v2/lib/x/manifests/1").get(0).header("Accept");
        for (String type : List.of(RegistryClient.OCI_INDEX, RegistryClient.DOCKER_LIST, RegistryClient.OCI_MANIFEST,
                RegistryClient.DOCKER_MANIFEST)) {
            assertTrue(accept, accept.contains(type));
        }
    }

    @Test
    public void manifestDigestMismatchIsAnError() {
        registry.http.on("GET", "/v2/lib/x/manifests/1", FakeHttp.Reply.of(200, RegistryClient.OCI_MANIFEST,
                "{}".getBytes(StandardCharsets.UTF_8)).with("Docker-Content-Digest", "sha256:" + "0".repeat(64)));

        RegistryException e = assertThrows(RegistryException.class, () -> registry.client().manifest("lib/x", "1"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("digest mismatch for the manifest lib/x:1"));
    }

    @Test
    public void manifestFetchedByDigestMustHaveThatDigest() {
        String claimed = "sha256:" + "a".repeat(64);
        registry.http.on("GET", "/v2/lib/x/manifests/" + claimed, FakeHttp.Reply.of(200, RegistryClient.OCI_MANIFEST,
                "{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(RegistryException.class, () -> registry.client().manifest("lib/x", claimed));
    }

    @Test
    public void blobRedirectToStorageIsFollowedWithoutTheRegistryCredentials() throws Exception {
        byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.sha256(content);
        try (FakeHttp storage = new FakeHttp()) {
            storage.on("GET", "/bucket/blob?signature=abc", FakeHttp.Reply.of(200, "application/octet-stream", content));
            registry.http.on("GET", "/v2/lib/x/blobs/" + digest, FakeHttp.Reply.empty(307)
                    .with("Location", storage.base() + "/bucket/blob?signature=abc"));

            try (InputStream in = registry.client("bob", "pw", Duration.ofSeconds(5)).openBlob("lib/x", digest)) {
                assertArrayEquals(content, in.readAllBytes());
            }

            assertEquals(basic("bob", "pw"), registry.http.requestsTo("/v2/lib/x/blobs/").get(0).header("Authorization"));
            assertNull(storage.requests.get(0).header("Authorization"));
        }
    }

    @Test
    public void serverErrorsAreRetryableAndClientErrorsAreNot() {
        registry.http.on("GET", "/v2/lib/busy/tags/list", FakeHttp.Reply.json(503, "{}"));
        IOException busy = assertThrows(IOException.class, () -> registry.client().tags("lib/busy"));
        assertTrue(busy.getMessage(), busy.getMessage().startsWith("HTTP 503"));

        RegistryException missing = assertThrows(RegistryException.class, () -> registry.client().tags("lib/none"));
        assertEquals(404, missing.status);
        assertTrue(missing.getMessage(), missing.getMessage().endsWith(": NAME_UNKNOWN not here"));
    }

    @Test
    public void aStalledBlobFailsAfterTheTimeout() throws Exception {
        String digest = "sha256:" + "5".repeat(64);
        registry.http.on("GET", "/v2/lib/x/blobs/" + digest,
                FakeHttp.Reply.of(200, "application/octet-stream", new byte[100]).stalling());
        long start = System.nanoTime();
        try (InputStream in = registry.client(null, null, Duration.ofSeconds(1)).openBlob("lib/x", digest)) {
            assertThrows(HttpTimeoutException.class, in::readAllBytes);
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }
}
