package io.debmonitor.ui.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/**
 * One paged, sorted, filtered table of a page (SPEC §5.1): the checked request, its JSON form,
 * and the links of its headers and pager. In a table export the request is the export's chunk,
 * and the table hands its rows to the {@link PageCall}.
 */
final class Table {

    /** Keys whose first click sorts descending: counts, times and urgency, where the largest, newest or highest matter. */
    private static final Set<String> DESCENDING_FIRST = Set.of("packages", "upgrades", "security", "installed", "versions",
            "hosts", "containers", "modified", "images", "fixable", "urgency");

    /** Parameters that choose what a page shows rather than filter its table: kept by the filter form and its reset. */
    static final List<String> VIEW_PARAMETERS = List.of("tab", "as_of");

    private final PageCall call;
    final PageRequest request;
    /** The sort key asked for, or null for the table's default order. */
    final String sort;
    /** "asc" or "desc" when a sort key was asked for, else null. */
    final String dir;
    private final String path;
    private final Set<String> sortKeys;
    /** Filters, then sort, dir and size as given: what every link of the table keeps. */
    private final Map<String, String> state;

    Table(PageCall call, String path, Set<String> sortKeys, Map<String, String> filters, String keysetColumn) {
        this.call = call;
        this.path = path;
        this.sortKeys = sortKeys;
        int page;
        int size;
        if (call.chunk != null) {
            if (call.param("page") != null || call.param("size") != null) {
                throw PageException.badRequest("format=" + call.export + " takes no page or size: an export holds every row.");
            }
            page = call.chunk.page();
            size = call.chunk.size();
        } else {
            page = integer(call.param("page"), 1, "page must be a whole number of at least 1.");
            if (page < 1) {
                throw PageException.badRequest("page must be a whole number of at least 1.");
            }
            int maxSize = call.settings.maxPageSize;
            String sizeMessage = "size must be a whole number from 1 to " + maxSize + ".";
            size = integer(call.param("size"), call.settings.pageSize, sizeMessage);
            if (size < 1 || size > maxSize) {
                throw PageException.badRequest(sizeMessage);
            }
        }
        sort = call.param("sort");
        if (sort != null && !sortKeys.contains(sort)) {
            throw PageException.badRequest("Unknown sort key '" + sort + "'; one of " + String.join(", ", new TreeSet<>(sortKeys)) + ".");
        }
        String givenDir = call.param("dir");
        if (givenDir != null && !givenDir.equals("asc") && !givenDir.equals("desc")) {
            throw PageException.badRequest("dir must be asc or desc.");
        }
        dir = sort == null ? null : givenDir == null ? "asc" : givenDir;
        if (call.chunk != null && keysetColumn != null) {
            call.keysetColumn = keysetColumn;
            request = PageRequest.keyset(call.chunk.after(), size);
        } else {
            request = new PageRequest(page, size, sort, "desc".equals(dir));
        }
        state = new LinkedHashMap<>(filters);
        state.put("sort", sort);
        state.put("dir", sort == null ? null : givenDir);
        state.put("size", call.param("size"));
    }

    /** @return {@code {"page", "size", "total", "sort", "dir", "items"}} */
    Map<String, Object> json(PageDTO<?> page, List<?> items) {
        call.tableRows = items;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("page", page.page());
        json.put("size", page.size());
        json.put("total", page.total());
        json.put("sort", sort);
        json.put("dir", dir);
        json.put("items", items);
        return json;
    }

    /**
     * The template's view: the counts and links of the pager ({@code first}, {@code prev},
     * {@code next}, {@code last}: null where there is nowhere to go), the header links by sort
     * key ({@code headers[key].url}, {@code .order} "ascending", "descending" or absent), and the
     * current parameters ({@code params}) for the filter form, and the links of the table's
     * files ({@code exports.csv}, {@code exports.jsonl}: every row, in the current filters and order).
     */
    Map<String, Object> view(PageDTO<?> page, List<?> items) {
        call.tableRows = items;
        long pages = Math.max(1, (page.total() + page.size() - 1) / page.size());
        int current = page.page();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("items", items);
        view.put("path", path);
        view.put("page", current);
        view.put("pages", pages);
        view.put("size", page.size());
        view.put("total", page.total());
        long from = request.offset() + 1;
        view.put("from", items.isEmpty() ? 0 : from);
        view.put("to", items.isEmpty() ? 0 : from + items.size() - 1);
        view.put("first", current > 1 ? pageUrl(1) : null);
        view.put("prev", current > 1 ? pageUrl(Math.min(current - 1, pages)) : null);
        view.put("next", current < pages ? pageUrl(current + 1) : null);
        view.put("last", current < pages ? pageUrl(pages) : null);
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String key : sortKeys) {
            Map<String, Object> header = new LinkedHashMap<>();
            boolean active = key.equals(sort);
            String next = active ? ("asc".equals(dir) ? "desc" : "asc") : DESCENDING_FIRST.contains(key) ? "desc" : "asc";
            Map<String, String> linkState = new LinkedHashMap<>(state);
            linkState.put("sort", key);
            linkState.put("dir", next);
            header.put("url", Links.withQuery(path, linkState));
            if (active) {
                header.put("order", "asc".equals(dir) ? "ascending" : "descending");
            }
            headers.put(key, header);
        }
        view.put("headers", headers);
        Map<String, String> params = new LinkedHashMap<>();
        state.forEach((key, value) -> {
            if (value != null) {
                params.put(key, value);
            }
        });
        view.put("params", params);
        Map<String, String> exports = new LinkedHashMap<>();
        for (String format : List.of(TableExport.CSV, TableExport.JSONL)) {
            Map<String, String> exportState = new LinkedHashMap<>(state);
            exportState.remove("size");
            exportState.put("format", format);
            exports.put(format, Links.withQuery(path, exportState));
        }
        view.put("exports", exports);
        Map<String, String> viewState = new LinkedHashMap<>();
        for (String key : VIEW_PARAMETERS) {
            viewState.put(key, state.get(key));
        }
        view.put("reset", Links.withQuery(path, viewState));
        view.put("filtered", state.entrySet().stream().anyMatch(e -> e.getValue() != null
                && !Set.of("sort", "dir", "size").contains(e.getKey()) && !VIEW_PARAMETERS.contains(e.getKey())));
        return view;
    }

    /** @return the items as table rows without group headers: each {@code {"item": item}} */
    static List<Map<String, Object>> plainRows(List<Map<String, Object>> items) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(items.size());
        for (Map<String, Object> item : items) {
            rows.add(Map.of("item", item));
        }
        return rows;
    }

    private String pageUrl(long page) {
        Map<String, String> linkState = new LinkedHashMap<>(state);
        if (page > 1) {
            linkState.put("page", Long.toString(page));
        }
        return Links.withQuery(path, linkState);
    }

    private static int integer(String value, int absent, String message) {
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw PageException.badRequest(message);
        }
    }
}
