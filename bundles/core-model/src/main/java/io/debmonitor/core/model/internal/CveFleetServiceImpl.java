package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.CveDashboardDTO;
import io.debmonitor.core.model.api.CveEntityFindingDTO;
import io.debmonitor.core.model.api.CveFeedService;
import io.debmonitor.core.model.api.CveFilter;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveFleetService;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveIssueRowDTO;
import io.debmonitor.core.model.api.CveSnapshotDTO;
import io.debmonitor.core.model.api.CveSubState;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/**
 * The fleet's CVE views, from the findings the {@link CveRefresher} stores. /cves/ and the dashboard
 * aggregate a grouped scan of those rows (one per entity and issue: the primary rows), kept in
 * memory for a minute like the package counts and dropped when this node's refresher changes rows;
 * /cves/{id} reads the issue's rows by index and computes the finding objects of one page.
 */
@Component(service = CveFleetService.class, configurationPid = "io.debmonitor.cve")
public class CveFleetServiceImpl implements CveFleetService {

    private static final String TRACKER = "https://security-tracker.debian.org/tracker/";

    private final Database database;
    private final CveFeedService feed;
    private final Clock clock;
    private final Duration maxAge;
    private final BackgroundValue<Cube> cube;
    private final CveRefresher refresher;
    private final Runnable invalidation;

    /** Entities with the primary finding of one issue in one state, per kind and OS; accepted: an exception accepts it. */
    private record Cell(String issue, EntityKind kind, String os, CveVerdict verdict, CveSubState subState, String fix, String urgency,
            boolean accepted, long entities) {
    }

    private record Cube(List<Cell> cells, Map<String, Set<String>> sources, long fixableHighHosts, long fixableHighImages,
            long rebootRequired, long notCovered, long notAssessed) {
    }

    @Activate
    public CveFleetServiceImpl(@Reference Database database, @Reference CveFeedService feed, @Reference CveRefresher refresher,
            CveConfiguration config) {
        this(database, feed, refresher, Clock.systemUTC(), Duration.ofHours(config.maxAgeHours()), Duration.ofMinutes(1));
    }

    CveFleetServiceImpl(Database database, CveFeedService feed, CveRefresher refresher, Clock clock, Duration feedMaxAge,
            Duration countsMaxAge) {
        this.database = database;
        this.feed = feed;
        this.clock = clock;
        this.maxAge = feedMaxAge;
        this.cube = new BackgroundValue<>("CVE counts", countsMaxAge, () -> database.query(CveFleetServiceImpl::cube));
        this.refresher = refresher;
        this.invalidation = cube::invalidate;
        refresher.onChange(invalidation);
    }

    @Deactivate
    void deactivate() {
        refresher.removeOnChange(invalidation);
        cube.close();
    }

    @Override
    public PageDTO<CveIssueRowDTO> issues(CveFilter filter, PageRequest page) {
        page.checkSort(ISSUE_SORTS);
        Cube counts = cube.get();
        String q = filter.q() == null ? null : filter.q().toLowerCase(Locale.ROOT);
        Map<String, IssueTotals> byIssue = new TreeMap<>();
        for (Cell cell : counts.cells()) {
            if ((filter.kind() != null && cell.kind() != filter.kind()) || (filter.os() != null && !filter.os().equals(cell.os()))
                    || (filter.urgency() != null && !filter.urgency().equals(cell.urgency()))
                    || !filter.inState(cell.verdict(), cell.subState(), cell.accepted()) || !filter.visible(cell.verdict(), cell.subState())) {
                continue;
            }
            Set<String> sources = counts.sources().getOrDefault(cell.issue(), Set.of());
            if (q != null && !cell.issue().toLowerCase(Locale.ROOT).contains(q) && sources.stream().noneMatch(s -> s.contains(q))) {
                continue;
            }
            byIssue.computeIfAbsent(cell.issue(), k -> new IssueTotals(sources)).add(cell);
        }
        Comparator<CveIssueRowDTO> order = switch (page.sort() == null ? "" : page.sort()) {
            case "cve" -> Comparator.comparing(CveIssueRowDTO::cve);
            case "urgency" -> Comparator.comparingInt((CveIssueRowDTO r) -> CveServiceImpl.urgencyRank(r.urgency()));
            case "hosts" -> Comparator.comparingLong(CveIssueRowDTO::hosts);
            case "images" -> Comparator.comparingLong(CveIssueRowDTO::images);
            case "fixable" -> Comparator.comparingLong(CveIssueRowDTO::fixable);
            default -> Comparator.comparingLong(CveIssueRowDTO::fixable).reversed()
                    .thenComparing(Comparator.comparingInt((CveIssueRowDTO r) -> CveServiceImpl.urgencyRank(r.urgency())).reversed());
        };
        if (page.sort() != null && page.descending()) {
            order = order.reversed();
        }
        List<CveIssueRowDTO> rows = byIssue.entrySet().stream().map(e -> e.getValue().row(e.getKey()))
                .sorted(order.thenComparing(CveIssueRowDTO::cve)).toList();
        int from = (int) Math.min(rows.size(), page.offset());
        return new PageDTO<>(page.page(), page.size(), rows.size(), rows.subList(from, Math.min(rows.size(), from + page.size())));
    }

