package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CveExceptionDTO;
import io.debmonitor.core.model.api.CveExceptionFilter;
import io.debmonitor.core.model.api.CveExceptionService;
import io.debmonitor.core.model.api.CveFindingDTO;
import io.debmonitor.core.model.api.CveIssueDTO;
import io.debmonitor.core.model.api.CveVerdict;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/**
 * Exceptions (CVE.md §10), stored in {@code cve_exception}. Accepting or revoking one marks the
 * hosts and images whose findings it changes ({@code cve_pending}), so that the {@link CveRefresher}
 * stores them again; the refresher also marks those of exceptions that expired ({@link #lapse}).
 * Judging reads the active exceptions of an entity once ({@link #active}) and applies them to its
 * findings ({@link #overlay}).
 */
@Component(service = CveExceptionService.class, configurationPid = "io.debmonitor.cve")
public class CveExceptionServiceImpl implements CveExceptionService {

    /** Verdicts that are no finding (CVE.md §7): nothing to accept. */
    private static final Set<CveVerdict> NO_FINDING = Set.of(CveVerdict.NONE, CveVerdict.FIXED, CveVerdict.RUNNING_FIXED,
            CveVerdict.NOT_AFFECTED);
    private static final String COLUMNS = "id, issue, source_name, entity_kind, entity_name, reason, author, created, expires, revoked, revoked_by";

    private final Database database;
    private final AuditService audit;
    private final Clock clock;
    private volatile boolean enabled = true;

    @Activate
    public CveExceptionServiceImpl(@Reference Database database, @Reference AuditService audit, CveConfiguration config) {
        this(database, audit, Clock.systemUTC());
        modified(config);
    }

