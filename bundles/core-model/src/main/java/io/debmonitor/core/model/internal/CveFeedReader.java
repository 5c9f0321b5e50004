package io.debmonitor.core.model.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Streams the Debian Security Tracker's JSON feed (CVE.md §1.2, §2.3): one (source, issue) entry
 * at a time, so memory does not grow with the feed. Plain or gzip-compressed JSON, told apart by
 * the first bytes.
 */
final class CveFeedReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A source named twice would otherwise merge silently, or collide on the stored key. */
    private static final JsonFactory FACTORY = MAPPER.getFactory().copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Codenames as the tracker writes them; anything else is skipped (it is stored comma-separated). */
    private static final java.util.regex.Pattern RELEASE = java.util.regex.Pattern.compile("^[a-z0-9-]{1,64}$");
    /** The stored columns' sizes: a longer value is skipped, never cut (a cut version would compare wrongly). */
    static final int MAX_ISSUE = 64;
    static final int MAX_SOURCE = 255;
    static final int MAX_VERSION = 255;
    static final int MAX_SHORT = 64;

    /** One (release, source, issue) row of the feed; optional keys are null (next_point_update false). */
    record Entry(String release, String source, String issue, String status, String fixedVersion, String urgency, String nodsa,
            String nodsaReason, boolean nextPointUpdate, Map<String, String> repositories) {
    }

    /** The per-issue fields of one (source, issue) entry. */
    record Issue(String source, String issue, String description, String scope, Long debianbug) {
    }

    /**
     * @param releases      every codename of any {@code releases} object, before any filtering (coverage, §3.1)
     * @param rowsByRelease the rows read per release
     * @param skipped       entries or release objects skipped as malformed
     */
    record Summary(SortedSet<String> releases, SortedMap<String, Long> rowsByRelease, long skipped) {
        long rows() {
            return rowsByRelease.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Where the entries go, as they are read. */
    interface Sink {
        void issue(Issue issue) throws IOException;

        void entry(Entry entry) throws IOException;
    }

    /** The document is not a feed: nothing of it may be used. */
    static final class InvalidFeedException extends Exception {
        InvalidFeedException(String message) {
            super(message);
        }
    }

    private CveFeedReader() {
    }

    static Summary read(InputStream raw, Sink sink) throws IOException, InvalidFeedException {
        SortedSet<String> releases = new TreeSet<>();
        SortedMap<String, Long> rows = new TreeMap<>();
        long skipped = 0;
        try (JsonParser parser = FACTORY.createParser(decompressed(raw))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidFeedException("The feed must be a JSON object of source packages.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String source = parser.currentName();
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new InvalidFeedException("The feed's source package '" + source + "' is not an object of issues.");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String issue = parser.currentName();
                    parser.nextToken();
                    JsonNode entry = MAPPER.readTree(parser);
                    JsonNode releaseObjects = entry == null ? null : entry.get("releases");
                    boolean emptyList = releaseObjects != null && releaseObjects.isArray() && releaseObjects.isEmpty();
                    if (entry == null || !entry.isObject() || releaseObjects == null || !(releaseObjects.isObject() || emptyList)
                            || source.length() > MAX_SOURCE || issue.isEmpty() || issue.length() > MAX_ISSUE) {
                        skipped++;
                        continue;
                    }
                    sink.issue(new Issue(source, issue, text(entry, "description"), text(entry, "scope"),
                            entry.path("debianbug").canConvertToLong() ? entry.get("debianbug").asLong() : null));
                    for (Iterator<Map.Entry<String, JsonNode>> it = releaseObjects.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> release = it.next();
                        JsonNode r = release.getValue();
                        if (!RELEASE.matcher(release.getKey()).matches()) {
                            skipped++;
                            continue;
                        }
                        releases.add(release.getKey());
                        if (!r.isObject() || !r.path("status").isTextual() || tooLong(r, "fixed_version", MAX_VERSION)
                                || tooLong(r, "status", MAX_SHORT) || tooLong(r, "urgency", MAX_SHORT) || tooLong(r, "nodsa_reason", MAX_SHORT)) {
                            skipped++;
                            continue;
                        }
                        Map<String, String> repositories = new LinkedHashMap<>();
                        r.path("repositories").fields().forEachRemaining(repo -> {
                            if (repo.getValue().isTextual()) {
                                repositories.put(repo.getKey(), repo.getValue().asText());
                            }
                        });
                        sink.entry(new Entry(release.getKey(), source, issue, r.get("status").asText(), text(r, "fixed_version"),
                                text(r, "urgency"), text(r, "nodsa"), text(r, "nodsa_reason"), r.path("next_point_update").asBoolean(false),
                                repositories));
                        rows.merge(release.getKey(), 1L, Long::sum);
                    }
                }
                if (parser.currentToken() != JsonToken.END_OBJECT) {
                    throw new InvalidFeedException("The feed's source package '" + source + "' is not an object of issues.");
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidFeedException("The feed must be one JSON object of source packages.");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidFeedException("The feed is not valid JSON (truncated?): " + e.getOriginalMessage());
        }
        if (rows.isEmpty()) {
            throw new InvalidFeedException("The feed holds no release rows.");
        }
        return new Summary(releases, rows, skipped);
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 65536) : in;
    }

    private static boolean tooLong(JsonNode node, String key, int max) {
        String value = text(node, key);
        return value != null && value.length() > max;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
