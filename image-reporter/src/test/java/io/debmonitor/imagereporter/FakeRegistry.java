package io.debmonitor.imagereporter;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Serves manifests and blobs the way a registry does, on a {@link FakeHttp}. */
final class FakeRegistry implements AutoCloseable {

    final FakeHttp http = new FakeHttp();

    FakeRegistry() throws IOException {
    }

    RegistryClient client() {
        return client(null, null, Duration.ofSeconds(10));
    }

    RegistryClient client(String user, String password, Duration timeout) {
        return new RegistryClient(http.base(), RegistryClient.httpClient(null, timeout), timeout, user, password);
    }

    /** Serves a manifest under its tag and its digest; returns the digest. */
    String manifest(String repository, String tag, String mediaType, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.sha256(body);
        FakeHttp.Reply reply = FakeHttp.Reply.of(200, mediaType, body).with("Docker-Content-Digest", digest);
        http.on("GET", "/v2/" + repository + "/manifests/" + digest, reply);
        if (tag != null) {
            http.on("GET", "/v2/" + repository + "/manifests/" + tag, reply);
        }
        return digest;
    }

    /** Serves a blob; returns its digest. */
    String blob(String repository, byte[] content) {
        String digest = RegistryClient.sha256(content);
        http.on("GET", "/v2/" + repository + "/blobs/" + digest, FakeHttp.Reply.of(200, "application/octet-stream", content));
        return digest;
    }

    String config(String repository, String os, String arch, String variant) {
        return blob(repository, ("{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\""
                + (variant != null ? ",\"variant\":\"" + variant + "\"" : "") + ",\"rootfs\":{\"type\":\"layers\"}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    static String imageManifest(String mediaType, String configType, String configDigest, String layerType,
                                String... layerDigests) {
        StringBuilder layers = new StringBuilder();
        for (String d : layerDigests) {
            layers.append(layers.length() == 0 ? "" : ",")
                    .append("{\"mediaType\":\"").append(layerType).append("\",\"digest\":\"").append(d)
                    .append("\",\"size\":1}");
        }
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":\"" + configType
                + "\",\"digest\":\"" + configDigest + "\",\"size\":1},\"layers\":[" + layers + "]}";
    }

    /** An index entry: {@code platform} is os/arch[/variant], or null for an attestation. */
    static String entry(String mediaType, String digest, String platform) {
        if (platform == null) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":1,"
                    + "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"},"
                    + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}";
        }
        String[] p = platform.split("/");
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":1,\"platform\":{"
                + "\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\""
                + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "") + "}}";
    }

    static String index(String mediaType, String... entries) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[" + String.join(",", entries)
                + "]}";
    }

    static HttpClient plainHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() {
        http.close();
    }
}