    /** Tests: enabled. */
    CveExceptionServiceImpl(Database database, AuditService audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    /** Only {@code enabled} is read here, as by CveFeedServiceImpl. */
    @Modified
    void modified(CveConfiguration config) {
        enabled = config.enabled();
    }

    /** @throws IllegalStateException as imports and fetches are refused, when CVE correlation is turned off */
    private void requireEnabled() {
        if (!enabled) {
            throw new IllegalStateException(CveFeedServiceImpl.DISABLED);
        }
    }

    /**
     * An active exception as judging applies it.
     *
     * @param entityScoped limited to one host or image: it wins over a fleet-wide one
     */
    record Rule(long id, String issue, String source, boolean entityScoped, String reason, String author, Instant created, Instant expires) {

        /** Entity before source before the whole issue; the newest among equals. */
        boolean moreSpecificThan(Rule other) {
            int mine = (entityScoped ? 2 : 0) + (source != null ? 1 : 0);
            int theirs = (other.entityScoped ? 2 : 0) + (other.source != null ? 1 : 0);
            return mine != theirs ? mine > theirs : id > other.id;
        }

        CveFindingDTO.Accepted accepted() {
            return new CveFindingDTO.Accepted(id, reason, author, created, expires);
        }
    }

    @Override
    public CveExceptionDTO accept(String issue, String source, EntityKind kind, String entity, String reason, Instant expires, String author) {
        requireEnabled();
        String actor = required(author, "the author");
        String id = issueId(issue);
        String onlySource = blankToNull(source);
        String name = blankToNull(entity);
        if ((kind == null) != (name == null)) {
            throw new IllegalArgumentException("An exception for one host or image needs both its kind and its name.");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("Give a reason for accepting " + id + ".");
        }
        if (why.length() > MAX_REASON) {
            throw new IllegalArgumentException("The reason is longer than " + MAX_REASON + " characters.");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("The expiry must be in the future, not " + expires + ".");
        }
        CveExceptionDTO created = database.write("accept " + id, c -> {
            CveServiceImpl.Snapshot snapshot = CveServiceImpl.activeSnapshot(c);
            if (snapshot == null) {
                throw new IllegalArgumentException("No CVE feed is imported yet: an exception needs the issue in the active snapshot.");
            }
            List<String> sources = sources(c, snapshot.id(), id);
            if (sources.isEmpty()) {
                throw new IllegalArgumentException(id + " is not in the active CVE feed snapshot.");
            }
            if (onlySource != null && !sources.contains(onlySource)) {
                throw new IllegalArgumentException("Source package '" + onlySource + "' has no entry for " + id
                        + " in the active CVE feed snapshot; it lists " + String.join(", ", sources) + ".");
            }
            if (kind != null && Rows.id(c, "select id from " + KindDescriptor.of(kind).entity() + " where name = ?", name) == null) {
                throw new IllegalArgumentException("No " + kind.word() + " named '" + name + "'.");
            }
            Long same = Rows.id(c, "select id from cve_exception where issue = ? and " + nullSafe("source_name", onlySource) + " and "
                    + nullSafe("entity_kind", kind) + " and " + nullSafe("entity_name", name) + " and " + active("") + " order by id",
                    parameters(id, onlySource, kind == null ? null : kind.word(), name, utc(now)));
            if (same != null) {
                throw new IllegalArgumentException(id + " is already accepted for this scope by exception " + same
                        + "; revoke it first to change it.");
            }
            long key;
            try (PreparedStatement ps = c.prepareStatement("insert into cve_exception (issue, source_name, entity_kind, entity_name, reason,"
                    + " author, created, expires) values (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                Rows.bind(ps, java.util.Arrays.asList(id, onlySource, kind == null ? null : kind.word(), name, why, actor, utc(now), utc(expires)));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    key = keys.getLong(1);
                }
            }
            mark(c, id, onlySource, kind, name);
            return new CveExceptionDTO(key, id, onlySource, kind, name, why, actor, now, expires, null, null, CveExceptionDTO.State.ACTIVE);
        });
        audit.record(actor, AuditAction.CVE_ACCEPTED, id, "exception " + created.id() + ", " + scope(created) + ", expires "
                + (expires == null ? "never" : expires.toString()) + ": " + why);
        return created;
    }

    @Override
    public CveExceptionDTO revoke(long id, String author) {
        requireEnabled();
        String actor = required(author, "the author");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CveExceptionDTO revoked = database.write("revoke exception " + id, c -> {
            CveExceptionDTO found = find(c, id, now);
            if (found == null) {
                throw new IllegalArgumentException("No CVE exception " + id + ".");
            }
            if (found.state() != CveExceptionDTO.State.ACTIVE) {
                throw new IllegalArgumentException("CVE exception " + id + " is " + found.state().word() + " already.");
            }
            if (Rows.update(c, "update cve_exception set revoked = ?, revoked_by = ? where id = ? and revoked is null", utc(now), actor, id) != 1) {
                throw new IllegalArgumentException("CVE exception " + id + " is revoked already.");
            }
            mark(c, found.issue(), found.source(), found.kind(), found.entity());
            return new CveExceptionDTO(found.id(), found.issue(), found.source(), found.kind(), found.entity(), found.reason(), found.author(),
                    found.created(), found.expires(), now, actor, CveExceptionDTO.State.REVOKED);
        });
        audit.record(actor, AuditAction.CVE_REVOKED, revoked.issue(), "exception " + id + ", " + scope(revoked));
        return revoked;
    }

    @Override
    public Optional<CveExceptionDTO> find(long id) {
        Instant now = clock.instant();
        return Optional.ofNullable(database.query(c -> find(c, id, now)));
    }

    private static CveExceptionDTO find(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_exception where id = ?")) {
            ps.setLong(1, id);
            List<CveExceptionDTO> found = Rows.list(ps, rs -> dto(rs, now));
            return found.isEmpty() ? null : found.get(0);
        }
    }

    @Override
    public PageDTO<CveExceptionDTO> list(CveExceptionFilter filter, PageRequest page) {
        requireEnabled();
        page.checkSort(SORT_KEYS);
        Instant now = clock.instant();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (filter.issue() != null) {
            where.append(" and issue = ?");
            parameters.add(filter.issue());
        }
        if (filter.kind() != null) {
            where.append(" and entity_kind = ? and entity_name = ?");
            parameters.add(filter.kind().word());
            parameters.add(filter.entity());
        }
        if (filter.state() != null) {
            switch (filter.state()) {
                case ACTIVE -> where.append(" and ").append(active(""));
                case EXPIRED -> where.append(" and revoked is null and expires <= ?");
                case REVOKED -> where.append(" and revoked is not null");
            }
            if (filter.state() != CveExceptionDTO.State.REVOKED) {
                parameters.add(utc(now));
            }
        }
        boolean desc = page.descending();
        String order = switch (page.sort() == null ? "" : page.sort()) {
            case "created" -> " order by created" + (desc ? " desc" : "") + ", id" + (desc ? " desc" : "");
            case "issue" -> " order by issue" + (desc ? " desc" : "") + ", id desc";
            // Never-expiring ones after every date.
            case "expires" -> " order by (expires is null)" + (desc ? " desc" : "") + ", expires" + (desc ? " desc" : "") + ", id desc";
            default -> " order by created desc, id desc";
        };
        return database.query(c -> Rows.page(c, "select count(*) from cve_exception" + where, "select " + COLUMNS + " from cve_exception"
                + where + order, parameters, page, rs -> dto(rs, now)));
    }

