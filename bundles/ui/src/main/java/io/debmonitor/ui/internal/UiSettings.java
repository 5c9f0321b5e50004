package io.debmonitor.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated form of a {@link UiConfiguration}; building it is the activation and modification
 * check of {@link Pages}, so a bad value fails with the key in the message.
 */
final class UiSettings {

    /** The largest page {@code PageRequest} accepts. */
    static final int PAGE_SIZE_LIMIT = 10_000;

    /** The most table exports {@code ui.maxConcurrentExports} may allow at once. */
    static final int CONCURRENT_EXPORTS_LIMIT = 64;

    /** An operator-defined external link: {@code label=URL template}. */
    record LinkTemplate(String label, String template) {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_]+)}");

        /** @return the URL with known placeholders replaced (path-encoded); unknown ones stay literal */
        String expand(Map<String, String> values) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : Links.encodePath(value)));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    final boolean publicUi;
    final int pageSize;
    final int maxPageSize;
    final int maxConcurrentExports;
    final int searchMinLength;
    final int searchMaxResults;
    final List<LinkTemplate> hostLinks;
    final List<LinkTemplate> imageLinks;
    final String jaasRealm;
    final List<String> requiredRoles;
    final long cveMaxUploadBytes;

    private UiSettings(UiConfiguration config) {
        publicUi = config.ui_public();
        maxPageSize = config.ui_maxPageSize();
        require(maxPageSize >= 1 && maxPageSize <= PAGE_SIZE_LIMIT, "ui.maxPageSize must be between 1 and " + PAGE_SIZE_LIMIT + ", got " + maxPageSize);
        pageSize = config.ui_pageSize();
        require(pageSize >= 1 && pageSize <= maxPageSize, "ui.pageSize must be between 1 and ui.maxPageSize (" + maxPageSize + "), got " + pageSize);
        maxConcurrentExports = config.ui_maxConcurrentExports();
        require(maxConcurrentExports >= 1 && maxConcurrentExports <= CONCURRENT_EXPORTS_LIMIT,
                "ui.maxConcurrentExports must be between 1 and " + CONCURRENT_EXPORTS_LIMIT + ", got " + maxConcurrentExports);
        searchMinLength = config.search_minLength();
        require(searchMinLength >= 1, "search.minLength must be at least 1, got " + searchMinLength);
        searchMaxResults = config.search_maxResults();
        require(searchMaxResults >= 1 && searchMaxResults <= PAGE_SIZE_LIMIT,
                "search.maxResults must be between 1 and " + PAGE_SIZE_LIMIT + ", got " + searchMaxResults);
        hostLinks = links("ui.hostLinks", config.ui_hostLinks());
        imageLinks = links("ui.imageLinks", config.ui_imageLinks());
        jaasRealm = config.ui_jaasRealm().strip();
        require(!jaasRealm.isEmpty(), "ui.jaasRealm must not be empty");
        requiredRoles = List.copyOf(entries(config.ui_requiredRoles()));
        require(!requiredRoles.isEmpty(), "ui.requiredRoles must name at least one role");
        require(config.ui_sessionTimeoutMinutes() >= 1, "ui.sessionTimeoutMinutes must be at least 1, got " + config.ui_sessionTimeoutMinutes());
        cveMaxUploadBytes = config.cve_maxUploadBytes();
        require(cveMaxUploadBytes >= 1, "cve.maxUploadBytes must be at least 1, got " + cveMaxUploadBytes);
        require(config.ui_hstsMaxAgeSeconds() >= 0, "ui.hstsMaxAgeSeconds must not be negative, got " + config.ui_hstsMaxAgeSeconds());
    }

    /**
     * @throws IllegalArgumentException naming the first invalid key
     */
    static UiSettings of(UiConfiguration config) {
        return new UiSettings(config);
    }

    /**
     * A .cfg file gives a list as one comma-separated string; ConfigAdmin and the web console give
     * an array. Both read the same.
     */
    static List<String> entries(String[] values) {
        List<String> entries = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        entries.add(part.strip());
                    }
                }
            }
        }
        return entries;
    }

    private static List<LinkTemplate> links(String key, String[] values) {
        List<LinkTemplate> links = new ArrayList<>();
        for (String entry : entries(values)) {
            int eq = entry.indexOf('=');
            require(eq > 0 && eq < entry.length() - 1, "Invalid io.debmonitor.ui configuration: " + key + " entry '" + entry
                    + "' is not 'label=URL template'");
            links.add(new LinkTemplate(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip()));
        }
        return List.copyOf(links);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message.startsWith("Invalid") ? message : "Invalid io.debmonitor.ui configuration: " + message);
        }
    }
}
