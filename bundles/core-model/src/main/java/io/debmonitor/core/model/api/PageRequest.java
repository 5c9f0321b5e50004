package io.debmonitor.core.model.api;

import java.util.Set;

/**
 * Which page of a table to read, and in which order (SPEC §5.1).
 *
 * @param page       1-based; past the end gives an empty page
 * @param size       1..10,000
 * @param sort       one of the table's sort keys, or null for the table's default order
 * @param descending reverse the order of {@code sort}; ignored when {@code sort} is null
 * @param after      keyset paging, for reads that walk a whole table in chunks ({@link #keyset}):
 *                   the key of the last row of the previous chunk, empty for the first chunk (the
 *                   service says which key and order); null for paging by page number (since 0.4.0)
 * @since 0.1.0
 */
public record PageRequest(int page, int size, String sort, boolean descending, String after) {

    /**
     * @throws IllegalArgumentException when page or size is out of range
     */
    public PageRequest {
        PageDTO.check(page, size);
    }

    /** A page by number. */
    public PageRequest(int page, int size, String sort, boolean descending) {
        this(page, size, sort, descending, null);
    }

    /**
     * @param after the key of the last row of the previous chunk, or null for the first chunk
     * @return the first {@code size} rows after {@code after} in the table's keyset order
     * @since 0.4.0
     */
    public static PageRequest keyset(String after, int size) {
        return new PageRequest(1, size, null, false, after == null ? "" : after);
    }

    /** @return true for a keyset read ({@link #keyset}); {@code after} is then empty for the first chunk */
    public boolean isKeyset() {
        return after != null;
    }

    /** @return the first page in the default order */
    public static PageRequest first(int size) {
        return new PageRequest(1, size, null, false);
    }

    /** @return the number of rows before this page; 0 for a keyset read */
    public long offset() {
        return isKeyset() ? 0 : (long) (page - 1) * size;
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
