package io.debmonitor.rest.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A short digest of this node's DebMonitor settings, so that {@code /healthz} shows when two nodes
 * run with different ones: SHA-256 over every ConfigurationAdmin configuration whose PID starts
 * with {@code io.debmonitor}, in PID order, each property in key order, as hex cut to 16 digits.
 *
 * <p>Left out: {@code service.pid}, {@code service.factoryPid}, {@code service.bundleLocation} and
 * {@code felix.fileinstall.filename}, which differ between nodes with the same settings (the file
 * path includes the Karaf folder), and every key whose name contains {@code password} or
 * {@code secret} (any case): a digest of a short secret could be checked against guesses, and
 * {@code /healthz} must not help with that. Two nodes that differ only in such a key show the same
 * digest.
 */
final class ConfigDigest {

    private static final String PID_PREFIX = "io.debmonitor";
    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("://[^/@\\s]*@");
    private static final Set<String> NODE_KEYS = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, "felix.fileinstall.filename");

    private ConfigDigest() {
    }

    /** @return the digest of the DebMonitor configurations {@code admin} holds; null when it cannot list them */
    static String of(ConfigurationAdmin admin) {
        Configuration[] configurations;
        try {
            configurations = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID_PREFIX + "*)");
        } catch (IOException e) {
            return null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("constant filter", e);
        }
        Map<String, Dictionary<String, Object>> byPid = new TreeMap<>();
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties != null) {
                byPid.put(configuration.getPid(), properties);
            }
        }
        return of(byPid);
    }

    static String of(Map<String, Dictionary<String, Object>> byPid) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(byPid).forEach((pid, properties) -> {
            text.append(frame(pid)).append('{');
            Map<String, Object> sorted = new TreeMap<>();
            for (String key : Collections.list(properties.keys())) {
                if (!NODE_KEYS.contains(key) && !secret(key)) {
                    sorted.put(key, properties.get(key));
                }
            }
            sorted.forEach((key, value) -> text.append(frame(key)).append(frame(text(value))));
            text.append('}');
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static boolean secret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret");
    }

    /** Length-prefixed, so that no two different settings give the same text. */
    private static String frame(String value) {
        return value.length() + ":" + value;
    }

    private static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringBuilder items = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                items.append(frame(text(Array.get(value, i))));
            }
            return items.append(']').toString();
        }
        // A URL's user information (an httpProxy's user:password@) is a secret too.
        return USER_INFO.matcher(String.valueOf(value)).replaceAll("://");
    }
}
