package io.debmonitor.metrics.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import io.debmonitor.core.model.api.Cidr;

public class MetricsAccessTest {

    /** @return the configuration with its defaults, except the given keys */
    static MetricsConfiguration config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return mock(MetricsConfiguration.class, call -> values.getOrDefault(call.getMethod().getName(), call.getMethod().getDefaultValue()));
    }

    @Test
    public void theDefaultAllowsLoopbackOnly() {
        MetricsAccess access = new MetricsAccess(config());
        assertTrue(access.allows("127.0.0.1", false, Set.of()));
        assertTrue(access.allows("0:0:0:0:0:0:0:1", false, Set.of()));
        assertTrue(access.allows("::1", false, Set.of()));
        assertFalse(access.allows("127.0.0.2", false, Set.of()));
        assertFalse(access.allows("10.0.0.5", false, Set.of()));
        assertFalse(access.allows("::2", false, Set.of()));
        assertFalse(access.allows("10.0.0.5", false, Set.of("prometheus.example.org")));
    }

    @Test
    public void cidrsFromOneCommaSeparatedEntry() {
        MetricsAccess access = new MetricsAccess(config("allowedAddresses", new String[] {"10.0.0.0/8, 192.168.1.0/25 ,2001:db8::/32"}));
        assertTrue(access.allows("10.200.3.4", false, Set.of()));
        assertTrue(access.allows("192.168.1.127", false, Set.of()));
        assertFalse(access.allows("192.168.1.128", false, Set.of()));
        assertFalse(access.allows("11.0.0.1", false, Set.of()));
        assertTrue(access.allows("2001:db8:ffff::1", false, Set.of()));
        assertFalse(access.allows("2001:db9::1", false, Set.of()));
        assertTrue("an IPv4-mapped peer is its IPv4 address", access.allows("::ffff:10.1.2.3", false, Set.of()));
        assertFalse("loopback is no longer listed", access.allows("127.0.0.1", false, Set.of()));
    }

    @Test
    public void anAllowedIdentityScrapesFromAnyAddress() {
        MetricsAccess access = new MetricsAccess(config("allowedIdentities", new String[] {"prometheus1.example.org", "prometheus2.example.org"}));
        assertTrue(access.allows("203.0.113.9", false, Set.of("prometheus2.example.org")));
        assertTrue(access.allows("203.0.113.9", false, Set.of("other.example.org", "prometheus1.example.org")));
        assertFalse(access.allows("203.0.113.9", false, Set.of("host1.example.org")));
        assertFalse(access.allows("203.0.113.9", false, Set.of()));
    }

    @Test
    public void anEmptyListRefusesEveryone() {
        MetricsAccess access = new MetricsAccess(config("allowedAddresses", new String[0]));
        assertFalse(access.allows("127.0.0.1", false, Set.of()));
        assertFalse(access.allows(null, false, Set.of()));
    }

    @Test
    public void namesAndBadPrefixesAreRefusedNotResolved() {
        for (String entry : new String[] {"localhost", "prometheus.example.org", "10.0.0.0/33", "::/129", "10.0.0.0/x", "256.1.1.1", "1::2::3"}) {
            IllegalArgumentException e = assertThrows(entry, IllegalArgumentException.class,
                    () -> new MetricsAccess(config("allowedAddresses", new String[] {entry})));
            assertTrue(e.getMessage(), e.getMessage().contains(entry));
        }
    }

    @Test
    public void anInvalidChangeKeepsThePreviousList() {
        MetricsAccess access = new MetricsAccess(config("allowedAddresses", new String[] {"10.0.0.0/8"}));
        access.modified(config("allowedAddresses", new String[] {"192.168.0.0/16"}));
        assertTrue(access.allows("192.168.4.4", false, Set.of()));
        assertFalse(access.allows("10.1.1.1", false, Set.of()));

        assertThrows(IllegalArgumentException.class, () -> access.modified(config("allowedAddresses", new String[] {"metrics-host"})));
        assertTrue(access.allows("192.168.4.4", false, Set.of()));
    }

    @Test
    public void addressBlocksMatchBitsNotText() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains("203.0.113.7"));
        assertFalse("an IPv4 block holds no IPv6 peer", Cidr.parse("0.0.0.0/0").contains("2001:db8::1"));
        assertTrue(Cidr.parse("172.16.0.0/12").contains("172.31.255.255"));
        assertFalse(Cidr.parse("172.16.0.0/12").contains("172.32.0.0"));
        assertTrue(Cidr.parse("[fe80::1]").contains("fe80:0:0:0:0:0:0:1%eth0"));
        assertFalse(Cidr.parse("10.0.0.1").contains("not-an-address"));
        assertEquals(12, Cidr.parse(" 172.16.0.0/12 ").prefix());
    }
}
