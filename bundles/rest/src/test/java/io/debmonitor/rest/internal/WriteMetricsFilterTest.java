package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

/** Which requests count as v1 writes, and under which source. */
public class WriteMetricsFilterTest {

    @Test
    public void v1WritesAreNamedByTheirCollection() {
        assertEquals("hosts", WriteMetricsFilter.source("POST", "hosts/db1001.example.org/update"));
        assertEquals("images", WriteMetricsFilter.source("POST", "/images/registry.example.org/app:1/update"));
        assertEquals("kubernetes", WriteMetricsFilter.source("POST", "kubernetes/update"));
        assertEquals("hosts", WriteMetricsFilter.source("DELETE", "hosts/db1001.example.org"));
        assertEquals("images", WriteMetricsFilter.source("DELETE", "images/registry.example.org/app:1"));
    }

    @Test
    public void pagesAndOtherRequestsAreNot() {
        assertNull(WriteMetricsFilter.source("GET", "hosts/db1001.example.org"));
        assertNull(WriteMetricsFilter.source("GET", "hosts/x/update"));
        assertNull(WriteMetricsFilter.source("POST", "login"));
        assertNull(WriteMetricsFilter.source("POST", "logout"));
        assertNull(WriteMetricsFilter.source("POST", "hosts/x"));
        assertNull(WriteMetricsFilter.source("DELETE", "hosts/"));
        assertNull(WriteMetricsFilter.source("DELETE", "auth-check"));
    }
}
