package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Case-insensitive substring search over every named thing (SPEC §5.4), on every database.
 *
 * @since 0.1.0
 */
@ProviderType
public interface SearchService {

    /** The scopes, in display order. */
    java.util.List<String> SCOPES = java.util.List.of("hosts", "images", "packages", "source-packages", "kernels",
            "package-versions", "source-package-versions");

    /**
     * @param query      the text to find; callers enforce a minimum length
     * @param scope      one of {@link #SCOPES}, or null for all
     * @param maxResults items per scope, at least 1
     */
    SearchResultDTO search(String query, String scope, int maxResults);
}
