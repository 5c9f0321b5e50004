package io.debmonitor.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files under the bundle's {@code /static}, read once. Only the files listed here are served,
 * so no request can reach another resource of the bundle. Their combined hash versions the URLs
 * ({@code /static/<version>/app.css}), which lets browsers cache them for a year.
 */
final class StaticFiles {

    /** One file: its bytes, media type and strong ETag. */
    record Asset(byte[] content, String contentType, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "app.css", "text/css; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, Asset> assets = new LinkedHashMap<>();
    private final String version;

    StaticFiles() {
        MessageDigest all = sha256();
        for (String name : new java.util.TreeSet<>(TYPES.keySet())) {
            byte[] content = read("/static/" + name);
            all.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            all.update(content);
            String etag = '"' + HexFormat.of().formatHex(sha256().digest(content), 0, 8) + '"';
            assets.put(name, new Asset(content, TYPES.get(name), etag));
        }
        version = HexFormat.of().formatHex(all.digest(), 0, 6);
    }

    /** @return the version segment of current static URLs */
    String version() {
        return version;
    }

    /** @return the URL prefix of the current files, e.g. {@code /static/0a1b2c3d4e5f} */
    String base() {
        return "/static/" + version;
    }

    /** @return the file, or null when it is not one of ours */
    Asset find(String name) {
        return assets.get(name);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing bundle resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundle resource " + resource, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
