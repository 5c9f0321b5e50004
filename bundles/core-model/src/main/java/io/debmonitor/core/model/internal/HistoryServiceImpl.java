package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.AsOfDTO;
import io.debmonitor.core.model.api.DebianVersion;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.HistoryEvent;
import io.debmonitor.core.model.api.HistoryEventDTO;
import io.debmonitor.core.model.api.HistoryFilter;
import io.debmonitor.core.model.api.HistoryService;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.RolloutDTO;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * Past states are computed backwards: the current rows with the later events undone, newest
 * first. That is exact for any time since the entity's history began (its baseline) and since the
 * retention horizon, and unknown before.
 */
@Component(service = HistoryService.class)
public class HistoryServiceImpl implements HistoryService {

    private static final String EVENT_COLUMNS = "e.id, e.created, e.update_type, e.event, e.package, e.version_before, e.version_after,"
            + " e.upgrade_before, e.upgrade_after, e.upgrade_type_before, e.upgrade_type_after";
    /** Reads of a past state retried when a report changed the entity meanwhile (H2 reads committed data per statement). */
    private static final int CONSISTENT_READ_ATTEMPTS = 5;

    private final Database database;
    private final Clock clock;

    @Activate
    public HistoryServiceImpl(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    HistoryServiceImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public PageDTO<HistoryEventDTO> timeline(EntityKind kind, String name, HistoryFilter filter, PageRequest request) {
        KindDescriptor t = KindDescriptor.of(kind);
        return database.query(c -> {
            Long id = Rows.id(c, "select id from " + t.entity() + " where name = ?", name);
            if (id == null) {
                return Rows.empty(request, 0);
            }
            Rows.Where where = new Rows.Where().and("e." + t.owner() + " = ?", id);
            if (filter.packageName() != null) {
                where.and("e.package = ?", filter.packageName());
            }
            if (filter.from() != null) {
                where.and("e.created >= ?", utc(filter.from()));
            }
            if (filter.to() != null) {
                where.and("e.created < ?", utc(filter.to()));
            }
            if (request.isKeyset() && !request.after().isEmpty()) {
                where.and("e.id < ?", keysetId(request.after()));
            }
            // One entity's times never go backwards (ReportWriter), so newest first is also id order.
            return Rows.page(c, "select count(*) from " + t.events() + " e" + where.sql(),
                    "select " + EVENT_COLUMNS + " from " + t.events() + " e" + where.sql() + " order by e.id desc",
                    where.parameters(), request, HistoryServiceImpl::event);
        });
    }

    @Override
    public Optional<AsOfDTO> asOf(EntityKind kind, String name, Instant when) {
        if (when.isAfter(clock.instant())) {
            throw new IllegalArgumentException("as_of lies in the future; the state now is the page itself.");
        }
        KindDescriptor t = KindDescriptor.of(kind);
        return database.query(c -> {
            for (int attempt = 1; attempt <= CONSISTENT_READ_ATTEMPTS; attempt++) {
                EntityState before = entityState(c, t, name);
                if (before == null) {
                    return Optional.empty();
                }
                Instant knownSince = before.knownSince();
                if (knownSince == null || when.isBefore(knownSince)) {
                    return Optional.of(new AsOfDTO(when, knownSince, false, List.of()));
                }
                Map<String, PackageRowDTO> rows = currentRows(c, t, before.id());
                List<HistoryEventDTO> later;
                try (PreparedStatement ps = c.prepareStatement("select " + EVENT_COLUMNS + " from " + t.events() + " e where e."
                        + t.owner() + " = ? and e.created > ? order by e.id desc")) {
                    Rows.bind(ps, List.of(before.id(), utc(when)));
                    later = Rows.list(ps, HistoryServiceImpl::event);
                }
                if (!before.equals(entityState(c, t, name))) {
                    continue;
                }
                for (HistoryEventDTO event : later) {
                    undo(rows, event);
                }
                return Optional.of(new AsOfDTO(when, knownSince, true, List.copyOf(new TreeMap<>(rows).values())));
            }
            throw new StorageUnavailableException("The " + kind.word() + " kept changing while its history was read; try again.", null);
        });
    }

    @Override
    public RolloutDTO rollout(EntityKind kind, String packageName, int days) {
        if (days < 1 || days > MAX_ROLLOUT_DAYS) {
            throw new IllegalArgumentException("days must be a whole number from 1 to " + MAX_ROLLOUT_DAYS + ".");
        }
        KindDescriptor t = KindDescriptor.of(kind);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        return database.query(c -> {
            Map<Long, String> installed = new HashMap<>();
            Map<Long, Instant> historySince = new HashMap<>();
            Map<Long, Instant> created = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select r." + t.owner() + ", v.version, e.history_since, e.created from " + t.rows() + " r"
                    + " join package p on p.id = r.package_id join package_version v on v.id = r.installed_version_id"
                    + " join " + t.entity() + " e on e.id = r." + t.owner() + " where p.name = ?")) {
                ps.setString(1, packageName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        installed.put(rs.getLong(1), rs.getString(2));
                        historySince.put(rs.getLong(1), Rows.utc(rs, 3));
                        created.put(rs.getLong(1), Rows.utc(rs, 4));
                    }
                }
            }
            List<Long> owners = new ArrayList<>();
            List<String[]> changes = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select e." + t.owner() + ", e.created, e.version_before, e.version_after,"
                    + " o.history_since, o.created from " + t.events() + " e join " + t.entity() + " o on o.id = e." + t.owner()
                    + " where e.package = ? and e.created >= ? order by e.created desc, e.id desc")) {
                Rows.bind(ps, List.of(packageName, utc(first.atStartOfDay().toInstant(ZoneOffset.UTC))));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owners.add(rs.getLong(1));
                        times.add(Rows.utc(rs, 2));
                        changes.add(new String[] {rs.getString(3), rs.getString(4)});
                        historySince.put(rs.getLong(1), Rows.utc(rs, 5));
                        created.put(rs.getLong(1), Rows.utc(rs, 6));
                    }
                }
            }
            Instant horizon = horizon(c);
            TreeSet<String> versions = new TreeSet<>(DebianVersion::compare);
            List<Map<String, Long>> perDay = new ArrayList<>();
            List<Long> unknown = new ArrayList<>();
            int next = 0;
            for (LocalDate day = today; !day.isBefore(first); day = day.minusDays(1)) {
                Instant end = day.equals(today) ? now : day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                while (next < times.size() && !times.get(next).isBefore(end)) {
                    long owner = owners.get(next);
                    String before = changes.get(next)[0];
                    if (before == null) {
                        installed.remove(owner);
                    } else {
                        installed.put(owner, before);
                    }
                    next++;
                }
                Map<String, Long> counts = new HashMap<>();
                long notKnown = 0;
                for (Map.Entry<Long, String> entry : installed.entrySet()) {
                    Instant since = historySince.get(entry.getKey());
                    boolean current = day.equals(today);
                    if (!current && created.get(entry.getKey()).isAfter(end)) {
                        continue; // it did not exist yet
                    }
                    if (!current && (since == null || since.isAfter(end) || (horizon != null && horizon.isAfter(end)))) {
                        notKnown++;
                    } else {
                        counts.merge(entry.getValue(), 1L, Long::sum);
                        versions.add(entry.getValue());
                    }
                }
                perDay.add(0, counts);
                unknown.add(0, notKnown);
            }
            List<String> ordered = List.copyOf(versions);
            List<RolloutDTO.Day> out = new ArrayList<>();
            for (int i = 0; i < perDay.size(); i++) {
                List<Long> counts = new ArrayList<>();
                for (String version : ordered) {
                    counts.add(perDay.get(i).getOrDefault(version, 0L));
                }
                out.add(new RolloutDTO.Day(first.plusDays(i), counts, unknown.get(i)));
            }
            return new RolloutDTO(packageName, kind, ordered, out);
        });
    }

    /**
     * What a consistent read compares before and after: a report changes {@code modified}, a GC
     * run the horizon.
     */
    private record EntityState(long id, LocalDateTime modified, Instant historySince, Instant horizon) {

        /** @return the later of the history's start and the retention horizon; null when history has not begun */
        Instant knownSince() {
            if (historySince == null) {
                return null;
            }
            return horizon != null && horizon.isAfter(historySince) ? horizon : historySince;
        }
    }

    private static EntityState entityState(Connection c, KindDescriptor t, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, modified, history_since from " + t.entity() + " where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new EntityState(rs.getLong(1), rs.getObject(2, LocalDateTime.class), Rows.utc(rs, 3), horizon(c)) : null;
            }
        }
    }

    private static Instant horizon(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pruned_before from history_horizon where id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Rows.utc(rs, 1) : null;
        }
    }

    private static Map<String, PackageRowDTO> currentRows(Connection c, KindDescriptor t, long id) throws SQLException {
        Map<String, PackageRowDTO> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select p.name, iv.version, uv.version, r.upgrade_type from " + t.rows() + " r"
                + " join package p on p.id = r.package_id join package_version iv on iv.id = r.installed_version_id"
                + " left join package_version uv on uv.id = r.upgrade_version_id where r." + t.owner() + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new PackageRowDTO(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return rows;
    }

    /** Puts the event's row back as it was before it. */
    private static void undo(Map<String, PackageRowDTO> rows, HistoryEventDTO event) {
        if (event.event() == HistoryEvent.BASELINE) {
            return;
        }
        if (event.versionBefore() == null) {
            rows.remove(event.packageName());
        } else {
            rows.put(event.packageName(), new PackageRowDTO(event.packageName(), event.versionBefore(), event.upgradeBefore(),
                    event.upgradeTypeBefore()));
        }
    }

    private static HistoryEventDTO event(ResultSet rs) throws SQLException {
        return new HistoryEventDTO(rs.getLong(1), Rows.utc(rs, 2), rs.getString(3), HistoryEvent.fromWireName(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    private static long keysetId(String after) {
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A timeline's keyset key is an event id, not '" + after + "'.");
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
