package io.debmonitor.core.model.v1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;

/** The optional {@code digest} key: read and checked for image reports, never read for host reports. */
public class V1ReportReaderTest {

    private static final String IMAGE = "docker-registry.example.org/wikimedia/mediawiki-httpd:2.4.62-1-20250701";
    private static final String HOST = "db1001.eqiad.example.org";
    private static final String SHA256 = "sha256:" + "0123456789abcdef".repeat(4);

    private final V1ReportReader images = new V1ReportReader("image_name", false);
    private final V1ReportReader hosts = new V1ReportReader("hostname", true);

    /** An image report (SPEC §1.4) with {@code extra} (a JSON fragment ending in a comma, or empty) first. */
    private ReportDTO readImage(String extra) throws InvalidReportException {
        return images.read(IMAGE, ("{" + extra + "\"api_version\": \"v1\", \"os\": \"Debian 12\", \"update_type\": \"full\","
                + " \"image_name\": \"" + IMAGE + "\", \"installed\": [{\"name\": \"apache2\", \"version\": \"2.4.62-1~deb12u2\","
                + " \"source\": \"apache2\"}], \"uninstalled\": [], \"upgradable\": []}").getBytes(StandardCharsets.UTF_8));
    }

    private ReportDTO readHost(String extra) throws InvalidReportException {
        return hosts.read(HOST, ("{" + extra + "\"api_version\": \"v1\", \"os\": \"Debian 12\", \"update_type\": \"full\","
                + " \"hostname\": \"" + HOST + "\", \"running_kernel\": {\"release\": \"6.1.0-18-amd64\", \"version\": \"#1 SMP\"},"
                + " \"installed\": [], \"uninstalled\": [], \"upgradable\": []}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void anImageReportWithoutDigestHasNone() throws Exception {
        ReportDTO report = readImage("");

        assertNull(report.digest());
        assertEquals("Debian 12", report.os());
        assertEquals(1, report.installed().size());
    }

    @Test
    public void anImageReportKeepsAContentDigest() throws Exception {
        for (String digest : List.of(SHA256, "sha512:" + "ab".repeat(64), "sha256:ABCdef", "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
                "sha256.v2_x-y:a=b_c-d", "a:" + "b".repeat(253))) {
            assertEquals(digest, readImage("\"digest\": \"" + digest + "\",").digest());
        }
    }

    @Test
    public void theLastDigestKeyWins() throws Exception {
        assertEquals(SHA256, readImage("\"digest\": \"not a digest\", \"digest\": \"" + SHA256 + "\",").digest());
    }

    @Test
    public void anImageReportRefusesAMalformedDigest() {
        for (String bad : List.of("\"sha256\"", "\"sha256:\"", "\":abc\"", "\"SHA256:abc\"", "\"sha256:ab/cd\"", "\"sha256:ab cd\"",
                "\"sha256:ab:cd\"", "\"sha256@abc\"", "\"-sha256:abc\"", "\"sha256+:abc\"", "\"sha256:abc\\n\"", "\"sha256:abc\\u0000\"",
                "\"\"", "\"a:" + "b".repeat(254) + "\"", "null", "5", "true", "{}", "[\"" + SHA256 + "\"]")) {
            InvalidReportException e = assertThrows(bad, InvalidReportException.class, () -> readImage("\"digest\": " + bad + ","));
            assertTrue(bad + " -> " + e.getMessage(), e.getMessage().startsWith("digest: "));
        }
    }

    @Test
    public void aHostReportNeverReadsADigest() throws Exception {
        assertNull(readHost("").digest());
        for (String ignored : List.of("\"" + SHA256 + "\"", "\"not a digest\"", "\"\"", "null", "5", "{}")) {
            ReportDTO report = readHost("\"digest\": " + ignored + ",");

            assertNull(ignored, report.digest());
            assertEquals(ignored, "#1 SMP", report.kernelVersion());
            assertEquals(ignored, "6.1.0-18-amd64", report.kernelRelease());
        }
    }
}
