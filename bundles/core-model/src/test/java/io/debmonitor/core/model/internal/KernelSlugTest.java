package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;

import java.util.Set;

import org.junit.Test;

public class KernelSlugTest {

    @Test
    public void slugRules() {
        assertEquals("1-smp-preempt_dynamic-debian-6176-1-2024-02-01",
                KernelSlug.of("#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"));
        assertEquals("kernel", KernelSlug.of("###"));
        assertEquals("a-b", KernelSlug.of("--a - b__"));
        assertEquals("cafe", KernelSlug.of("Café"));
    }

    @Test
    public void uniqueAppendsCounter() {
        assertEquals("x", KernelSlug.unique("x", Set.of()));
        assertEquals("x-3", KernelSlug.unique("x", Set.of("x", "x-2")));
    }
}
