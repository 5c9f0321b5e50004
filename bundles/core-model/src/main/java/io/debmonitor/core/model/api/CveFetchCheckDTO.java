package io.debmonitor.core.model.api;

import java.time.Instant;

/**
 * One check of one URL by the CVE fetch (CVE.md §2.1): what {@link CveFetchService#fetch} returns
 * per URL, and the last check of each URL as every node sees it.
 *
 * @param kind                 {@code feed}, {@code distributions}, {@code dsa} or {@code dla}
 * @param url                  the URL fetched (before any redirect)
 * @param checked              when the check ended
 * @param result               what came of it
 * @param httpStatus           the status of the last response (after redirects), or null when none came
 * @param lastModified         the response's {@code Last-Modified}, or null
 * @param sha256               of the body received (decompressed), or null when none was
 * @param summary              for an import, what it imported (e.g. the snapshot, its rows and diff); else null
 * @param error                why it failed, or null
 * @param imported             when a response of this URL was last imported (or found equal to what was
 *                             active), or null: its {@code Last-Modified} is the next
 *                             {@code If-Modified-Since}
 * @param importedLastModified that response's {@code Last-Modified}, or null
 * @since 0.6.0
 */
public record CveFetchCheckDTO(String kind, String url, Instant checked, Result result, Integer httpStatus, Instant lastModified,
        String sha256, String summary, String error, Instant imported, Instant importedLastModified) {

    /** What came of a check. */
    public enum Result {
        /** The body was new and is imported. */
        IMPORTED("imported"),
        /** The server answered 304 to {@code If-Modified-Since}. */
        NOT_MODIFIED("unchanged (304)"),
        /** The body had the sha256 of the last import: nothing imported. */
        UNCHANGED("unchanged (sha256)"),
        /** A network error, a status other than 200 and 304, a body over the limit or a file that does not import. */
        FAILED("failed");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        /** @return how the shell and the page say it, e.g. {@code unchanged (304)} */
        public String label() {
            return label;
        }

        /** @return the JSON token, e.g. {@code not_modified} */
        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
