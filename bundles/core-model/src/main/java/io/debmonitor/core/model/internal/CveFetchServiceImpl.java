package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFetchCheckDTO;
import io.debmonitor.core.model.api.CveFetchCheckDTO.Result;
import io.debmonitor.core.model.api.CveFetchService;
import io.debmonitor.core.model.api.CveListImportDTO;
import io.debmonitor.core.model.api.CveListKind;
import io.debmonitor.core.model.api.CveSnapshotDTO;

/**
 * The fetch of CVE.md §2.1: per configured URL a conditional GET ({@link CveHttp}), then the
 * import through {@link CveFeedService}, as a file or an upload is imported. The {@code cve-fetch}
 * lease keeps one fetch running at a time across nodes; the checks are rows of {@code cve_fetch}.
 */
@Component(service = CveFetchService.class, configurationPid = CveFetchSettings.PID)
@Designate(ocd = CveFetchConfiguration.class)
public class CveFetchServiceImpl implements CveFetchService {

    static final String LEASE = "cve-fetch";
    /** Long enough for a download and its import; renewed while a body streams and after each URL. */
    private static final Duration LEASE_LENGTH = Duration.ofMinutes(60);
    private static final String COLUMNS = "kind, url, checked, result, http_status, last_modified, sha256, summary, error, imported,"
            + " imported_last_modified, imported_sha256";

    private final Logger logger = LoggerFactory.getLogger(CveFetchServiceImpl.class);
    private final Database database;
    private final CveFeedService feed;
    private final Clock clock;
    private final JobLease lease;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    /** Replaced whole on a configuration change; a fetch reads it once. */
    private volatile CveFetchSettings settings;

    /** A {@code cve_fetch} row; {@code imported*} are those of the URL the row names. */
    private record Row(CveFetchCheckDTO check, String importedSha256) {
    }

    /** @throws IllegalArgumentException when the configuration is invalid: the component does not activate */
    @Activate
    public CveFetchServiceImpl(@Reference Database database, @Reference CveFeedService feed, CveFetchConfiguration config) {
        this(database, feed, CveFetchSettings.of(config), Clock.systemUTC());
    }

    CveFetchServiceImpl(Database database, CveFeedService feed, CveFetchSettings settings, Clock clock) {
        this.database = database;
        this.feed = feed;
        this.clock = clock;
        this.lease = new JobLease(database, LEASE, LEASE_LENGTH, clock);
        apply(settings);
    }

    /** @throws IllegalArgumentException when the configuration is invalid: the previous settings stay in force */
    @Modified
    void modified(CveFetchConfiguration config) {
        apply(CveFetchSettings.of(config));
    }