    /** One issue's totals over the cells that pass the filter. */
    private static final class IssueTotals {
        private final Set<String> sources;
        private long hosts;
        private long images;
        private long fixable;
        private String urgency;
        private final Map<String, Long> states = new TreeMap<>();

        IssueTotals(Set<String> sources) {
            this.sources = sources;
        }

        void add(Cell cell) {
            if (cell.kind() == EntityKind.HOST) {
                hosts += cell.entities();
            } else {
                images += cell.entities();
            }
            if ("available".equals(cell.fix()) && !cell.accepted()) {
                fixable += cell.entities();
            }
            if (urgency == null || CveServiceImpl.urgencyRank(cell.urgency()) > CveServiceImpl.urgencyRank(urgency)) {
                urgency = cell.urgency();
            }
            states.merge(cell.accepted() ? CveFilter.ACCEPTED : cell.subState() != null ? cell.subState().name() : cell.verdict().name(),
                    cell.entities(), Long::sum);
        }

        CveIssueRowDTO row(String issue) {
            return new CveIssueRowDTO(issue, List.copyOf(sources), urgency, hosts, images, fixable, states);
        }
    }

    @Override
    public Optional<CveIssueDTO> issue(String id) {
        return database.query(c -> {
            CveServiceImpl.Snapshot snapshot = CveServiceImpl.activeSnapshot(c);
            if (snapshot == null) {
                return Optional.empty();
            }
            List<CveIssueDTO.Debian> debian = new ArrayList<>();
            Set<String> sources = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("select source_name, release_name, status, fixed_version, urgency, nodsa,"
                    + " nodsa_reason, next_point_update, repositories from cve_entry where snapshot_id = ? and issue = ?"
                    + " order by source_name, release_name")) {
                Rows.bind(ps, List.of(snapshot.id(), id));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sources.add(rs.getString(1));
                        debian.add(new CveIssueDTO.Debian(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getBoolean(8), CveServiceImpl.repositories(rs.getString(9))));
                    }
                }
            }
            String description = null;
            String scope = null;
            Long bug = null;
            try (PreparedStatement ps = c.prepareStatement("select description, scope, debianbug from cve_issue where snapshot_id = ? and issue = ?"
                    + " order by source_name")) {
                Rows.bind(ps, List.of(snapshot.id(), id));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        description = description != null ? description : rs.getString(1);
                        scope = scope != null ? scope : rs.getString(2);
                        long value = rs.getLong(3);
                        bug = bug != null || rs.wasNull() ? bug : Long.valueOf(value);
                    }
                }
            }
            if (debian.isEmpty() && description == null) {
                return Optional.empty();
            }
            // Only a row Debian resolved with a fix names the advisory that shipped it (CVE.md §1.7).
            Map<String, String> fixedVersions = new HashMap<>();
            debian.stream().filter(d -> "resolved".equals(d.status()) && d.fixedVersion() != null)
                    .forEach(d -> fixedVersions.put(d.release() + "\n" + d.source(), d.fixedVersion()));
            Map<String, String> advisories = CveListImports.advisories(c, id, fixedVersions);
            if (!advisories.isEmpty()) {
                debian = debian.stream().map(d -> new CveIssueDTO.Debian(d.source(), d.release(), d.status(), d.fixedVersion(), d.urgency(),
                        d.nodsa(), d.nodsaReason(), d.nextPointUpdate(), d.repositories(), advisories.get(d.release() + "\n" + d.source())))
                        .toList();
            }
            List<String> links = new ArrayList<>(List.of(TRACKER + id));
            sources.forEach(source -> links.add(TRACKER + "source-package/" + source));
            return Optional.of(new CveIssueDTO(id, description, scope, bug, links, debian));
        });
    }

    /** A stored finding of one issue on one entity. */
    private record Stored(KindDescriptor kind, long id, String source, CveVerdict verdict, CveSubState subState, java.time.Instant firstSeen) {
    }

    @Override
    public PageDTO<CveEntityFindingDTO> findings(String id, CveFilter filter, PageRequest page) {
        page.checkSort(FINDING_SORTS);
        List<Object> parameters = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        for (KindDescriptor t : KindDescriptor.ALL) {
            if (filter.kind() == null || filter.kind() == t.kind()) {
                selects.add(select(t, id, filter, parameters));
            }
        }
        String union = String.join(" union all ", selects);
        String order = switch (page.sort() == null ? "" : page.sort()) {
            case "entity" -> "name" + (page.descending() ? " desc" : "");
            case "verdict" -> "verdict" + (page.descending() ? " desc" : "") + ", name";
            case "modified" -> "modified" + (page.descending() ? " desc" : "") + ", name";
            default -> "counted desc, verdict, name";
        };
        List<Object> paged = new ArrayList<>(parameters);
        paged.addAll(List.of(page.size(), page.offset()));
        return database.query(c -> {
            long total = total(c, id, filter, union, parameters);
            List<Stored> rows;
            try (PreparedStatement ps = c.prepareStatement("select kind, entity_id, source_name, verdict, sub_state, first_seen from (" + union
                    + ") u order by " + order + ", kind, source_name limit ? offset ?")) {
                Rows.bind(ps, paged);
                rows = Rows.list(ps, rs -> new Stored(rs.getString(1).equals("host") ? KindDescriptor.HOST : KindDescriptor.IMAGE, rs.getLong(2),
                        rs.getString(3), CveVerdict.valueOf(rs.getString(4)), rs.getString(5) == null ? null : CveSubState.valueOf(rs.getString(5)),
                        Rows.utc(rs, 6)));
            }
            return new PageDTO<>(page.page(), page.size(), total, items(c, id, rows));
        });
    }

    /** The findings that pass the filter; without a filter on the entity, counted on the findings' own index, without the join. */
    private static long total(Connection c, String issue, CveFilter filter, String union, List<Object> parameters) throws SQLException {
        if (filter.q() != null || filter.os() != null) {
            return Rows.count(c, "select count(*) from (" + union + ") u", parameters.toArray());
        }
        long total = 0;
        for (KindDescriptor t : KindDescriptor.ALL) {
            if (filter.kind() == null || filter.kind() == t.kind()) {
                List<Object> own = new ArrayList<>(List.of(issue));
                total += Rows.count(c, "select count(*) from " + t.cves() + " x where x.issue = ?" + conditions(filter, own), own.toArray());
            }
        }
        return total;
    }

    /** The conditions of the filter on the findings themselves ({@code x}), their parameters added. */
    private static String conditions(CveFilter filter, List<Object> parameters) {
        StringBuilder sql = new StringBuilder();
        if (!filter.include().contains("all")) {
            if (!filter.include().contains("not-affected")) {
                sql.append(" and x.verdict <> 'NOT_AFFECTED'");
            }
            if (!filter.include().contains("headers")) {
                sql.append(" and x.verdict <> 'KERNEL_HEADERS_ONLY'");
            }
            if (!filter.include().contains("negligible")) {
                sql.append(" and (x.sub_state is null or x.sub_state <> 'NEGLIGIBLE')");
            }
        }
        if (CveFilter.ACCEPTED.equals(filter.state())) {
            sql.append(" and x.accepted");
        } else if (filter.state() != null) {
            // As the state counts count: an accepted finding is in state ACCEPTED, not in its verdict's.
            sql.append(" and not x.accepted and (x.verdict = ? or x.sub_state = ?)");
            parameters.addAll(List.of(filter.state(), filter.state()));
        }
        if (filter.urgency() != null) {
            sql.append(" and x.urgency = ?");
            parameters.add(filter.urgency());
        }
        return sql.toString();
    }

    /** One kind's stored findings of the issue that pass the filter, as the columns the union orders and reads. */
    private static String select(KindDescriptor t, String issue, CveFilter filter, List<Object> parameters) {
        StringBuilder sql = new StringBuilder("select '" + t.kind().word() + "' as kind, e.id as entity_id, e.name as name, e.modified as modified,"
                + " x.source_name as source_name, x.verdict as verdict, x.sub_state as sub_state, x.counted as counted, x.first_seen as first_seen"
                + " from " + t.cves() + " x join " + t.entity() + " e on e.id = x." + t.owner() + " where x.issue = ?");
        parameters.add(issue);
        sql.append(conditions(filter, parameters));
        if (filter.q() != null) {
            sql.append(" and lower(e.name) like ?");
            parameters.add(Rows.contains(filter.q().toLowerCase(Locale.ROOT)));
        }
        if (filter.os() != null) {
            sql.append(" and e.os_id = (select o.id from os o where o.name = ?)");
            parameters.add(filter.os());
        }
        return sql.toString();
    }

    /**
     * The finding objects of a page, computed as the CVE tab computes them from each group's rows
     * only, in the page's read; a finding whose source the entity no longer has keeps its stored
     * state until the refresher removes it.
     */
    private List<CveEntityFindingDTO> items(Connection c, String issue, List<Stored> rows) throws SQLException {
        Map<String, EntityDTO> entities = new HashMap<>();
        for (KindDescriptor t : KindDescriptor.ALL) {
            List<Long> ids = rows.stream().filter(r -> r.kind() == t).map(Stored::id).distinct().toList();
            if (!ids.isEmpty()) {
                Sql.selectIn(c, "select " + t.columns() + ", e.id from " + t.entity() + " e where e.id in (IN_LIST)", List.of(), ids,
                        rs -> entities.put(t.entity() + rs.getLong(KindDescriptor.COLUMNS + 1), t.entity(rs)));
            }
        }
        CveServiceImpl.FeedCache cache = database.cveFeed(c);
        Map<String, CveServiceImpl.Input> inputs = new HashMap<>();
        Map<String, List<CveFindingDTO.Event>> events = new HashMap<>();
        for (KindDescriptor t : KindDescriptor.ALL) {
            List<Long> ids = rows.stream().filter(r -> r.kind() == t).map(Stored::id).distinct().toList();
            if (!ids.isEmpty()) {
                Set<String> sources = new java.util.TreeSet<>(rows.stream().filter(r -> r.kind() == t).map(Stored::source).toList());
                CveServiceImpl.readMany(c, t, ids, cache, sources).forEach((id, input) -> inputs.put(t.entity() + id, input));
                Sql.selectIn(c, "select " + t.owner() + ", source_name, created, event, verdict_before, verdict_after from " + t.cveEvents()
                        + " where issue = ? and " + t.owner() + " in (IN_LIST) order by id", List.of(issue), ids,
                        rs -> events.computeIfAbsent(t.entity() + rs.getLong(1) + "\n" + rs.getString(2), k -> new ArrayList<>())
                                .add(new CveFindingDTO.Event(Rows.utc(rs, 3), rs.getString(4), rs.getString(5), rs.getString(6))));
            }
        }
        List<EntityDTO> shown = new ArrayList<>();
        List<CveFindingDTO> found = new ArrayList<>();
        for (Stored s : rows) {
            EntityDTO entity = entities.get(s.kind().entity() + s.id());
            CveServiceImpl.Input input = inputs.get(s.kind().entity() + s.id());
            if (entity == null || input == null) {
                continue;
            }
            CveFindingDTO finding = CveServiceImpl.findings(s.kind(), input).findings().stream()
                    .filter(f -> f.cve().equals(issue) && f.source().equals(s.source())).findFirst()
                    .orElseGet(() -> CveServiceImpl.gone(issue, s.source(), s.verdict(), s.subState()));
            shown.add(entity);
            found.add(finding.withHistory(s.firstSeen(), events.getOrDefault(s.kind().entity() + s.id() + "\n" + s.source(), List.of())));
        }
        // The advisories that name the issue label the page's findings, in one query.
        List<CveFindingDTO> labelled = CveListImports.label(c, cache.snapshot() == null ? found
                : CveServiceImpl.elsewhere(c, cache.snapshot().id(), found));
        List<CveEntityFindingDTO> items = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            items.add(new CveEntityFindingDTO(shown.get(i), labelled.get(i)));
        }
        return items;
    }

    @Override
    public CveDashboardDTO dashboard() {
        Cube counts = cube.get();
        Map<String, Map<String, Long>> matrix = matrix(counts, null);
        long pending = database.query(c -> Rows.count(c, "select (select count(*) from host where cve_pending > 0)"
                + " + (select count(*) from image where cve_pending > 0)"));
        CveSnapshotDTO active = feed.active().orElse(null);
        Long age = active == null || active.finished() == null ? null : Duration.between(active.finished(), clock.instant()).toSeconds();
        return new CveDashboardDTO(matrix, counts.fixableHighHosts(), counts.fixableHighImages(), counts.rebootRequired(),
                counts.notCovered(), counts.notAssessed(), pending, active, age, age == null || age > maxAge.toSeconds());
    }

    @Override
    public Map<EntityKind, Map<String, Map<String, Long>>> findingsByKind() {
        Cube counts = cube.get();
        Map<EntityKind, Map<String, Map<String, Long>>> out = new java.util.EnumMap<>(EntityKind.class);
        for (EntityKind kind : EntityKind.values()) {
            out.put(kind, matrix(counts, kind));
        }
        return out;
    }

    /** Urgency (highest first) → state column → findings, of one kind or (null) both. */
    private static Map<String, Map<String, Long>> matrix(Cube counts, EntityKind kind) {
        Map<String, Map<String, Long>> matrix = new TreeMap<>(Comparator.comparingInt(CveServiceImpl::urgencyRank).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (Cell cell : counts.cells()) {
            String column = column(cell);
            if (column != null && (kind == null || cell.kind() == kind)) {
                matrix.computeIfAbsent(cell.urgency() == null ? "not yet assigned" : cell.urgency(), k -> new LinkedHashMap<>())
                        .merge(column, cell.entities(), Long::sum);
            }
        }
        return new LinkedHashMap<>(matrix);
    }

    /** CVE.md §11.5's state columns, and §7's accepted one; null for what the matrix does not show. */
    private static String column(Cell cell) {
        if (cell.accepted()) {
            return "accepted";
        }
        return switch (cell.verdict()) {
            // A reboot into the installed fixed kernel is the fix at hand.
            case REBOOT_REQUIRED -> "fix_available";
            case AFFECTED_FIXED, RUNNING_AFFECTED -> "available".equals(cell.fix()) ? "fix_available" : "fix_not_offered";
            case NEEDS_TRIAGE -> "needs_triage";
            case AFFECTED_OPEN -> switch (cell.subState()) {
                case NO_FIX_YET -> "no_fix_yet";
                case FIX_DEFERRED -> "deferred";
                case WONT_FIX -> "wont_fix";
                case NO_DSA_MINOR -> "minor";
                case FIX_QUEUED_POINT_RELEASE -> "point_release";
                case UNSUPPORTED -> "unsupported";
                case NEGLIGIBLE -> "negligible";
            };
            default -> null;
        };
    }

    private static Cube cube(Connection c) throws SQLException {
        List<Cell> cells = new ArrayList<>();
        Map<String, Set<String>> sources = new HashMap<>();
        long[] fixableHigh = new long[2];
        long rebootRequired = 0;
        long notCovered = 0;
        long notAssessed = 0;
        for (KindDescriptor t : KindDescriptor.ALL) {
            try (PreparedStatement ps = c.prepareStatement("select x.issue, (select o.name from os o where o.id = e.os_id), x.verdict, x.sub_state,"
                    + " x.fix, x.urgency, x.accepted, count(*) from " + t.cves() + " x join " + t.entity() + " e on e.id = x." + t.owner()
                    + " where x.primary_row group by x.issue, e.os_id, x.verdict, x.sub_state, x.fix, x.urgency, x.accepted");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sub = rs.getString(4);
                    cells.add(new Cell(rs.getString(1), t.kind(), rs.getString(2), CveVerdict.valueOf(rs.getString(3)),
                            sub == null ? null : CveSubState.valueOf(sub), rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getLong(8)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select distinct issue, source_name from " + t.cves());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sources.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
            fixableHigh[t.kind() == EntityKind.HOST ? 0 : 1] = Rows.count(c, "select count(distinct " + t.owner() + ") from " + t.cves()
                    + " where fix = 'available' and urgency = 'high' and not accepted");
            if (t.runsKernel()) {
                rebootRequired = Rows.count(c, "select count(distinct " + t.owner() + ") from " + t.cves() + " where verdict = 'REBOOT_REQUIRED'");
            }
            notCovered += Rows.count(c, "select count(*) from " + t.entity() + " where cve_coverage is not null and cve_coverage <> 'covered'");
            notAssessed += Rows.count(c, "select coalesce(sum(cve_not_assessed), 0) from " + t.entity());
        }
        return new Cube(cells, sources, fixableHigh[0], fixableHigh[1], rebootRequired, notCovered, notAssessed);
    }
}
