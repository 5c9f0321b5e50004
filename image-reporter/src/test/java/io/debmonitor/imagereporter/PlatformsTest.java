package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class PlatformsTest {

    @Test
    public void mapsOciArchitecturesToDebianOnes() {
        assertEquals("amd64", Platforms.debianArch("amd64", null));
        assertEquals("arm64", Platforms.debianArch("arm64", "v8"));
        assertEquals("armhf", Platforms.debianArch("arm", "v7"));
        assertEquals("armhf", Platforms.debianArch("arm", null));
        assertEquals("armel", Platforms.debianArch("arm", "v6"));
        assertEquals("armel", Platforms.debianArch("arm", "v5"));
        assertEquals("i386", Platforms.debianArch("386", null));
        assertEquals("ppc64el", Platforms.debianArch("ppc64le", null));
        assertEquals("s390x", Platforms.debianArch("s390x", null));
        assertEquals("riscv64", Platforms.debianArch("riscv64", null));
        assertEquals("mips64el", Platforms.debianArch("mips64le", null));
        assertEquals("mipsel", Platforms.debianArch("mipsle", null));
    }

    @Test
    public void refusesArchitecturesWithoutADebianPort() {
        assertThrows(IllegalArgumentException.class, () -> Platforms.debianArch("wasm", null));
        assertThrows(IllegalArgumentException.class, () -> Platforms.debianArch("arm", "v4"));
    }
}