    @Override
    public String export(VexFormat format) {
        requireEnabled();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return database.query(c -> {
            List<CveExceptionDTO> active = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from cve_exception where " + active("") + " order by id")) {
                ps.setObject(1, utc(now));
                active.addAll(Rows.list(ps, rs -> dto(rs, now)));
            }
            CveServiceImpl.Snapshot snapshot = CveServiceImpl.activeSnapshot(c);
            Map<String, List<String>> sources = new HashMap<>();
            for (CveExceptionDTO e : active) {
                if (e.source() == null && !sources.containsKey(e.issue())) {
                    sources.put(e.issue(), snapshot == null ? List.of() : sources(c, snapshot.id(), e.issue()));
                }
            }
            return format == VexFormat.OPENVEX ? CveVex.openVex(active, sources, now) : CveVex.cycloneDx(active, sources, now);
        });
    }

    /**
     * Marks the hosts and images whose stored findings of the issue the exception covers, and those
     * waiting for the refresher anyway: one that is being judged now may have read the exceptions
     * before this change, and must not be left as if it were up to date.
     */
    static void mark(Connection c, String issue, String source, EntityKind kind, String entity) throws SQLException {
        if (kind != null) {
            Rows.update(c, "update " + KindDescriptor.of(kind).entity() + " set cve_pending = cve_pending + 1 where name = ?", entity);
            return;
        }
        // Two statements, each on its index (a disjunction would scan the table); an entity both mark is judged once all the same.
        for (KindDescriptor t : KindDescriptor.ALL) {
            Rows.update(c, "update " + t.entity() + " set cve_pending = cve_pending + 1 where id in (select x." + t.owner()
                    + " from " + t.cves() + " x where x.issue = ?" + (source == null ? ")" : " and x.source_name = ?)"),
                    source == null ? new Object[] {issue} : new Object[] {issue, source});
            Rows.update(c, "update " + t.entity() + " set cve_pending = cve_pending + 1 where cve_pending > 0");
        }
    }

    /**
     * Marks the entities of the exceptions that expired since the last call, once each ({@code
     * lapsed}), so that the refresher stores their findings as counted again. One indexed query
     * when none expired.
     *
     * @return the exceptions that lapsed now
     */
    static int lapse(Database database, Instant now) {
        List<Long> expired = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select id from cve_exception where lapsed = false and expires <= ? and revoked is null")) {
                ps.setObject(1, utc(now));
                return Rows.list(ps, rs -> rs.getLong(1));
            }
        });
        int lapsed = 0;
        for (long id : expired) {
            lapsed += database.writeInBackground("lapse exception " + id, c -> {
                // Another node may have marked it meanwhile; whoever sets the flag marks the entities.
                if (Rows.update(c, "update cve_exception set lapsed = true where id = ? and lapsed = false", id) != 1) {
                    return 0;
                }
                try (PreparedStatement ps = c.prepareStatement("select issue, source_name, entity_kind, entity_name from cve_exception where id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        mark(c, rs.getString(1), rs.getString(2), kind(rs.getString(3)), rs.getString(4));
                    }
                }
                return 1;
            });
        }
        return lapsed;
    }

    /** As {@link #active(Connection, KindDescriptor, Collection, Instant)} at the system clock's now. */
    static Map<Long, Map<String, List<Rule>>> active(Connection c, KindDescriptor t, Collection<Long> ids) throws SQLException {
        return active(c, t, ids, Clock.systemUTC().instant());
    }

    /**
     * The exceptions active at {@code at} (the caller's clock: judging and the exceptions' states
     * agree on expiry) that apply to each of these entities of one kind: the fleet-wide ones and
     * each entity's own, by entity id and then by issue. Every id has a map.
     */
    static Map<Long, Map<String, List<Rule>>> active(Connection c, KindDescriptor t, Collection<Long> ids, Instant at) throws SQLException {
        LocalDateTime now = utc(at);
        Map<Long, Map<String, List<Rule>>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<String, List<Rule>> fleet = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, issue, source_name, reason, author, created, expires from cve_exception x"
                + " where x.entity_name is null and " + active("x."))) {
            ps.setObject(1, now);
            for (Rule rule : Rows.list(ps, rs -> rule(rs, 1, false))) {
                fleet.computeIfAbsent(rule.issue(), k -> new ArrayList<>()).add(rule);
            }
        }
        for (Long id : ids) {
            out.put(id, fleet.isEmpty() ? new HashMap<>() : copy(fleet));
        }
        Sql.selectIn(c, "select x.id, x.issue, x.source_name, x.reason, x.author, x.created, x.expires, e.id from cve_exception x join " + t.entity()
                + " e on e.name = x.entity_name where x.entity_kind = ? and " + active("x.") + " and e.id in (IN_LIST)",
                List.of(t.kind().word(), now), ids, rs -> {
                    Rule rule = rule(rs, 1, true);
                    out.get(rs.getLong(8)).computeIfAbsent(rule.issue(), k -> new ArrayList<>()).add(rule);
                });
        return out;
    }

    /**
     * CVE.md §10: the finding as the most specific exception that covers it accepts it: verdict
     * kept, no longer counted. Unchanged when none covers it or when it is no finding (fixed, not
     * affected).
     *
     * @param rules the entity's active exceptions by issue
     */
    static CveFindingDTO overlay(CveFindingDTO finding, Map<String, List<Rule>> rules) {
        List<Rule> candidates = rules.get(finding.cve());
        if (candidates == null || NO_FINDING.contains(finding.verdict())) {
            return finding;
        }
        Rule best = null;
        for (Rule rule : candidates) {
            if ((rule.source() == null || rule.source().equals(finding.source())) && (best == null || rule.moreSpecificThan(best))) {
                best = rule;
            }
        }
        return best == null ? finding : finding.withAccepted(best.accepted());
    }

    private static Map<String, List<Rule>> copy(Map<String, List<Rule>> rules) {
        Map<String, List<Rule>> out = new HashMap<>();
        rules.forEach((issue, list) -> out.put(issue, new ArrayList<>(list)));
        return out;
    }

    private static Rule rule(ResultSet rs, int first, boolean entityScoped) throws SQLException {
        return new Rule(rs.getLong(first), rs.getString(first + 1), rs.getString(first + 2), entityScoped, rs.getString(first + 3),
                rs.getString(first + 4), Rows.utc(rs, first + 5), Rows.utc(rs, first + 6));
    }

    /** The condition of an active exception, with one parameter: now. */
    private static String active(String alias) {
        return alias + "revoked is null and (" + alias + "expires is null or " + alias + "expires > ?)";
    }

    private static String nullSafe(String column, Object value) {
        return value == null ? column + " is null" : column + " = ?";
    }

    /** The non-null values, in order: the parameters of a query built with {@link #nullSafe}. */
    private static Object[] parameters(Object... values) {
        return java.util.Arrays.stream(values).filter(java.util.Objects::nonNull).toArray();
    }

    /** The sources the snapshot lists for the issue, by name. */
    static List<String> sources(Connection c, long snapshot, String issue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select distinct source_name from cve_entry where snapshot_id = ? and issue = ? order by source_name")) {
            Rows.bind(ps, List.of(snapshot, issue));
            return Rows.list(ps, rs -> rs.getString(1));
        }
    }

    private static CveExceptionDTO dto(ResultSet rs, Instant now) throws SQLException {
        Instant expires = Rows.utc(rs, 9);
        Instant revoked = Rows.utc(rs, 10);
        CveExceptionDTO.State state = revoked != null ? CveExceptionDTO.State.REVOKED
                : expires != null && !expires.isAfter(now) ? CveExceptionDTO.State.EXPIRED : CveExceptionDTO.State.ACTIVE;
        return new CveExceptionDTO(rs.getLong(1), rs.getString(2), rs.getString(3), kind(rs.getString(4)), rs.getString(5), rs.getString(6),
                rs.getString(7), Rows.utc(rs, 8), expires, revoked, rs.getString(11), state);
    }

    private static EntityKind kind(String word) {
        return word == null ? null : word.equals("host") ? EntityKind.HOST : EntityKind.IMAGE;
    }

    /** @return e.g. "source openssl on host db1.example.org", "every source on every host and image" */
    static String scope(CveExceptionDTO e) {
        return (e.source() == null ? "every source" : "source " + e.source()) + " on "
                + (e.kind() == null ? "every host and image" : e.kind().word() + " " + e.entity());
    }

    /**
     * @return the issue name with its prefix in upper case ({@code cve-2024-9143} → {@code CVE-2024-9143})
     * @throws IllegalArgumentException when it is no tracker issue name
     */
    static String issueId(String text) {
        String given = text == null ? "" : text.strip();
        String upper = given.toUpperCase(Locale.ROOT);
        String id = upper.startsWith("CVE-") ? upper : upper.startsWith("TEMP-") ? "TEMP-" + given.substring("TEMP-".length()) : given;
        if (!CveIssueDTO.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + given + "' is no tracker issue name: CVE-YYYY-NNNN or TEMP-….");
        }
        return id;
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing " + what + ".");
        }
        return value.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
