package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.CveIssueDTO;

/**
 * Reads the tracker's side files (CVE.md §1.5, §1.7): the DSA and DLA lists line by line, one
 * advisory at a time, and {@code distributions.json} as a JSON stream. Input that is not such a
 * file is an {@link IllegalArgumentException} with a one-line message.
 */
final class CveListReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** {@code [07 Feb 2023] DSA-5343-1 openssl - security update}; old advisories have no revision ({@code DSA-141}). */
    private static final Pattern HEADER = Pattern.compile("^\\[([^\\]]*)\\]\\s+([A-Z]+-[0-9]+(?:-[0-9]+)?)\\s+(\\S+)(?:\\s+(.*))?$");
    private static final Pattern ISSUES = Pattern.compile("^\\s+\\{([^}]*)\\}\\s*$");
    /** {@code [bullseye] - openssl 1.1.1n-0+deb11u4}; a line may name no version, or a tag such as {@code <not-affected>}. */
    private static final Pattern FIX = Pattern.compile("^\\s+\\[([a-z0-9-]{1,64})\\]\\s+-\\s+(\\S+)(?:\\s+(\\S+))?.*$");
    private static final Pattern NOTE = Pattern.compile("^\\s+NOTE:.*$");
    private static final Pattern REVISION = Pattern.compile("^(.+)-([0-9]+)-([0-9]+)$");
    private static final Pattern CODENAME = Pattern.compile("^[a-z0-9-]{1,64}$");
    private static final Pattern MAJOR = Pattern.compile("^[0-9]{0,16}$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    /** Longer lines are no list's: a binary file must not be read into memory as one line. */
    static final int MAX_LINE = 65536;
    static final int MAX_ID = 64;
    static final int MAX_SUMMARY = 1000;
    private static final String EXAMPLE = "'[07 Feb 2023] DSA-5343-1 openssl - security update'";

    /** One {@code [release] - source version} line; {@code version} null where the line names none. */
    record Fix(String release, String source, String version) {
    }

    /**
     * One advisory block.
     *
     * @param published null when the date is unreadable
     * @param issues    in the order listed, without duplicates; a regression advisory without a list
     *                  has its base advisory's
     */
    record Advisory(String id, LocalDate published, String source, String summary, List<String> issues, List<Fix> fixes) {
    }

    /** One codename of distributions.json; {@code majorVersion} is empty for sid. */
    record Distribution(String codename, String majorVersion, String support) {
    }

    /** What a file held: advisories or codenames, and the lines or entries left out. */
    record Summary(long entries, long skipped) {
    }

    /** Where the advisories or codenames go, as they are read. */
    interface Sink<T> {
        void accept(T item) throws IOException;
    }

    private CveListReader() {
    }

    /**
     * Reads a DSA or DLA list. The tracker writes the newest advisory first, so a regression
     * advisory ({@code DSA-5356-2}) without an issue list comes before its base: it is held back
     * until an older advisory of the same number with an issue list is read (or the end).
     *
     * @param prefix the advisory ids' prefix, {@code DSA} or {@code DLA}: another one is a list of the other kind
     */
    static Summary advisories(InputStream raw, String prefix, Sink<Advisory> sink) throws IOException {
        Reader in = new InputStreamReader(raw, StandardCharsets.UTF_8.newDecoder());
        String name = prefix + " list";
        Map<String, List<Advisory>> waiting = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Block block = null;
        long advisories = 0;
        long skipped = 0;
        long number = 0;
        StringBuilder line = new StringBuilder();
        try {
            while (readLine(in, line, name, number + 1)) {
                number++;
                String text = line.toString();
                if (text.isBlank()) {
                    continue;
                }
                Matcher header = HEADER.matcher(text);
                if (header.matches()) {
                    if (block != null) {
                        advisories += block.emit(waiting, sink);
                    }
                    String id = header.group(2);
                    if (!id.startsWith(prefix + "-")) {
                        throw new IllegalArgumentException("Line " + number + " of the " + name + " names " + id + ", not a " + prefix
                                + " advisory: is it the other list?");
                    }
                    if (id.length() > MAX_ID || header.group(3).length() > CveFeedReader.MAX_SOURCE || !seen.add(id)) {
                        skipped++;
                        block = null;
                        continue;
                    }
                    block = new Block(id, date(header.group(1)), header.group(3), summary(header.group(4)));
                    continue;
                }
                if (block == null && advisories == 0 && seen.isEmpty()) {
                    throw new IllegalArgumentException("The " + name + " must start with an advisory line like " + EXAMPLE + "; line " + number
                            + " is '" + shorten(text) + "'.");
                }
                Matcher issues = ISSUES.matcher(text);
                Matcher fix = FIX.matcher(text);
                if (block == null || NOTE.matcher(text).matches()) {
                    // NOTE lines are for humans; the lines of a skipped advisory are left out with it.
                    skipped += block == null && !NOTE.matcher(text).matches() ? 1 : 0;
                } else if (issues.matches()) {
                    for (String issue : issues.group(1).trim().split("\\s+")) {
                        if (CveIssueDTO.ID.matcher(issue).matches() && issue.length() <= CveFeedReader.MAX_ISSUE) {
                            block.issues.add(issue);
                        }
                    }
                } else if (fix.matches() && fix.group(2).length() <= CveFeedReader.MAX_SOURCE) {
                    String version = fix.group(3) == null || fix.group(3).startsWith("<") || fix.group(3).startsWith("(") ? null : fix.group(3);
                    if (version != null && version.length() > CveFeedReader.MAX_VERSION) {
                        skipped++;
                    } else if (block.fixes.stream().noneMatch(f -> f.release().equals(fix.group(1)) && f.source().equals(fix.group(2)))) {
                        block.fixes.add(new Fix(fix.group(1), fix.group(2), version));
                    }
                } else {
                    skipped++;
                }
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The " + name + " is not UTF-8 text (line " + (number + 1) + ").");
        }
        if (block != null) {
            advisories += block.emit(waiting, sink);
        }
        // Regression advisories whose base is not in the file keep no issues.
        for (List<Advisory> orphans : waiting.values()) {
            for (Advisory orphan : orphans) {
                sink.accept(orphan);
                advisories++;
            }
        }
        if (advisories == 0) {
            throw new IllegalArgumentException("The " + name + " holds no advisory (lines like " + EXAMPLE + ").");
        }
        return new Summary(advisories, skipped);
    }

    /** An advisory being read. */
    private static final class Block {
        private final String id;
        private final LocalDate published;
        private final String source;
        private final String summary;
        private final Set<String> issues = new LinkedHashSet<>();
        private final List<Fix> fixes = new ArrayList<>();

        Block(String id, LocalDate published, String source, String summary) {
            this.id = id;
            this.published = published;
            this.source = source;
            this.summary = summary;
        }

        /** @return the advisories given to the sink: this one, unless held back, and those that waited for it */
        int emit(Map<String, List<Advisory>> waiting, Sink<Advisory> sink) throws IOException {
            Matcher revision = REVISION.matcher(id);
            String base = revision.matches() ? revision.group(1) + "-" + revision.group(2) : id;
            Advisory advisory = new Advisory(id, published, source, summary, List.copyOf(issues), List.copyOf(fixes));
            if (issues.isEmpty() && revision.matches() && Integer.parseInt(revision.group(3)) > 1) {
                waiting.computeIfAbsent(base, k -> new ArrayList<>()).add(advisory);
                return 0;
            }
            sink.accept(advisory);
            int emitted = 1;
            List<Advisory> regressions = issues.isEmpty() ? null : waiting.remove(base);
            if (regressions != null) {
                for (Advisory regression : regressions) {
                    sink.accept(new Advisory(regression.id(), regression.published(), regression.source(), regression.summary(),
                            advisory.issues(), regression.fixes()));
                    emitted++;
                }
            }
            return emitted;
        }
    }

    /**
     * Reads distributions.json: {@code {"bookworm": {"major-version": "12", "support": "…", …}, …}}.
     * Codenames that are not names, or whose major version is missing or not a number, are skipped.
     */
    static Summary distributions(InputStream in, Sink<Distribution> sink) throws IOException {
        long entries = 0;
        long skipped = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("distributions.json must be a JSON object of codenames.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String codename = parser.currentName();
                parser.nextToken();
                JsonNode entry = MAPPER.readTree(parser);
                JsonNode major = entry == null ? null : entry.get("major-version");
                String version = major == null ? null : major.isTextual() || major.isIntegralNumber() ? major.asText() : null;
                if (!CODENAME.matcher(codename).matches() || version == null || !MAJOR.matcher(version).matches()) {
                    skipped++;
                    continue;
                }
                JsonNode support = entry.get("support");
                String supportText = support != null && support.isTextual() ? support.asText() : null;
                sink.accept(new Distribution(codename, version, supportText == null || supportText.length() <= 255 ? supportText
                        : supportText.substring(0, 255)));
                entries++;
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("distributions.json must be one JSON object of codenames.");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("distributions.json is not valid JSON (truncated?): " + e.getOriginalMessage());
        }
        if (entries == 0) {
            throw new IllegalArgumentException("distributions.json names no codename with a major-version.");
        }
        return new Summary(entries, skipped);
    }

    /** Reads one line into {@code line} (without its end); false at the end of the input. */
    private static boolean readLine(Reader in, StringBuilder line, String name, long number) throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n') {
            if (line.length() >= MAX_LINE) {
                throw new IllegalArgumentException("Line " + number + " of the " + name + " is longer than " + MAX_LINE
                        + " characters: not an advisory list.");
            }
            line.append((char) c);
            c = in.read();
        }
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return true;
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.trim(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The header's rest: {@code - security update} → {@code security update}. */
    private static String summary(String rest) {
        if (rest == null) {
            return null;
        }
        String summary = rest.strip();
        if (summary.startsWith("-")) {
            summary = summary.substring(1).strip();
        }
        return summary.isEmpty() ? null : summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY);
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…";
    }
}
