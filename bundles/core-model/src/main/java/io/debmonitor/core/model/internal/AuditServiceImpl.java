package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditEventDTO;
import io.debmonitor.core.model.api.AuditFilter;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;

/**
 * The audit trail in the {@code audit_event} table. Each event is stored in a transaction of its
 * own, so a caller records it after its operation committed; nothing deletes events yet.
 */
@Component(service = AuditService.class)
public class AuditServiceImpl implements AuditService {

    private static final String COLUMNS = "select id, created, actor, action, target, detail from audit_event";

    private final Logger trail = LoggerFactory.getLogger(AuditService.LOGGER);
    private final Logger logger = LoggerFactory.getLogger(AuditServiceImpl.class);
    private final Database database;
    private final Clock clock;

    @Activate
    public AuditServiceImpl(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    AuditServiceImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void record(String actor, AuditAction action, String target, String detail) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("An audit event needs an actor.");
        }
        if (action == null) {
            throw new IllegalArgumentException("An audit event needs an action.");
        }
        String who = clean(actor, MAX_NAME);
        String what = clean(target, MAX_NAME);
        String how = clean(detail, MAX_DETAIL);
        // Quoted, so that a name typed at the login form cannot make the line read like another event.
        trail.info("audit: action={} actor={} target={} detail={}", action, quoted(who), quoted(what), quoted(how));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            database.write("audit event " + action, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into audit_event (created, actor, action, target, detail) values (?, ?, ?, ?, ?)")) {
                    ps.setObject(1, SessionServiceImpl.utc(now));
                    ps.setString(2, who);
                    ps.setString(3, action.name());
                    ps.setString(4, what);
                    ps.setString(5, how);
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            logger.warn("Audit event {} of {} was logged but not stored: {}", action, who, e.getMessage());
        }
    }

    @Override
    public PageDTO<AuditEventDTO> list(AuditFilter filter, PageRequest request) {
        request.checkSort(LIST_SORT_KEYS);
        Rows.Where where = new Rows.Where();
        if (filter.action() != null) {
            where.and("action = ?", filter.action().name());
        }
        if (filter.actor() != null && !filter.actor().isBlank()) {
            where.and("lower(actor) like ?", Rows.contains(filter.actor().strip()));
        }
        String order = request.sort() != null && !request.descending() ? " order by created, id" : " order by created desc, id desc";
        return database.query(c -> Rows.page(c, "select count(*) from audit_event" + where.sql(), COLUMNS + where.sql() + order,
                where.parameters(), request, AuditServiceImpl::event));
    }

    private static AuditEventDTO event(ResultSet rs) throws SQLException {
        return new AuditEventDTO(rs.getLong(1), Rows.utc(rs, 2), rs.getString(3), AuditAction.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6));
    }

    /**
     * @return the text cut to {@code max} characters (the last one '…', never half a surrogate
     *         pair) with control characters replaced by '?'; null for null
     */
    static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        String cut = text;
        if (text.length() > max) {
            int end = max - 1;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            cut = text.substring(0, end) + "…";
        }
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String quoted(String value) {
        return value == null ? "-" : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
