package io.debmonitor.core.model.api;

import java.util.List;

/**
 * One page of a server-side paged list.
 *
 * @param page  1-based page number
 * @param size  page size asked for
 * @param total number of items over all pages
 * @param items this page's items; empty past the end, never null
 * @since 0.1.0
 */
public record PageDTO<T>(int page, int size, long total, List<T> items) {

    public PageDTO {
        items = List.copyOf(items);
    }

    /**
     * @throws IllegalArgumentException when page is below 1 or size outside 1..10,000
     */
    public static void check(int page, int size) {
        if (page < 1 || size < 1 || size > 10_000) {
            throw new IllegalArgumentException("page must be at least 1 and size between 1 and 10000");
        }
    }
}
