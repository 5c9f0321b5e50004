package io.debmonitor.core.model.api;

import java.util.List;
import java.util.Map;

/**
 * Matches of one search, per scope, in the scope order of SPEC §5.4.
 *
 * @param query  the query as given
 * @param scopes scope key (e.g. {@code hosts}) to its matches; insertion-ordered
 * @since 0.1.0
 */
public record SearchResultDTO(String query, Map<String, Scope> scopes) {

    /**
     * @param total matches in the scope
     * @param items at most the requested number, ordered by name; each a display name and the
     *              name of the thing it links to
     */
    public record Scope(long total, List<Item> items) {
    }

    /**
     * @param label  what to show, e.g. {@code libssl3 (3.0.11-1~deb12u2 - Debian 12)}
     * @param target the host, image, package, source package or kernel name it links to
     */
    public record Item(String label, String target) {
    }
}