    private void apply(CveFetchSettings settings) {
        if (settings.caFile() != null) {
            // Fails here, not at the first fetch, when caFile cannot be used.
            CveHttp.sslContext(settings.caFile());
        }
        boolean https = settings.urls().values().stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme()));
        if (https && CveHttp.tunnelingCredentialsBlocked(settings)) {
            logger.warn("{}: the proxy's credentials are not sent for https URLs (CONNECT) while the JVM system property {} lists Basic"
                    + " (its default); set it to empty at startup (etc/system.properties) if the proxy asks for them", CveFetchSettings.PID,
                    CveHttp.TUNNELING_PROPERTY);
        }
        this.settings = settings;
        logger.info("cve fetch: {}, URLs {}{}", settings.enabled() ? "scheduled at '" + settings.schedule() + "'" : "not scheduled",
                settings.urls().values(), settings.proxy() == null ? "" : ", through the proxy " + settings.proxy());
    }

    @Override
    public List<CveFetchCheckDTO> fetch(boolean force) {
        if (!feed.enabled()) {
            throw new IllegalStateException(CveFeedServiceImpl.DISABLED);
        }
        String holder = holder();
        if (!lease.acquire(holder)) {
            throw new IllegalStateException("A CVE fetch is already running (on this node or another); try again when it has ended.");
        }
        return fetchAndRelease(holder, force);
    }

    @Override
    public Optional<List<CveFetchCheckDTO>> fetchScheduled(Instant slot) {
        if (!settings.enabled() || !feed.enabled()) {
            return Optional.empty();
        }
        String holder = holder();
        if (!lease.acquire(holder, slot)) {
            logger.info("cve fetch: the fetch for {} started elsewhere or another fetch holds the lease; skipped here", slot);
            return Optional.empty();
        }
        return Optional.of(fetchAndRelease(holder, false));
    }

    private List<CveFetchCheckDTO> fetchAndRelease(String holder, boolean force) {
        try {
            if (!feed.enabled()) {
                throw new IllegalStateException(CveFeedServiceImpl.DISABLED);
            }
            CveFetchSettings current = settings;
            // A client per run: its selector thread ends with it, and a run comes every few hours.
            CveHttp http = new CveHttp(current);
            Map<String, Row> rows = rows();
            List<CveFetchCheckDTO> checks = new ArrayList<>();
            for (Map.Entry<String, URI> url : current.urls().entrySet()) {
                checks.add(check(http, url.getKey(), url.getValue(), rows.get(url.getKey()), force, holder));
                lease.renew(holder);
            }
            return checks;
        } finally {
            lease.release(holder);
        }
    }

    /** @return the sha256 of the data of this kind readers use now, or null */
    private String activeSha256(String kind) {
        if (kind.equals("feed")) {
            return feed.active().map(CveSnapshotDTO::sha256).orElse(null);
        }
        CveListKind list = CveListKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        return feed.lists().stream().filter(i -> i.kind() == list && "active".equals(i.result())).map(CveListImportDTO::sha256).findFirst()
                .orElse(null);
    }

    /** Fetches one URL, imports what is new, and records the check. */
    private CveFetchCheckDTO check(CveHttp http, String kind, URI url, Row row, boolean force, String holder) {
        // The last import counts only for the URL it came from, and only while its data is the active one: after a
        // manual import of another file, the next fetch downloads the URL again instead of answering "unchanged".
        CveFetchCheckDTO last = row == null || !url.toString().equals(row.check().url()) ? null : row.check();
        boolean stillActive = last != null && row.importedSha256() != null && row.importedSha256().equals(activeSha256(kind));
        Instant ifModifiedSince = force || !stillActive ? null : last.importedLastModified();
        String lastSha256 = force || !stillActive ? null : row.importedSha256();
        Instant imported = last == null ? null : last.imported();
        Instant importedLastModified = last == null ? null : last.importedLastModified();
        String importedSha256 = last == null ? null : row.importedSha256();
        CveFetchCheckDTO check;
        Path file = null;
        CveHttp.Response response = null;
        try {
            file = Files.createTempFile("debmonitor-cve-fetch-", "." + kind);
            response = http.get(url, ifModifiedSince, file, () -> lease.renew(holder));
            if (response.lastModified() == null && response.lastModifiedHeader() != null) {
                logger.warn("cve fetch: {} {}: the Last-Modified '{}' is no HTTP date (RFC 1123); the check records none", kind, url,
                        response.lastModifiedHeader());
            }
            if (response.status() == 304) {
                check = check(kind, url, Result.NOT_MODIFIED, response, null, null, imported, importedLastModified);
            } else if (response.sha256().equals(lastSha256)) {
                check = check(kind, url, Result.UNCHANGED, response, null, null, now(), lastModified(response, importedLastModified));
                importedSha256 = response.sha256();
            } else {
                String summary = importFile(kind, file, url, response);
                Result result = summary == null ? Result.UNCHANGED : Result.IMPORTED;
                check = check(kind, url, result, response, summary, null, now(), result == Result.UNCHANGED
                        ? lastModified(response, importedLastModified) : response.lastModified());
                importedSha256 = response.sha256();
            }
        } catch (CveHttp.FetchException e) {
            check = new CveFetchCheckDTO(kind, url.toString(), now(), Result.FAILED, e.status, null, null, null, e.getMessage(), imported,
                    importedLastModified);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The file did not import (not a feed, another import running): the active data stays.
            check = check(kind, url, Result.FAILED, response, null, e.getMessage(), imported, importedLastModified);
        } catch (IOException e) {
            check = new CveFetchCheckDTO(kind, url.toString(), now(), Result.FAILED, null, null, null, null,
                    "cannot store the download: " + e.getMessage(), imported, importedLastModified);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            check = new CveFetchCheckDTO(kind, url.toString(), now(), Result.FAILED, null, null, null, null, "interrupted", imported,
                    importedLastModified);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    logger.warn("cve fetch: cannot delete {}: {}", file, e.getMessage());
                }
            }
        }
        record(check, importedSha256);
        if (check.result() == Result.FAILED) {
            logger.warn("cve fetch: {} {} failed; the data imported before stays: {}", kind, url, check.error());
        } else {
            logger.info("cve fetch: {} {}: {}{}", kind, url, check.result().label(), check.summary() == null ? "" : ": " + check.summary());
        }
        return check;
    }

    /** A response's Last-Modified, or (a server that dropped it) the one known before for the same content. */
    private static Instant lastModified(CveHttp.Response response, Instant before) {
        return response.lastModified() != null ? response.lastModified() : before;
    }

    private CveFetchCheckDTO check(String kind, URI url, Result result, CveHttp.Response response, String summary, String error,
            Instant imported, Instant importedLastModified) {
        return new CveFetchCheckDTO(kind, url.toString(), now(), result, response == null ? null : response.status(),
                response == null ? null : response.lastModified(), response == null ? null : response.sha256(), summary, error, imported,
                importedLastModified);
    }

    /**
     * Imports a fetched file.
     *
     * @return what it imported, or null when the import found it equal to the active data
     */
    private String importFile(String kind, Path file, URI url, CveHttp.Response response) {
        if (kind.equals("feed")) {
            CveSnapshotDTO snapshot = feed.importFeed(file, url.toString(), response.lastModified());
            return "unchanged".equals(snapshot.result()) ? null : summary(snapshot);
        }
        return importList(kind, file, url, response);
    }

    /** The side files. */
    private String importList(String kind, Path file, URI url, CveHttp.Response response) {
        CveListKind list = switch (kind) {
            case "distributions" -> CveListKind.DISTRIBUTIONS;
            case "dsa" -> CveListKind.DSA;
            case "dla" -> CveListKind.DLA;
            default -> throw new IllegalArgumentException("no such kind " + kind);
        };
        CveListImportDTO imported = feed.importList(list, file, url.toString(), response.lastModified());
        return "unchanged".equals(imported.result()) ? null : summary(imported);
    }

    /** e.g. {@code import 4: 2 advisories, 0 skipped} */
    static String summary(CveListImportDTO i) {
        return "import " + i.id() + ": " + i.entries() + (i.kind() == CveListKind.DISTRIBUTIONS ? " codenames" : " advisories") + ", "
                + i.skipped() + " skipped";
    }

    /** e.g. {@code snapshot 12: bookworm 1200, sid 1500 rows, 2 skipped; 3 added, 1 removed, 2 changed} */
    static String summary(CveSnapshotDTO s) {
        String rows = s.rowsByRelease().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "snapshot " + s.id() + ": " + (rows.isEmpty() ? "no" : rows) + " rows, " + s.skipped() + " skipped"
                + (s.added() == null ? "" : "; " + s.added() + " added, " + s.removed() + " removed, " + s.changed() + " changed");
    }

    @Override
    public List<CveFetchCheckDTO> checks() {
        return rows().values().stream().map(Row::check).filter(c -> c.checked() != null).toList();
    }

    @Override
    public String schedule() {
        CveFetchSettings current = settings;
        return current.enabled() ? current.schedule() : null;
    }

    /** @return the rows by kind, in fetch order */
    private Map<String, Row> rows() {
        List<Row> rows = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_fetch")) {
                return Rows.list(ps, rs -> {
                    Integer status = rs.getInt(5);
                    if (rs.wasNull()) {
                        status = null;
                    }
                    String result = rs.getString(4);
                    return new Row(new CveFetchCheckDTO(rs.getString(1), rs.getString(2), Rows.utc(rs, 3),
                            result == null ? null : Result.valueOf(result.toUpperCase(java.util.Locale.ROOT)), status, Rows.utc(rs, 6),
                            rs.getString(7), rs.getString(8), rs.getString(9), Rows.utc(rs, 10), Rows.utc(rs, 11)), rs.getString(12));
                });
            }
        });
        Map<String, Row> byKind = new java.util.LinkedHashMap<>();
        for (String kind : CveFetchSettings.KINDS) {
            rows.stream().filter(r -> r.check().kind().equals(kind)).findFirst().ifPresent(r -> byKind.put(kind, r));
        }
        return byKind;
    }

    private void record(CveFetchCheckDTO check, String importedSha256) {
        try {
            database.writeInBackground("cve fetch " + check.kind(), c -> Rows.update(c, "update cve_fetch set url = ?, checked = ?,"
                    + " result = ?, http_status = ?, last_modified = ?, sha256 = ?, summary = ?, error = ?, imported = ?,"
                    + " imported_last_modified = ?, imported_sha256 = ? where kind = ?", check.url(), utc(check.checked()),
                    check.result().token(), check.httpStatus(), utc(check.lastModified()), check.sha256(), check.summary(), check.error(),
                    utc(check.imported()), utc(check.importedLastModified()), check.imported() == null ? null : importedSha256, check.kind()));
        } catch (RuntimeException e) {
            logger.warn("cve fetch: could not record the check of {}: {}", check.url(), e.getMessage());
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private String holder() {
        return node + "/" + UUID.randomUUID();
    }
}
