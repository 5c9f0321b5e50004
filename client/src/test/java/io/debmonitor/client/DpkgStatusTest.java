package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class DpkgStatusTest {

    static final String STATUS = String.join("\n",
            "Package: dpkg",
            "Essential: yes",
            "Status: install ok installed",
            "Priority: required",
            "Architecture: amd64",
            "Multi-Arch: foreign",
            "Version: 1.21.22",
            "Description: Debian package management system",
            " This package provides the low-level infrastructure.",
            "",
            "Package: libc6",
            "Status: install ok installed",
            "Architecture: i386",
            "Multi-Arch: same",
            "Source: glibc",
            "Version: 2.36-9+deb12u4",
            "",
            "Package: libc6",
            "Status: install ok installed",
            "Architecture: amd64",
            "Multi-Arch: same",
            "Source: glibc",
            "Version: 2.36-9+deb12u4",
            "",
            "Package: adduser",
            "Status: install ok installed",
            "Architecture: all",
            "Version: 3.134",
            "",
            "Package: binutils",
            "Status: install ok installed",
            "Architecture: amd64",
            "Source: binutils (2.40-2)",
            "Version: 2.40-2+b1",
            "",
            "Package: broken",
            "Status: reinstreq ok half-installed",
            "Architecture: amd64",
            "Version: 1:1.0-1",
            "",
            "Package: unpacked-only",
            "Status: install ok unpacked",
            "Architecture: amd64",
            "Version: 2.0",
            "",
            "Package: triggered",
            "Status: install ok triggers-pending",
            "Architecture: amd64",
            "Version: 3.0",
            "",
            "Package: removed-conf",
            "Status: deinstall ok config-files",
            "Architecture: amd64",
            "Version: 4.0",
            "",
            "Package: purged",
            "Status: purge ok not-installed",
            "Architecture: amd64",
            "",
            "Package: gone-but-versioned",
            "Status: install ok not-installed",
            "Architecture: amd64",
            "Version: 5.0",
            "");

    private static DpkgStatus parse(String text) {
        return DpkgStatus.parse(text, () -> {
            throw new AssertionError("the fallback must not be used when dpkg is installed");
        });
    }

    private static List<String> names(DpkgStatus status) {
        List<String> names = new ArrayList<>();
        for (DpkgStatus.Installed p : status.packages()) {
            names.add(p.name());
        }
        return names;
    }

    @Test
    public void reportsInstalledLikeStatesAndSkipsConfigFilesAndNotInstalled() {
        DpkgStatus status = parse(STATUS);
        assertEquals(List.of("dpkg", "libc6:i386", "libc6", "adduser", "binutils", "broken", "unpacked-only",
                "triggered"), names(status));
    }

    @Test
    public void nativeArchIsTheArchOfDpkg() {
        assertEquals("amd64", parse(STATUS).nativeArch());
    }

    @Test
    public void foreignArchIsQualifiedAndNativeAndAllAreNot() {
        DpkgStatus status = parse(STATUS);
        DpkgStatus.Installed foreign = status.find("libc6:i386");
        assertEquals("libc6", foreign.bareName());
        assertEquals("i386", foreign.arch());
        assertEquals("glibc", foreign.source());
        assertEquals("libc6", status.find("libc6").name());
        assertEquals("adduser", status.find("adduser").name());
        assertNull(status.find("adduser:all"));
    }

    @Test
    public void sourceWithVersionGivesSourceVersion() {
        DpkgStatus.Installed p = parse(STATUS).find("binutils");
        assertEquals("2.40-2+b1", p.version());
        assertEquals("binutils", p.source());
        assertEquals("2.40-2", p.sourceVersion());
    }

    @Test
    public void sourceWithoutVersionUsesTheBinaryVersion() {
        DpkgStatus.Installed p = parse(STATUS).find("libc6");
        assertEquals("glibc", p.source());
        assertEquals("2.36-9+deb12u4", p.sourceVersion());
    }

    @Test
    public void missingSourceUsesPackageNameAndVersion() {
        DpkgStatus.Installed p = parse(STATUS).find("adduser");
        assertEquals("adduser", p.source());
        assertEquals("3.134", p.sourceVersion());
    }

    @Test
    public void halfInstalledKeepsItsEpoch() {
        assertEquals("1:1.0-1", parse(STATUS).find("broken").version());
    }

    @Test
    public void fallbackArchIsUsedWithoutDpkgAndTheLastStanzaNeedsNoBlankLine() {
        String text = "Package: libfoo\nStatus: install ok installed\nArchitecture: arm64\nVersion: 1\n\n"
                + "Package: libbar\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2";
        DpkgStatus status = DpkgStatus.parse(text, () -> "amd64");
        assertEquals(List.of("libfoo:arm64", "libbar"), names(status));
        assertEquals("amd64", status.nativeArch());
    }

    @Test
    public void crLfLinesAreTolerated() {
        String text = "Package: dpkg\r\nStatus: install ok installed\r\nArchitecture: amd64\r\nVersion: 1.0\r\n\r\n"
                + "Package: less\r\nStatus: install ok installed\r\nArchitecture: amd64\r\nVersion: 590\r\n";
        DpkgStatus status = parse(text);
        assertEquals("1.0", status.find("dpkg").version());
        assertEquals("590", status.find("less").version());
        assertEquals(List.of("dpkg", "less"), names(status));
    }

    @Test
    public void parseSourceVariants() {
        assertEquals(new DpkgStatus.Source("openssl", "3.0"), DpkgStatus.parseSource("openssl", "libssl3", "3.0"));
        assertEquals(new DpkgStatus.Source("binutils", "2.40-2"),
                DpkgStatus.parseSource("binutils (2.40-2)", "binutils", "2.40-2+b1"));
        assertEquals(new DpkgStatus.Source("cowsay", "3"), DpkgStatus.parseSource(null, "cowsay", "3"));
    }
}
