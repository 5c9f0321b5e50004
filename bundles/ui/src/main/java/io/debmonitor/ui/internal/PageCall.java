package io.debmonitor.ui.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Response;

import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.UpgradeFilter;

/** One request to a page that passed the access check: its parameters, and how to answer it. */
final class PageCall {

    private final Pages pages;
    /** The settings when the request started, so that one request never mixes two configurations. */
    final UiSettings settings;
    final HttpServletRequest request;
    final CallerDTO caller;
    /** True when the caller asked for JSON (SPEC §5.1) or for an export, which is refused and fails as JSON does. */
    final boolean json;
    /** The export the caller asked for, one the page offers (e.g. {@code cyclonedx}); null for the page or its JSON. */
    final String export;
    /** The exports the page names; csv and jsonl come with any table. */
    final Set<String> exports;
    /** In a table export ({@link TableExport}): the rows its table shows instead of page and size; else null. */
    final Chunk chunk;
    /** The rows the handler gave its table, which a table export writes; null while it has none. */
    List<?> tableRows;
    /** The column whose value keys the table's keyset reads (see {@link #table(Set, List, String)}); null when it has none. */
    String keysetColumn;

    /**
     * One chunk of a table export: page {@code page} of {@code size} rows, or, for a table read by
     * keyset, the rows after the key {@code after} (null for the first chunk).
     */
    record Chunk(int page, int size, String after) {
    }

    PageCall(Pages pages, UiSettings settings, HttpServletRequest request, CallerDTO caller, boolean json, String export,
            Set<String> exports, Chunk chunk) {
        this.pages = pages;
        this.settings = settings;
        this.request = request;
        this.caller = caller;
        this.json = json;
        this.export = export;
        this.exports = exports;
        this.chunk = chunk;
    }

    /** @return this request again, for the chunk after this one of its table export */
    PageCall nextChunk() {
        String after = null;
        if (keysetColumn != null && !tableRows.isEmpty()) {
            Object key = ((Map<?, ?>) tableRows.get(tableRows.size() - 1)).get(keysetColumn);
            after = String.valueOf(key);
        }
        return new PageCall(pages, settings, request, caller, json, export, exports, new Chunk(chunk.page() + 1, chunk.size(), after));
    }

    /** @return the query parameter, or null when absent or blank (as an empty form field sends it) */
    String param(String name) {
        return Pages.blankToNull(request.getParameter(name));
    }

    /** @return the {@code upgrades=all|upgradable|security} filter */
    UpgradeFilter upgrades() {
        String value = param("upgrades");
        if (value == null) {
            return UpgradeFilter.ALL;
        }
        switch (value) {
            case "all": return UpgradeFilter.ALL;
            case "upgradable": return UpgradeFilter.UPGRADABLE;
            case "security": return UpgradeFilter.SECURITY;
            default: throw PageException.badRequest("upgrades must be all, upgradable or security.");
        }
    }

    /** @return the {@code kind=host|image} filter, or null for both */
    EntityKind kind() {
        String value = param("kind");
        if (value == null) {
            return null;
        }
        switch (value) {
            case "host": return EntityKind.HOST;
            case "image": return EntityKind.IMAGE;
            default: throw PageException.badRequest("kind must be host or image.");
        }
    }

    /** @return a {@code name=true|false} filter such as {@code in_use} or {@code stale}, or null for all */
    Boolean flag(String name) {
        String value = param(name);
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            default: throw PageException.badRequest(name + " must be true or false.");
        }
    }

    /**
     * Reads and checks {@code page}, {@code size}, {@code sort} and {@code dir}. In a table export,
     * refuses a format other than csv or jsonl, naming those with the page's own.
     *
     * @param sortKeys the table's sort keys
     * @param filters  the table's filter parameters, kept in its sort and pager links
     */
    Table table(Set<String> sortKeys, List<String> filters) {
        return table(sortKeys, filters, null);
    }

    /**
     * As {@link #table(Set, List)}, for a table whose service reads it by keyset
     * ({@link io.debmonitor.core.model.api.PageRequest#keyset}): an export walks it in that order,
     * each row once even while reports change the table.
     *
     * @param keysetColumn the item key that holds each row's keyset key
     */
    Table table(Set<String> sortKeys, List<String> filters, String keysetColumn) {
        if (chunk != null && !TableExport.FORMATS.contains(param("format"))) {
            Set<String> offered = new HashSet<>(exports);
            offered.addAll(TableExport.FORMATS);
            throw PageException.badRequest(Pages.formatRefusal(param("format"), offered));
        }
        Map<String, String> state = new LinkedHashMap<>();
        for (String filter : filters) {
            state.put(filter, param(filter));
        }
        return new Table(this, request.getRequestURI(), sortKeys, state, keysetColumn);
    }

    Response html(String template, Map<String, Object> model) {
        return pages.html(this, 200, template, model);
    }

    Response json(Map<String, Object> body) {
        return pages.json(200, body);
    }

    /** @return {@code body} as a file to save, named {@code fileName} */
    Response attachment(String type, String fileName, String body) {
        return pages.attachment(type, fileName, body);
    }

    /** @return the JSON body or the HTML page, whichever the caller asked for */
    Response respond(String template, Map<String, Object> model, Map<String, Object> json) {
        return this.json ? json(json) : html(template, model);
    }

    Response error(int status, String message) {
        return pages.error(this, status, message);
    }
}
