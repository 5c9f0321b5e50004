package io.debmonitor.core.model.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Random tokens and their hashes for UI sessions and the login throttle. */
final class Secrets {

    /** What {@link #randomToken()} returns: 256 random bits, base64url without padding. */
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return the SHA-256 of the text's UTF-8 bytes, 64 lower-case hex digits */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Lets one caller per interval on this node run a cleanup that no request needs done at once. */
    static final class Sweep {

        private final long intervalMillis;
        private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

        Sweep(java.time.Duration interval) {
            this.intervalMillis = interval.toMillis();
        }

        boolean due(Instant now) {
            long current = next.get();
            return now.toEpochMilli() >= current && next.compareAndSet(current, now.toEpochMilli() + intervalMillis);
        }
    }
}
