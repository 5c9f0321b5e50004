package io.debmonitor.shell.internal;

import static io.debmonitor.shell.internal.Fixtures.host;
import static io.debmonitor.shell.internal.Fixtures.image;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.junit.Test;
import org.mockito.ArgumentCaptor;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

public class EntityListTest {

    private final EntityService entities = mock(EntityService.class);

    @Test
    public void hostListPrintsOneLinePerHostByNameThenTheTotal() throws Exception {
        when(entities.list(EntityKind.HOST, EntityFilter.ALL, new PageRequest(1, 1000, "name", false)))
                .thenReturn(new PageDTO<>(1, 1000, 2, List.of(host("a.example.org", 10, 2, 1), host("b.example.org", 5, 0, 0))));
        HostList command = new HostList();
        command.entities = entities;
        assertEquals(List.of(
                "a.example.org  Debian 12  2026-12-04T10:15:30Z  10  2  1",
                "b.example.org  Debian 12  2026-12-04T10:15:30Z  5  0  0",
                "2 hosts"), Console.run(command));
    }

    @Test
    public void hostListFiltersAndLimitsButCountsAllMatches() throws Exception {
        EntityFilter filter = new EntityFilter(null, "Debian 11", UpgradeFilter.SECURITY, null);
        when(entities.list(EntityKind.HOST, filter, new PageRequest(1, 1, "name", false)))
                .thenReturn(new PageDTO<>(1, 1, 7, List.of(host("a.example.org", 10, 2, 1))));
        HostList command = new HostList();
        command.entities = entities;
        command.os = "Debian 11";
        command.upgradable = true;
        command.security = true;
        command.limit = 1;
        assertEquals(List.of("a.example.org  Debian 12  2026-12-04T10:15:30Z  10  2  1", "7 hosts"), Console.run(command));
    }

    @Test
    public void hostListReadsPastTheFirstPage() throws Exception {
        List<EntityDTO> first = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            first.add(host(String.format("h%04d", i), 1, 0, 0));
        }
        EntityFilter filter = new EntityFilter(null, null, UpgradeFilter.UPGRADABLE, null);
        when(entities.list(EntityKind.HOST, filter, new PageRequest(1, 1000, "name", false))).thenReturn(new PageDTO<>(1, 1000, 1001, first));
        when(entities.list(EntityKind.HOST, filter, new PageRequest(2, 1000, "name", false)))
                .thenReturn(new PageDTO<>(2, 1000, 1001, List.of(host("zz", 1, 1, 0))));
        HostList command = new HostList();
        command.entities = entities;
        command.upgradable = true;
        List<String> lines = Console.run(command);
        assertEquals(1002, lines.size());
        assertEquals("zz  Debian 12  2026-12-04T10:15:30Z  1  1  0", lines.get(1000));
        assertEquals("1001 hosts", lines.get(1001));
    }

    @Test
    public void aLimitBelowOneFails() throws Exception {
        HostList command = new HostList();
        command.entities = entities;
        command.limit = 0;
        assertEquals("--limit must be at least 1.", Console.fail(command).message());
    }

    @Test
    public void imageListShowsContainersAndFiltersUnused() throws Exception {
        EntityFilter filter = new EntityFilter(null, null, UpgradeFilter.ALL, false);
        when(entities.list(eq(EntityKind.IMAGE), eq(filter), any()))
                .thenReturn(new PageDTO<>(1, 1000, 1, List.of(image("registry.example.org/a/b:1", 3, 0))));
        ImageList command = new ImageList();
        command.entities = entities;
        command.unused = true;
        assertEquals(List.of("registry.example.org/a/b:1  Debian 12  2026-12-04T10:15:30Z  3  0  0  0", "1 images"), Console.run(command));
        verify(entities).list(EntityKind.IMAGE, filter, new PageRequest(1, 1000, "name", false));
    }

    @Test
    public void hostListStaleAsksForTheStaleHostsOfThePolicy() throws Exception {
        EntityFilter filter = new EntityFilter(null, null, UpgradeFilter.ALL, null, null, true);
        when(entities.list(EntityKind.HOST, filter, new PageRequest(1, 1000, "name", false)))
                .thenReturn(new PageDTO<>(1, 1000, 1, List.of(host("old.example.org", 10, 0, 0))));
        HostList command = new HostList();
        command.entities = entities;
        command.stale = true;
        assertEquals(List.of("old.example.org  Debian 12  2026-12-04T10:15:30Z  10  0  0", "1 hosts"), Console.run(command));
    }

    @Test
    public void hostListStaleHoursOverridesThePolicy() throws Exception {
        HostList command = new HostList();
        command.entities = entities;
        command.stale = true;
        command.staleHours = 5;
        Instant before = Instant.now();
        EntityFilter filter = listedFilter(EntityKind.HOST, command);
        assertNull(filter.stale());
        assertAgo(Duration.ofHours(5), before, filter.notUpdatedSince());
    }

    @Test
    public void imageListStaleAsksForTheStaleImagesOfThePolicy() throws Exception {
        ImageList command = new ImageList();
        command.entities = entities;
        command.stale = true;
        command.unused = true;
        assertEquals(new EntityFilter(null, null, UpgradeFilter.ALL, false, null, true), listedFilter(EntityKind.IMAGE, command));
    }

    @Test
    public void imageListStaleDaysOverridesThePolicy() throws Exception {
        ImageList command = new ImageList();
        command.entities = entities;
        command.stale = true;
        command.staleDays = 30;
        Instant before = Instant.now();
        EntityFilter filter = listedFilter(EntityKind.IMAGE, command);
        assertNull(filter.stale());
        assertAgo(Duration.ofDays(30), before, filter.notUpdatedSince());
    }

    @Test
    public void staleAmountsBelowOneFailWithoutListing() throws Exception {
        HostList hosts = new HostList();
        hosts.entities = entities;
        hosts.stale = true;
        hosts.staleHours = 0;
        assertEquals("--stale HOURS must be at least 1.", Console.fail(hosts).message());
        ImageList images = new ImageList();
        images.entities = entities;
        images.stale = true;
        images.staleDays = -3;
        assertEquals("--stale DAYS must be at least 1.", Console.fail(images).message());
        HostList withoutStale = new HostList();
        withoutStale.entities = entities;
        withoutStale.staleHours = 30;
        assertEquals("HOURS goes after --stale, e.g. --stale 30.", Console.fail(withoutStale).message());
        verifyNoInteractions(entities);
    }

    /** Runs a list command over an empty table and returns the filter it asked for. */
    private EntityFilter listedFilter(EntityKind kind, Action command) throws Exception {
        when(entities.list(eq(kind), any(), any())).thenReturn(new PageDTO<>(1, 1000, 0, List.of()));
        Console.run(command);
        ArgumentCaptor<EntityFilter> filter = ArgumentCaptor.forClass(EntityFilter.class);
        verify(entities).list(eq(kind), filter.capture(), eq(new PageRequest(1, 1000, "name", false)));
        return filter.getValue();
    }

    /** Asserts that {@code instant} is {@code age} before a moment between {@code before} and now. */
    private static void assertAgo(Duration age, Instant before, Instant instant) {
        Instant moment = instant.plus(age);
        assertTrue(moment + " not since " + before, !moment.isBefore(before) && !moment.isAfter(Instant.now()));
    }
}
