package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.debmonitor.client.DpkgStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class ImagePackagesTest {

    private static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final String OCI_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String OCI_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static final String DEBIAN_12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
            + "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\n"
            + "VERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n";
    private static final String DEBIAN_11 = "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\n"
            + "VERSION_ID=\"11\"\nID=debian\n";

    private static String stanza(String pkg, String version, String arch, String... extraFields) {
        return stanzaWithStatus(pkg, version, arch, "install ok installed", extraFields);
    }

    private static String stanzaWithStatus(String pkg, String version, String arch, String status,
                                           String... extraFields) {
        StringBuilder s = new StringBuilder();
        s.append("Package: ").append(pkg).append('\n');
        s.append("Status: ").append(status).append('\n');
        s.append("Priority: optional\nSection: libs\nInstalled-Size: 123\n");
        s.append("Maintainer: Debian Developers <debian@example.org>\n");
        s.append("Architecture: ").append(arch).append('\n');
        for (String field : extraFields) {
            s.append(field).append('\n');
        }
        s.append("Version: ").append(version).append('\n');
        s.append("Description: the ").append(pkg).append(" package\n continued description line\n");
        return s.toString();
    }

    private static String status(String... stanzas) {
        return String.join("\n", stanzas);
    }

    private static TarLayer debianBase(String statusText) {
        return new TarLayer()
                .dir("./")
                .dir("./etc")
                .symlink("./etc/os-release", "../usr/lib/os-release")
                .dir("./usr/lib")
                .file("./usr/lib/os-release", DEBIAN_12)
                .dir("./var/lib/dpkg")
                .file("./var/lib/dpkg/status", statusText);
    }

    private static ImagePackages apply(String arch, byte[]... tarLayers) throws IOException, ImageException {
        return apply(new ImagePackages(arch), tarLayers);
    }

    private static ImagePackages apply(ImagePackages image, byte[]... tarLayers) throws IOException, ImageException {
        for (byte[] layer : tarLayers) {
            image.applyLayer(new ByteArrayInputStream(layer), OCI_TAR);
        }
        return image;
    }

    private static List<String> nameVersions(ImageContents contents) {
        List<String> out = new ArrayList<>();
        for (DpkgStatus.Installed p : contents.installed()) {
            out.add(p.name() + "=" + p.version());
        }
        return out;
    }

    @Test
    public void plainStatusGivesTheOsAndTheReportedPackages() throws Exception {
        String text = status(
                stanza("base-files", "12.4+deb12u5", "amd64"),
                stanza("dpkg", "1.21.22", "amd64"),
                stanza("libc6", "2.36-9+deb12u4", "i386"),
                stanzaWithStatus("removed-tool", "1.0-1", "amd64", "deinstall ok config-files"),
                stanza("tzdata", "2024a-0+deb12u1", "all"));

        ImageContents contents = apply("amd64", debianBase(text).tar()).result();

        assertEquals("Debian 12", contents.os());
        assertEquals(List.of("base-files=12.4+deb12u5", "dpkg=1.21.22", "libc6:i386=2.36-9+deb12u4",
                "tzdata=2024a-0+deb12u1"), nameVersions(contents));
    }

    @Test
    public void theArchitectureOfTheDpkgPackageIsTheNativeOne() throws Exception {
        String text = status(stanza("dpkg", "1.21.22", "arm64"), stanza("libc6", "2.36-9", "arm64"));

        ImageContents contents = apply("amd64", debianBase(text).tar()).result();

        assertEquals(List.of("dpkg=1.21.22", "libc6=2.36-9"), nameVersions(contents));
    }

    @Test
    public void anUpperLayerRewritingTheStatusRemovesAPackage() throws Exception {
        String lower = status(stanza("dpkg", "1.21.22", "amd64"), stanza("curl", "7.88.1-10", "amd64"),
                stanza("libcurl4", "7.88.1-10", "amd64"));
        String upper = status(stanza("dpkg", "1.21.22", "amd64"), stanza("libcurl4", "7.88.1-10+deb12u5",
                "amd64"));
        byte[] upperLayer = new TarLayer().file("var/lib/dpkg/status", upper).file("usr/bin/other", "x").tar();

        ImageContents contents = apply("amd64", debianBase(lower).tar(), upperLayer).result();

        assertEquals(List.of("dpkg=1.21.22", "libcurl4=7.88.1-10+deb12u5"), nameVersions(contents));
    }

    @Test
    public void aWhiteoutHidesTheStatusUntilALaterLayerWritesANewOne() throws Exception {
        ImagePackages image = apply("amd64", debianBase(stanza("old", "1", "amd64")).tar(),
                new TarLayer().file("var/lib/dpkg/.wh.status", "").tar());

        ImageException e = assertThrows(ImageException.class, image::result);
        assertTrue(e.getMessage(), e.getMessage().contains("no dpkg database"));

        image.applyLayer(new ByteArrayInputStream(new TarLayer().file("var/lib/dpkg/status",
                stanza("new", "2", "amd64")).tar()), OCI_TAR);
        assertEquals(List.of("new=2"), nameVersions(image.result()));
    }

    @Test
    public void aWhiteoutHidesOnlyLowerLayersNotItsOwn() throws Exception {
        String lower = stanza("old", "1", "amd64");
        String mine = stanza("mine", "2", "amd64");
        byte[] whiteoutFirst = new TarLayer().file("var/lib/dpkg/.wh.status", "")
                .file("var/lib/dpkg/status", mine).tar();
        byte[] whiteoutLast = new TarLayer().file("var/lib/dpkg/status", mine)
                .file("var/lib/dpkg/.wh.status", "").tar();

        assertEquals(List.of("mine=2"), nameVersions(apply("amd64", debianBase(lower).tar(), whiteoutFirst).result()));
        assertEquals(List.of("mine=2"), nameVersions(apply("amd64", debianBase(lower).tar(), whiteoutLast).result()));
    }

    @Test
    public void anOpaqueDirectoryHidesWhatLowerLayersPutInIt() throws Exception {
        byte[] lower = debianBase(stanza("dpkg", "1.21.22", "amd64")).dir("var/lib/dpkg/status.d")
                .file("var/lib/dpkg/status.d/a", stanza("a", "1", "amd64"))
                .file("var/lib/dpkg/status.d/b", stanza("b", "1", "amd64")).tar();
        byte[] upper = new TarLayer().dir("var/lib/dpkg/status.d")
                .file("var/lib/dpkg/status.d/c", stanza("c", "1", "amd64"))
                .file("var/lib/dpkg/status.d/.wh..wh..opq", "").tar();

        ImageContents contents = apply("amd64", lower, upper).result();

        // status is next to the opaque directory, not in it: it stays.
        assertEquals(List.of("dpkg=1.21.22", "c=1"), nameVersions(contents));
    }

    @Test
    public void anOpaqueRootHidesEverythingBelow() throws Exception {
        byte[] upper = new TarLayer().file(".wh..wh..opq", "").file("etc/os-release", DEBIAN_11)
                .file("var/lib/dpkg/status", stanza("fresh", "1", "amd64")).tar();

        ImageContents contents = apply("amd64", debianBase(stanza("old", "1", "amd64")).tar(), upper).result();

        assertEquals("Debian 11", contents.os());
        assertEquals(List.of("fresh=1"), nameVersions(contents));
    }

    @Test
    public void aWhiteoutOfTheWholeDpkgDirectoryHidesTheDatabase() throws Exception {
        byte[] lower = debianBase(stanza("dpkg", "1.21.22", "amd64"))
                .file("var/lib/dpkg/status.d/extra", stanza("extra", "1", "amd64")).tar();
        ImagePackages image = apply("amd64", lower, new TarLayer().file("var/lib/.wh.dpkg", "").tar());

        ImageException e = assertThrows(ImageException.class, image::result);
        assertTrue(e.getMessage(), e.getMessage().contains("no dpkg database"));

        image.applyLayer(new ByteArrayInputStream(new TarLayer().dir("var/lib/dpkg")
                .file("var/lib/dpkg/status", stanza("reborn", "3", "amd64")).tar()), OCI_TAR);
        ImageContents contents = image.result();
        assertEquals("Debian 12", contents.os());
        assertEquals(List.of("reborn=3"), nameVersions(contents));
    }

    @Test
    public void aFileReplacingTheDpkgDirectoryHidesItsLowerContent() throws Exception {
        byte[] upper = new TarLayer().symlink("var/lib/dpkg", "/nowhere").tar();

        ImagePackages image = apply("amd64", debianBase(stanza("dpkg", "1.21.22", "amd64")).tar(), upper);

        assertThrows(ImageException.class, image::result);
    }

    @Test
    public void distrolessStatusDirectoryEntriesAreConcatenated() throws Exception {
        // Entries written without a trailing newline: each must still stay a stanza of its own.
        String baseFiles = stanza("base-files", "12.4+deb12u5", "arm64").stripTrailing();
        String libc6 = stanza("libc6", "2.36-9+deb12u7", "arm64", "Source: glibc").stripTrailing();
        String tzdata = stanza("tzdata", "2024a-0+deb12u1", "all");
        String foreign = stanza("libfoo", "1.0", "amd64");
        // Were the md5sums file read as status text, it would add a package.
        String md5sums = "Package: from-md5sums\nStatus: install ok installed\nVersion: 9\n";
        byte[] layer = new TarLayer()
                .file("etc/os-release", "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\n"
                        + "VERSION_ID=\"12\"\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\n")
                .dir("var/lib/dpkg/status.d")
                .file("var/lib/dpkg/status.d/base-files", baseFiles)
                .file("var/lib/dpkg/status.d/base-files.md5sums", md5sums)
                .file("var/lib/dpkg/status.d/libc6", libc6)
                .file("var/lib/dpkg/status.d/libc6.md5sums", "d41d8cd98f00b204e9800998ecf8427e  lib/libc.so.6\n")
                .file("var/lib/dpkg/status.d/libfoo", foreign)
                .file("var/lib/dpkg/status.d/tzdata", tzdata)
                .tar();

        ImageContents contents = apply("arm64", layer).result();

        assertEquals("Debian 12", contents.os());
        assertEquals(List.of("base-files=12.4+deb12u5", "libc6=2.36-9+deb12u7", "libfoo:amd64=1.0",
                "tzdata=2024a-0+deb12u1"), nameVersions(contents));
        assertEquals("glibc", contents.installed().get(1).source());
    }

    @Test
    public void statusAndStatusDirectoryAreBothRead() throws Exception {
        byte[] layer = debianBase(stanza("dpkg", "1.21.22", "amd64").stripTrailing())
                .file("var/lib/dpkg/status.d/extra", stanza("extra", "1", "amd64")).tar();

        assertEquals(List.of("dpkg=1.21.22", "extra=1"), nameVersions(apply("amd64", layer).result()));
    }

    @Test
    public void osReleaseThroughAnAbsoluteSymlink() throws Exception {
        byte[] layer = new TarLayer().symlink("etc/os-release", "/usr/lib/os-release")
                .file("usr/lib/os-release", DEBIAN_11)
                .file("var/lib/dpkg/status", stanza("dpkg", "1.20.13", "amd64")).tar();

        assertEquals("Debian 11", apply("amd64", layer).result().os());
    }

    @Test
    public void osReleaseSymlinkIsFollowedInTheMergedView() throws Exception {
        // etc/os-release -> ../usr/lib/os-release, whose target a later layer replaces.
        byte[] upper = new TarLayer().file("usr/lib/os-release", DEBIAN_11).tar();

        ImageContents contents = apply("amd64", debianBase(stanza("dpkg", "1", "amd64")).tar(), upper).result();

        assertEquals("Debian 11", contents.os());
    }

    @Test
    public void etcOsReleaseWinsOverUsrLib() throws Exception {
        byte[] upper = new TarLayer().file("etc/os-release", DEBIAN_11).tar();

        assertEquals("Debian 11", apply("amd64", debianBase(stanza("dpkg", "1", "amd64")).tar(), upper)
                .result().os());
    }

    @Test
    public void osReleaseThroughAHardLink() throws Exception {
        byte[] layer = new TarLayer().file("usr/lib/os-release", DEBIAN_11)
                .hardLink("etc/os-release", "usr/lib/os-release")
                .file("var/lib/dpkg/status", stanza("dpkg", "1", "amd64")).tar();
        byte[] upper = new TarLayer().file("usr/lib/.wh.os-release", "").tar();

        // The hard link is a file of its own: removing the other name leaves it.
        assertEquals("Debian 11", apply("amd64", layer, upper).result().os());
    }

    @Test
    public void aDanglingOsReleaseSymlinkWithoutFallbackIsRefused() throws Exception {
        byte[] upper = new TarLayer().file("usr/lib/.wh.os-release", "").tar();

        ImagePackages image = apply("amd64", debianBase(stanza("dpkg", "1", "amd64")).tar(), upper);

        ImageException e = assertThrows(ImageException.class, image::result);
        assertTrue(e.getMessage(), e.getMessage().contains("no os-release"));
    }

    @Test
    public void usrLibOsReleaseIsTheFallback() throws Exception {
        byte[] upper = new TarLayer().file("etc/.wh.os-release", "").tar();

        assertEquals("Debian 12", apply("amd64", debianBase(stanza("dpkg", "1", "amd64")).tar(), upper)
                .result().os());
    }

    @Test
    public void ubuntu() throws Exception {
        byte[] layer = new TarLayer()
                .file("usr/lib/os-release", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\n"
                        + "VERSION_ID=\"24.04\"\nVERSION=\"24.04.1 LTS (Noble Numbat)\"\nID=ubuntu\nID_LIKE=debian\n")
                .symlink("etc/os-release", "../usr/lib/os-release")
                .file("var/lib/dpkg/status", status(stanza("dpkg", "1.22.6ubuntu6.1", "amd64"),
                        stanza("libssl3t64", "3.0.13-0ubuntu3.4", "amd64", "Source: openssl"))).tar();

        ImageContents contents = apply("amd64", layer).result();

        assertEquals("Ubuntu 24.04", contents.os());
        assertEquals(List.of("dpkg=1.22.6ubuntu6.1", "libssl3t64=3.0.13-0ubuntu3.4"), nameVersions(contents));
    }

    @Test
    public void debianTestingHasNoVersion() throws Exception {
        byte[] layer = new TarLayer().file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n"
                        + "NAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n")
                .file("var/lib/dpkg/status", stanza("dpkg", "1.22.11", "amd64")).tar();

        assertEquals("Debian", apply("amd64", layer).result().os());
    }

    @Test
    public void anOsOtherThanDebianOrUbuntuIsRefused() throws Exception {
        byte[] alpine = new TarLayer().file("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\n"
                + "VERSION_ID=3.20.3\n").file("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\n").tar();
        byte[] devuan = new TarLayer().file("etc/os-release", "ID=devuan\nVERSION_ID=5\n")
                .file("var/lib/dpkg/status", stanza("dpkg", "1.21.22", "amd64")).tar();

        ImageException e = assertThrows(ImageException.class, () -> apply("amd64", alpine).result());
        assertTrue(e.getMessage(), e.getMessage().contains("Alpine 3.20.3"));
        e = assertThrows(ImageException.class, () -> apply("amd64", devuan).result());
        assertTrue(e.getMessage(), e.getMessage().contains("Devuan 5"));
    }

    @Test
    public void anOsReleaseWithoutIdIsRefused() throws Exception {
        byte[] layer = new TarLayer().file("etc/os-release", "NAME=\"Something\"\n")
                .file("var/lib/dpkg/status", stanza("dpkg", "1.21.22", "amd64")).tar();

        assertThrows(ImageException.class, () -> apply("amd64", layer).result());
    }

    @Test
    public void noDpkgDatabaseIsRefused() throws Exception {
        byte[] layer = new TarLayer().file("etc/os-release", DEBIAN_12).file("bin/app", "binary").tar();

        ImageException e = assertThrows(ImageException.class, () -> apply("amd64", layer).result());
        assertTrue(e.getMessage(), e.getMessage().contains("no dpkg database"));
    }

    @Test
    public void aDatabaseWithoutInstalledPackagesIsRefused() throws Exception {
        // A full report without packages would erase what DebMonitor has of the image.
        String removedOnly = stanzaWithStatus("removed-tool", "1.0-1", "amd64", "deinstall ok config-files");
        for (String text : List.of("", removedOnly)) {
            ImagePackages image = apply("amd64", debianBase(text).tar());

            ImageException e = assertThrows(ImageException.class, image::result);
            assertEquals("the dpkg database lists no installed package", e.getMessage());
        }
    }

    @Test
    public void aStatusDirectoryStanzaWithoutStatusIsInstalled() throws Exception {
        // As dpkg-deb --field writes them: the control fields, no Status. One entry holds two stanzas.
        String noStatus = "Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nSource: openssl\n"
                + "Description: SSL\n library\n";
        String twoStanzas = "Package: zlib1g\r\nVersion: 1:1.2.13\r\nArchitecture: amd64\r\n\r\n"
                + stanzaWithStatus("gone", "1", "amd64", "deinstall ok config-files");
        byte[] layer = new TarLayer().file("etc/os-release", DEBIAN_12)
                .file("var/lib/dpkg/status.d/libssl3", noStatus)
                .file("var/lib/dpkg/status.d/zlib1g", twoStanzas).tar();

        ImageContents contents = apply("amd64", layer).result();

        assertEquals(List.of("libssl3=3.0.15-1~deb12u1", "zlib1g=1:1.2.13"), nameVersions(contents));
        assertEquals("openssl", contents.installed().get(0).source());
    }

    @Test
    public void theStatusFileKeepsDpkgsRulesForAStanzaWithoutStatus() throws Exception {
        String text = status(stanza("dpkg", "1.21.22", "amd64"),
                "Package: half-written\nVersion: 1\nArchitecture: amd64\n");

        assertEquals(List.of("dpkg=1.21.22"), nameVersions(apply("amd64", debianBase(text).tar()).result()));
    }

    @Test
    public void gzipAndZstdLayers() throws Exception {
        ImagePackages image = new ImagePackages("amd64");
        image.applyLayer(new ByteArrayInputStream(debianBase(stanza("dpkg", "1", "amd64")).gzip()), OCI_GZIP);
        image.applyLayer(new ByteArrayInputStream(new TarLayer().file("var/lib/dpkg/status",
                stanza("zstd-pkg", "2", "amd64")).zstd()), OCI_ZSTD);

        ImageContents contents = image.result();

        assertEquals("Debian 12", contents.os());
        assertEquals(List.of("zstd-pkg=2"), nameVersions(contents));
    }

    @Test
    public void theGenericDockerMediaTypeIsSniffed() throws Exception {
        for (String compression : List.of("tar", "gzip", "zstd")) {
            TarLayer layer = debianBase(stanza("p-" + compression, "1", "amd64"));
            byte[] blob = compression.equals("tar") ? layer.tar()
                    : compression.equals("gzip") ? layer.gzip() : layer.zstd();
            ImagePackages image = new ImagePackages("amd64");

            image.applyLayer(new ByteArrayInputStream(blob), DOCKER_GZIP);

            assertEquals(List.of("p-" + compression + "=1"), nameVersions(image.result()));
        }
    }

    @Test
    public void theDeclaredOciCompressionIsTrusted() throws Exception {
        byte[] binary = new byte[16384];
        new java.util.Random(42).nextBytes(binary);
        byte[] gzipped = debianBase(stanza("dpkg", "1", "amd64")).file("usr/bin/tool", binary).gzip();

        assertThrows(IOException.class, () -> new ImagePackages("amd64")
                .applyLayer(new ByteArrayInputStream(gzipped), OCI_TAR));
    }

    @Test
    public void anUnsupportedMediaTypeIsRefused() {
        IOException e = assertThrows(IOException.class, () -> new ImagePackages("amd64")
                .applyLayer(new ByteArrayInputStream(new byte[0]), "application/vnd.in-toto+json"));
        assertTrue(e.getMessage(), e.getMessage().contains("application/vnd.in-toto+json"));
    }

    @Test
    public void sourceFieldWithAndWithoutVersion() throws Exception {
        String text = status(
                stanza("libbinutils", "2.40-2+b1", "amd64", "Source: binutils (2.40-2)"),
                stanza("libssl3", "3.0.15-1~deb12u1", "amd64", "Source: openssl"),
                stanza("bash", "5.2.15-2+b7", "amd64"));

        List<DpkgStatus.Installed> installed = apply("amd64", debianBase(text).tar()).result().installed();

        assertEquals("binutils", installed.get(0).source());
        assertEquals("2.40-2", installed.get(0).sourceVersion());
        assertEquals("openssl", installed.get(1).source());
        assertEquals("3.0.15-1~deb12u1", installed.get(1).sourceVersion());
        assertEquals("bash", installed.get(2).source());
        assertEquals("5.2.15-2+b7", installed.get(2).sourceVersion());
    }

    @Test
    public void aKeptFileOverTheLimitSkipsTheImageOthersAreStreamedPast() throws Exception {
        byte[] big = new byte[64 * 1024];
        String smallStatus = stanza("dpkg", "1", "amd64");
        byte[] fine = debianBase(smallStatus).file("usr/share/big.bin", big).tar();
        byte[] tooBig = new TarLayer().file("var/lib/dpkg/status", smallStatus + "\n" + "x".repeat(4096)).tar();
        ImagePackages image = new ImagePackages("amd64", new ImagePackages.Limits(1024, 1 << 20, 10));

        image.applyLayer(new ByteArrayInputStream(fine), OCI_TAR);
        // Not an IOException: that would make the walker read every layer again.
        ImageException e = assertThrows(ImageException.class,
                () -> image.applyLayer(new ByteArrayInputStream(tooBig), OCI_TAR));

        assertTrue(e.getMessage(), e.getMessage().contains("var/lib/dpkg/status"));
        assertEquals(new ImagePackages.Limits(64L << 20, 256L << 20, 100_000), ImagePackages.Limits.DEFAULT);
    }

    @Test
    public void theKeptFilesTogetherHaveALimit() throws Exception {
        ImagePackages.Limits limits = new ImagePackages.Limits(1000, 2500, 10);
        String entry = stanza("p", "1", "amd64") + "X-Padding: " + "x".repeat(650) + "\n";
        // Two entries fit, three do not.
        assertTrue(entry.length() < 1000 && 2 * entry.length() < 2500 && 3 * entry.length() > 2500);
        // Rewriting a file or removing some frees their share: only what is kept at once counts.
        byte[] rewrite = new TarLayer().file("var/lib/dpkg/status.d/a", entry)
                .file("var/lib/dpkg/status.d/b", entry).tar();
        byte[] removeB = new TarLayer().file("var/lib/dpkg/status.d/.wh.b", "").tar();
        byte[] addC = new TarLayer().file("var/lib/dpkg/status.d/c", entry).tar();
        ImagePackages image = apply(new ImagePackages("amd64", limits), rewrite, rewrite, rewrite, removeB, addC);

        ImageException e = assertThrows(ImageException.class, () -> image.applyLayer(new ByteArrayInputStream(
                new TarLayer().file("var/lib/dpkg/status.d/d", entry).tar()), OCI_TAR));
        assertTrue(e.getMessage(), e.getMessage().contains("more than 2500 bytes"));
    }

    @Test
    public void theStatusDirectoryHasAnEntryLimit() throws Exception {
        ImagePackages.Limits limits = new ImagePackages.Limits(1 << 20, 1 << 20, 3);
        TarLayer three = new TarLayer().file("etc/os-release", DEBIAN_12);
        for (String name : List.of("a", "b", "c")) {
            three.file("var/lib/dpkg/status.d/" + name, stanza(name, "1", "amd64"));
        }
        ImagePackages image = apply(new ImagePackages("amd64", limits), three.tar());
        assertEquals(List.of("a=1", "b=1", "c=1"), nameVersions(image.result()));

        byte[] fourth = new TarLayer().file("var/lib/dpkg/status.d/d", stanza("d", "1", "amd64")).tar();
        ImageException e = assertThrows(ImageException.class,
                () -> image.applyLayer(new ByteArrayInputStream(fourth), OCI_TAR));
        assertEquals("more than 3 entries in /var/lib/dpkg/status.d", e.getMessage());
    }

    @Test
    public void theBlobIsReadToItsEndAndLeftOpen() throws Exception {
        // Zeros after the end of the archive: more than a read buffer, so only reading on finds them.
        byte[] tar = debianBase("").tar();
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 65536);
        for (byte[] blob : List.of(padded, debianBase("").gzip())) {
            boolean[] closed = {false};
            ByteArrayInputStream in = new ByteArrayInputStream(blob) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };

            new ImagePackages("amd64").applyLayer(in, DOCKER_GZIP);

            assertEquals(0, in.available());
            assertFalse(closed[0]);
        }
    }

    @Test
    public void absoluteAndDotPathsAreTheSameFile() throws Exception {
        byte[] lower = new TarLayer().file("/etc/os-release", DEBIAN_12)
                .file("/var/lib/dpkg/status", stanza("a", "1", "amd64")).tar();
        byte[] upper = new TarLayer().file("./var/lib/./dpkg//status", stanza("b", "1", "amd64")).tar();

        assertEquals(List.of("b=1"), nameVersions(apply("amd64", lower, upper).result()));
    }

    @Test
    public void cleanNormalisesPaths() {
        assertEquals("etc/os-release", ImagePackages.clean("./etc/os-release"));
        assertEquals("usr/lib/os-release", ImagePackages.clean("etc/../usr/lib/os-release"));
        assertEquals("", ImagePackages.clean("./"));
        assertEquals("etc", ImagePackages.clean("/etc/"));
        assertEquals("x", ImagePackages.clean("../../x"));
    }
}
