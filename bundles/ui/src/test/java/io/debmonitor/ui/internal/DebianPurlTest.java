package io.debmonitor.ui.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Map;

import org.junit.Test;

import com.github.packageurl.PackageURL;

public class DebianPurlTest {

    private static final Distro DEBIAN_12 = Distro.of("Debian 12");

    @Test
    public void osNamesGiveTheDistroAndItsQualifier() {
        assertEquals(new Distro("debian", "12"), DEBIAN_12);
        assertEquals("debian-12", DEBIAN_12.qualifier());
        assertEquals(new Distro("ubuntu", "24.04"), Distro.of("Ubuntu 24.04"));
        assertEquals("ubuntu-24.04", Distro.of("Ubuntu 24.04").qualifier());
        assertEquals(new Distro("debian", null), Distro.of("Debian"));
        assertNull(Distro.of("Debian").qualifier());
    }

    @Test
    public void aNativePackageHasNoArchQualifier() {
        assertEquals("pkg:deb/debian/base-files@12.4%2Bdeb12u5?distro=debian-12",
                DebianPurl.of(DEBIAN_12, new BomPackage("base-files", "12.4+deb12u5", null, null)));
    }

    @Test
    public void aForeignArchitectureComesFromTheRowName() {
        String purl = DebianPurl.of(DEBIAN_12, new BomPackage("libzstd1:i386", "1.5.4+dfsg2-5", "libzstd", "1.5.4+dfsg2-5"));
        assertEquals("pkg:deb/debian/libzstd1@1.5.4%2Bdfsg2-5?arch=i386&distro=debian-12&upstream=libzstd", purl);
    }

    @Test
    public void upstreamIsWrittenAsDpkgsSourceField() {
        // a binNMU: the source version differs, so it is named
        assertEquals("pkg:deb/debian/libfoo1@1.0-1%2Bb1?distro=debian-12&upstream=foo%401.0-1",
                DebianPurl.of(DEBIAN_12, new BomPackage("libfoo1", "1.0-1+b1", "foo", "1.0-1")));
        // another source name at the binary's version: the name alone
        assertEquals("pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?distro=debian-12&upstream=glibc",
                DebianPurl.of(DEBIAN_12, new BomPackage("libc6", "2.36-9+deb12u7", "glibc", "2.36-9+deb12u7")));
        assertEquals("pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?distro=debian-12&upstream=glibc",
                DebianPurl.of(DEBIAN_12, new BomPackage("libc6", "2.36-9+deb12u7", "glibc", null)));
        // the binary's own source at its version: nothing to say
        assertEquals("pkg:deb/debian/bash@5.2.15-2%2Bb7?distro=debian-12",
                DebianPurl.of(DEBIAN_12, new BomPackage("bash", "5.2.15-2+b7", "bash", "5.2.15-2+b7")));
    }

    @Test
    public void namesVersionsAndQualifiersArePercentEncoded() throws Exception {
        BomPackage p = new BomPackage("libstdc++6:i386", "1:12.2.0-14~deb12u1", "gcc-12", "12.2.0-14~deb12u1+b2");
        String purl = DebianPurl.of(Distro.of("Ubuntu 24.04"), p);
        assertEquals("pkg:deb/ubuntu/libstdc%2B%2B6@1%3A12.2.0-14~deb12u1?arch=i386&distro=ubuntu-24.04&upstream=gcc-12%4012.2.0-14~deb12u1%2Bb2",
                purl);
        PackageURL parsed = new PackageURL(purl);
        assertEquals("libstdc++6", parsed.getName());
        assertEquals("1:12.2.0-14~deb12u1", parsed.getVersion());
        assertEquals(Map.of("arch", "i386", "distro", "ubuntu-24.04", "upstream", "gcc-12@12.2.0-14~deb12u1+b2"), parsed.getQualifiers());
    }

    @Test
    public void aBareOsNameGivesNoDistroQualifier() {
        assertEquals("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1",
                DebianPurl.of(Distro.of("Debian"), new BomPackage("zlib1g", "1:1.2.13.dfsg-1", null, null)));
    }
}
