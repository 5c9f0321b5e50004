package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import io.debmonitor.core.model.api.SessionDTO;

/** UI sessions and the login throttle (SPEC §3.3, SCALEOUT.md §2.3) on both databases. */
@RunWith(Parameterized.class)
public class SessionServiceTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private static final Duration IDLE = Duration.ofMinutes(480);

    private final String kind;
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00.123Z"));
    private TestDatabase db;
    private SessionServiceImpl sessions;
    private LoginThrottleImpl throttle;

    public SessionServiceTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
        sessions = new SessionServiceImpl(db.database, clock);
        throttle = new LoginThrottleImpl(db.database, clock);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    @Test
    public void createdSessionIsFoundByItsTokenOnly() throws Exception {
        SessionDTO created = sessions.create("alice", Set.of("viewer", "admin"));
        assertTrue(Secrets.TOKEN.matcher(created.token()).matches());
        assertTrue(Secrets.TOKEN.matcher(created.csrfToken()).matches());
        assertNotEquals(created.token(), created.csrfToken());

        SessionDTO found = sessions.find(created.token(), IDLE).orElseThrow();
        assertEquals("alice", found.user());
        assertEquals(Set.of("viewer", "admin"), found.roles());
        assertTrue(found.admin());
        assertEquals(created.csrfToken(), found.csrfToken());
        assertEquals(clock.instant(), found.created());
        assertEquals(created.token(), found.token());

        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select token_hash from ui_session")) {
            assertTrue(rs.next());
            assertEquals(Secrets.sha256(created.token()), rs.getString(1));
            assertFalse(rs.next());
        }
        assertEquals(0, db.count("select count(*) from ui_session where token_hash = '" + created.token() + "'"));
    }

    @Test
    public void sessionWithoutRolesKeepsAnEmptySet() {
        SessionDTO created = sessions.create("bob", Set.of());
        assertEquals(Set.of(), sessions.find(created.token(), IDLE).orElseThrow().roles());
    }

    @Test
    public void tokensDiffer() {
        assertNotEquals(sessions.create("alice", Set.of("viewer")).token(), sessions.create("alice", Set.of("viewer")).token());
    }

    @Test
    public void garbageAndUnknownTokensFindNothing() {
        sessions.create("alice", Set.of("viewer"));
        String unknown = Secrets.randomToken();
        for (String token : new String[] {null, "", "x", "' or '1'='1", unknown, unknown + "A", unknown.substring(1) + "+"}) {
            assertEquals(token, Optional.empty(), sessions.find(token, IDLE));
        }
        sessions.delete(null);
        sessions.delete("garbage");
        sessions.delete(unknown);
    }

    @Test
    public void expiresExactlyAfterTheIdleLimitAndIsDeleted() throws Exception {
        SessionDTO created = sessions.create("alice", Set.of("viewer"));
        Duration idle = Duration.ofMinutes(30);
        clock.advance(idle);
        assertTrue(sessions.find(created.token(), idle).isPresent());
        // That lookup refreshed last_seen (more than a minute had passed): the limit counts from it.
        clock.advance(idle.plusMillis(1));
        assertEquals(Optional.empty(), sessions.find(created.token(), idle));
        assertEquals(0, db.count("select count(*) from ui_session"));
        clock.advance(Duration.ofMinutes(-40));
        assertEquals("deleted, not only hidden", Optional.empty(), sessions.find(created.token(), idle));
    }

    @Test
    public void lastSeenIsWrittenAtMostOnceAMinute() throws Exception {
        SessionDTO created = sessions.create("alice", Set.of("viewer"));
        Instant start = clock.instant();
        clock.advance(Duration.ofSeconds(59));
        assertEquals(start, sessions.find(created.token(), IDLE).orElseThrow().lastSeen());
        assertEquals(start, lastSeen());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(clock.instant(), sessions.find(created.token(), IDLE).orElseThrow().lastSeen());
        assertEquals(clock.instant(), lastSeen());
        Instant refreshed = clock.instant();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(refreshed, sessions.find(created.token(), IDLE).orElseThrow().lastSeen());
        assertEquals(start, sessions.find(created.token(), IDLE).orElseThrow().created());
    }

    @Test
    public void idleLimitCountsFromTheLastWrittenLastSeen() {
        SessionDTO created = sessions.create("alice", Set.of("viewer"));
        Duration idle = Duration.ofMinutes(5);
        clock.advance(Duration.ofSeconds(59));
        assertTrue(sessions.find(created.token(), idle).isPresent()); // too soon to write last_seen
        // 5 minutes and 1 ms after the recorded request, 4:01 after the real last one.
        clock.advance(idle.minusSeconds(59).plusMillis(1));
        assertFalse(sessions.find(created.token(), idle).isPresent());
    }

    @Test
    public void deleteEndsOnlyThatSession() {
        SessionDTO first = sessions.create("alice", Set.of("viewer"));
        SessionDTO second = sessions.create("alice", Set.of("viewer"));
        sessions.delete(first.token());
        assertFalse(sessions.find(first.token(), IDLE).isPresent());
        assertTrue(sessions.find(second.token(), IDLE).isPresent());
    }

    @Test
    public void expiredSessionsOfOthersAreSweptWhileLookingUp() throws Exception {
        sessions.create("old", Set.of("viewer"));
        clock.advance(Duration.ofMinutes(20));
        SessionDTO fresh = sessions.create("new", Set.of("viewer"));
        // A new service instance: this node has not swept yet.
        SessionServiceImpl node = new SessionServiceImpl(db.database, clock);
        assertTrue(node.find(fresh.token(), Duration.ofMinutes(10)).isPresent());
        assertEquals(1, db.count("select count(*) from ui_session"));
        assertEquals(1, db.count("select count(*) from ui_session where user_name = 'new'"));
    }

    @Test
    public void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> sessions.create("", Set.of("viewer")));
        assertThrows(IllegalArgumentException.class, () -> sessions.create("a".repeat(256), Set.of("viewer")));
        assertThrows(IllegalArgumentException.class, () -> sessions.create("alice", Set.of("a,b")));
        assertThrows(IllegalArgumentException.class, () -> sessions.find(Secrets.randomToken(), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> sessions.find(Secrets.randomToken(), null));
    }

    // --- login throttle ---------------------------------------------------------------------

    @Test
    public void fiveFailuresOfAUserBlockItForTheRestOfTheWindow() {
        for (int i = 1; i <= LoginThrottleImpl.USER_LIMIT; i++) {
            assertFalse("attempt " + i, throttle.refused("alice", "192.0.2.1"));
            throttle.failed("alice", "192.0.2.1");
            clock.advance(Duration.ofMinutes(1));
        }
        assertTrue(throttle.refused("alice", "192.0.2.1"));
        assertTrue("from any address, in any case", throttle.refused("ALICE", "198.51.100.7"));
        assertFalse("other users are not blocked", throttle.refused("bob", "198.51.100.7"));
        // The window started at the first failure, 5 minutes ago: it ends exactly 15 minutes after it.
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertTrue(throttle.refused("alice", "198.51.100.7"));
        clock.advance(Duration.ofMillis(1));
        assertFalse(throttle.refused("alice", "198.51.100.7"));
        throttle.failed("alice", "198.51.100.7");
        assertFalse("a new window starts with one failure", throttle.refused("alice", "198.51.100.7"));
    }

    @Test
    public void failuresSpreadOverTwoWindowsDoNotBlock() {
        for (int i = 0; i < LoginThrottleImpl.USER_LIMIT - 1; i++) {
            throttle.failed("alice", "192.0.2.1");
        }
        clock.advance(LoginThrottleImpl.WINDOW);
        throttle.failed("alice", "192.0.2.1");
        assertFalse(throttle.refused("alice", "192.0.2.1"));
    }

    @Test
    public void twentyFailuresOfAnAddressBlockIt() {
        for (int i = 0; i < LoginThrottleImpl.ADDRESS_LIMIT; i++) {
            assertFalse(throttle.refused("user" + i, "2001:db8::1"));
            throttle.failed("user" + i, "2001:db8::1");
        }
        assertTrue(throttle.refused("someone", "2001:db8::1"));
        assertTrue(throttle.refused("", "2001:db8::1"));
        assertFalse(throttle.refused("someone", "2001:db8::2"));
    }

    @Test
    public void successForgetsTheUserButNotTheAddress() {
        for (int i = 0; i < LoginThrottleImpl.ADDRESS_LIMIT - 1; i++) {
            throttle.failed(i < 4 ? "alice" : "", "192.0.2.1");
        }
        throttle.succeeded("Alice");
        assertEquals(0, countFor("user:alice"));
        assertEquals(LoginThrottleImpl.ADDRESS_LIMIT - 1, countFor("address:192.0.2.1"));
        throttle.failed("alice", "192.0.2.1");
        assertTrue(throttle.refused("alice", "192.0.2.1"));
    }

    @Test
    public void longUserNamesAreCountedUnderTheirHash() {
        String longName = "x".repeat(1000);
        for (int i = 0; i < LoginThrottleImpl.USER_LIMIT; i++) {
            throttle.failed(longName, "192.0.2." + i);
        }
        assertTrue(throttle.refused(longName, "192.0.2.99"));
        assertEquals(LoginThrottleImpl.USER_LIMIT, countFor("user:sha256:" + Secrets.sha256(longName)));
    }

    @Test
    public void endedWindowsAreSwept() throws Exception {
        throttle.failed("alice", "192.0.2.1");
        clock.advance(LoginThrottleImpl.WINDOW);
        new LoginThrottleImpl(db.database, clock).failed("bob", "192.0.2.2");
        assertEquals(2, db.count("select count(*) from login_failure"));
        assertEquals(0, countFor("user:alice"));
    }

    @Test
    public void anAttemptNeedsAnAddress() {
        assertThrows(IllegalArgumentException.class, () -> throttle.refused("alice", null));
        assertThrows(IllegalArgumentException.class, () -> throttle.failed("alice", ""));
    }

    private long countFor(String key) {
        try {
            return db.count("select coalesce(sum(failures), 0) from login_failure where throttle_key = '" + key + "'");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Instant lastSeen() throws Exception {
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select last_seen from ui_session")) {
            rs.next();
            return rs.getObject(1, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {

        private Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
