package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Which page of a table to read, and in which order (SPEC §5.1).
 *
 * @param page       1-based; past the end gives an empty page
 * @param size       1..10,000
 * @param sort       one of the table's sort keys, or null for the table's default order
 * @param descending reverse the order of {@code sort}; ignored when {@code sort} is null
 * @since 0.1.0
 */
public record PageRequest(int page, int size, String sort, boolean descending) {

    /**
     * @throws IllegalArgumentException when page or size is out of range
     */
    public PageRequest {
        PageDTO.check(page, size);
    }

    /** @return the first page in the default order */
    public static PageRequest first(int size) {
        return new PageRequest(1, size, null, false);
    }

    /** @return the number of rows before this page */
    public long offset() {
        return (long) (page - 1) * size;
    }

    /**
     * @param keys the table's sort keys
     * @throws IllegalArgumentException when {@code sort} is set and not one of {@code keys}
     */
    public void checkSort(Set<String> keys) {
        if (sort != null && !keys.contains(sort)) {
            throw new IllegalArgumentException("Unknown sort key '" + sort + "'; one of " + String.join(", ", new java.util.TreeSet<>(keys)) + ".");
        }
    }
}
