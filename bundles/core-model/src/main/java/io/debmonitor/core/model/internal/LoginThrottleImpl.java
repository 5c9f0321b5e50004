package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.LoginThrottle;

/**
 * Failure counters in the {@code login_failure} table, one row per user name and per address,
 * each with a fixed window that starts at its first failure. Checking and counting are separate
 * statements, so logins racing on several nodes may overshoot a limit by the attempts in flight.
 */
@Component(service = LoginThrottle.class)
public class LoginThrottleImpl implements LoginThrottle {

    static final int USER_LIMIT = 5;
    static final int ADDRESS_LIMIT = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);

    /** How often each node deletes the counters of ended windows. */
    private static final Duration SWEEP = Duration.ofMinutes(10);

    private final Database database;
    private final Clock clock;
    private final Secrets.Sweep sweep = new Secrets.Sweep(SWEEP);

    @Activate
    public LoginThrottleImpl(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    LoginThrottleImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public boolean refused(String user, String address) {
        Map<String, Integer> limits = limits(user, address);
        Instant now = now();
        return database.query(c -> {
            boolean refused = false;
            for (Map.Entry<String, Integer> limit : limits.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "select failures, window_start from login_failure where throttle_key = ?")) {
                    ps.setString(1, limit.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        refused |= rs.next() && rs.getInt(1) >= limit.getValue() && open(Rows.utc(rs, 2), now);
                    }
                }
            }
            return refused;
        });
    }

    @Override
    public void failed(String user, String address) {
        Map<String, Integer> limits = limits(user, address);
        Instant now = now();
        boolean sweepNow = sweep.due(now);
        database.write("failed login", c -> {
            for (String key : limits.keySet()) {
                count(c, key, now);
            }
            if (sweepNow) {
                try (PreparedStatement ps = c.prepareStatement("delete from login_failure where window_start <= ?")) {
                    ps.setObject(1, SessionServiceImpl.utc(now.minus(WINDOW)));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void succeeded(String user) {
        if (user == null || user.isEmpty()) {
            return;
        }
        String key = userKey(user);
        database.write("successful login", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from login_failure where throttle_key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        });
    }

    /** One more failure for the key: a new window when none is open, else one more in it. */
    private static void count(Connection c, String key, Instant now) throws SQLException {
        Instant windowStart = null;
        try (PreparedStatement ps = c.prepareStatement(
                "select window_start from login_failure where throttle_key = ? for update")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    windowStart = Rows.utc(rs, 1);
                }
            }
        }
        String sql;
        if (windowStart == null) {
            // A concurrent first failure makes this insert collide; Database.write then retries the whole transaction.
            sql = "insert into login_failure (failures, window_start, throttle_key) values (1, ?, ?)";
        } else if (!open(windowStart, now)) {
            sql = "update login_failure set failures = 1, window_start = ? where throttle_key = ?";
        } else {
            try (PreparedStatement ps = c.prepareStatement("update login_failure set failures = failures + 1 where throttle_key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, SessionServiceImpl.utc(now));
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    private static boolean open(Instant windowStart, Instant now) {
        return now.isBefore(windowStart.plus(WINDOW));
    }

    private static Map<String, Integer> limits(String user, String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("A login attempt needs the client's address.");
        }
        Map<String, Integer> limits = new LinkedHashMap<>();
        if (user != null && !user.isEmpty()) {
            limits.put(userKey(user), USER_LIMIT);
        }
        limits.put(key("address:", address), ADDRESS_LIMIT);
        return limits;
    }

    private static String userKey(String user) {
        return key("user:", user.toLowerCase(Locale.ROOT));
    }

    /** The readable key, or its hash when it would not fit the column. */
    static String key(String prefix, String value) {
        String key = prefix + value;
        return key.length() <= 255 ? key : prefix + "sha256:" + Secrets.sha256(value);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
