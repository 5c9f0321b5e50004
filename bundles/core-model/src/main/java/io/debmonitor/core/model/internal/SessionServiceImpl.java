package io.debmonitor.core.model.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.SessionDTO;
import io.debmonitor.core.model.api.SessionService;

/**
 * Sessions in the {@code ui_session} table, keyed by the SHA-256 of the cookie's token. A session
 * expires when it has been idle for longer than the caller's limit since its recorded last
 * request; that record is refreshed at most once a minute, so a request is normally one indexed
 * read, and a session can end up to a minute before the limit measured from its very last
 * request.
 */
@Component(service = SessionService.class)
public class SessionServiceImpl implements SessionService {

    /** The least time between two writes of one session's last_seen. */
    static final Duration REFRESH = Duration.ofMinutes(1);

    /** How often each node deletes every expired session (those nobody asks for again). */
    static final Duration SWEEP = Duration.ofMinutes(10);

    private static final int MAX_TEXT = 255;

    private final Database database;
    private final Clock clock;
    private final Secrets.Sweep sweep = new Secrets.Sweep(SWEEP);

    @Activate
    public SessionServiceImpl(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    SessionServiceImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public SessionDTO create(String user, Set<String> roles) {
        if (user == null || user.isEmpty() || user.length() > MAX_TEXT) {
            throw new IllegalArgumentException("A session's user name must have 1 to " + MAX_TEXT + " characters.");
        }
        if (roles.stream().anyMatch(role -> role.isEmpty() || role.contains(","))) {
            throw new IllegalArgumentException("A session's role names must be non-empty and free of commas.");
        }
        String joinedRoles = roles.stream().sorted().collect(Collectors.joining(","));
        if (joinedRoles.length() > MAX_TEXT) {
            throw new IllegalArgumentException("A session's role names must have at most " + MAX_TEXT + " characters together.");
        }
        String token = Secrets.randomToken();
        String csrfToken = Secrets.randomToken();
        Instant now = now();
        database.write("login session of " + user, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ui_session "
                    + "(token_hash, user_name, roles, csrf_token, created, last_seen) values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Secrets.sha256(token));
                ps.setString(2, user);
                ps.setString(3, joinedRoles);
                ps.setString(4, csrfToken);
                ps.setObject(5, utc(now));
                ps.setObject(6, utc(now));
                return ps.executeUpdate();
            }
        });
        return new SessionDTO(token, user, roles, csrfToken, now, now);
    }

    @Override
    public Optional<SessionDTO> find(String token, Duration maxIdle) {
        if (maxIdle == null || maxIdle.isNegative() || maxIdle.isZero()) {
            throw new IllegalArgumentException("The session idle timeout must be positive.");
        }
        if (token == null || !Secrets.TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Instant now = now();
        LocalDateTime idleCutoff = utc(now.minus(maxIdle));
        if (sweep.due(now)) {
            database.write("expired login sessions", c -> {
                try (PreparedStatement ps = c.prepareStatement("delete from ui_session where last_seen < ?")) {
                    ps.setObject(1, idleCutoff);
                    return ps.executeUpdate();
                }
            });
        }
        String hash = Secrets.sha256(token);
        Optional<SessionDTO> stored = database.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select user_name, roles, csrf_token, created, last_seen from ui_session where token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String roles = rs.getString(2);
                    return Optional.of(new SessionDTO(token, rs.getString(1),
                            roles.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(roles.split(","))),
                            rs.getString(3), Rows.utc(rs, 4), Rows.utc(rs, 5)));
                }
            }
        });
        if (stored.isEmpty()) {
            return stored;
        }
        SessionDTO session = stored.get();
        if (Duration.between(session.lastSeen(), now).compareTo(maxIdle) > 0) {
            database.write("expired login session", c -> {
                try (PreparedStatement ps = c.prepareStatement("delete from ui_session where token_hash = ? and last_seen < ?")) {
                    ps.setString(1, hash);
                    ps.setObject(2, idleCutoff);
                    return ps.executeUpdate();
                }
            });
            return Optional.empty();
        }
        if (Duration.between(session.lastSeen(), now).compareTo(REFRESH) < 0) {
            return stored;
        }
        database.write("login session refresh", c -> {
            // Compare-and-set: of several nodes refreshing at once, one writes.
            try (PreparedStatement ps = c.prepareStatement(
                    "update ui_session set last_seen = ? where token_hash = ? and last_seen = ?")) {
                ps.setObject(1, utc(now));
                ps.setString(2, hash);
                ps.setObject(3, utc(session.lastSeen()));
                return ps.executeUpdate();
            }
        });
        return Optional.of(new SessionDTO(token, session.user(), session.roles(), session.csrfToken(), session.created(), now));
    }

    @Override
    public void delete(String token) {
        if (token == null || !Secrets.TOKEN.matcher(token).matches()) {
            return;
        }
        String hash = Secrets.sha256(token);
        database.write("logout", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from ui_session where token_hash = ?")) {
                ps.setString(1, hash);
                return ps.executeUpdate();
            }
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
