package io.debmonitor.ui.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.debmonitor.core.model.api.EntityKind;

/** URLs of the pages (SPEC §5.1, links). */
final class Links {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Links() {
    }

    /**
     * Percent-encodes what a URL path does not allow, so {@code + : . - ~ @ /} and the other
     * RFC 3986 path characters stay literal. ';' is encoded too: servlet containers cut path
     * parameters at it.
     */
    static String encodePath(String text) {
        StringBuilder out = null;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (allowedInPath(b)) {
                if (out != null) {
                    out.append((char) b);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(bytes.length + 16);
                    out.append(new String(bytes, 0, i, StandardCharsets.UTF_8));
                }
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean allowedInPath(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || "-._~!$&'()*+,=:@/".indexOf(b) >= 0;
    }

    /** @return {@code path} with the non-empty parameters as a query string, in the map's order */
    static String withQuery(String path, Map<String, String> parameters) {
        StringBuilder out = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (parameter.getValue() != null && !parameter.getValue().isEmpty()) {
                out.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return out.toString();
    }

    /** @return {@code {"name": name, "url": url}}, the JSON form of a link */
    static Map<String, Object> named(String name, String url) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("name", name);
        link.put("url", url);
        return link;
    }

    static String entity(EntityKind kind, String name) {
        return (kind == EntityKind.HOST ? "/hosts/" : "/images/") + encodePath(name);
    }

    static String host(String name) {
        return entity(EntityKind.HOST, name);
    }

    static String image(String reference) {
        return entity(EntityKind.IMAGE, reference);
    }

    static String packagePage(String name) {
        return "/packages/" + encodePath(name);
    }

    static String sourcePackage(String name) {
        return "/source-packages/" + encodePath(name);
    }

    static String kernel(String key) {
        return "/kernels/" + encodePath(key);
    }

    /** @return the page of a tracker issue, e.g. {@code /cves/CVE-2024-9143} */
    static String cve(String id) {
        return "/cves/" + encodePath(id);
    }
}
