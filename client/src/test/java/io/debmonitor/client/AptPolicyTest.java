package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class AptPolicyTest {

    static final String OUTPUT = String.join("\n",
            "apt:",
            "  Installed: 2.6.1",
            "  Candidate: 2.6.2",
            "  Version table:",
            "     2.6.2 500",
            "        500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages",
            " *** 2.6.1 500",
            "        500 http://deb.debian.org/debian bookworm/main amd64 Packages",
            "        100 /var/lib/dpkg/status",
            "libc6:i386:",
            "  Installed: 2.36-9+deb12u4",
            "  Candidate: 2.36-9+deb12u4",
            "  Version table:",
            " *** 2.36-9+deb12u4 500",
            "        500 http://deb.debian.org/debian bookworm/main i386 Packages",
            "        100 /var/lib/dpkg/status",
            "     2.36-9+deb12u3 500",
            "        500 http://deb.debian.org/debian-security bookworm-security/main i386 Packages",
            "dpkg:",
            "  Installed: 1.21.22",
            "  Candidate: 1.21.23",
            "  Version table:",
            "     1.21.23 500",
            "        500 http://deb.debian.org/debian bookworm/main amd64 Packages",
            " *** 1.21.22 100",
            "        100 /var/lib/dpkg/status",
            "pinned:",
            "  Installed: 2.0",
            "  Candidate: 1.0",
            "  Version table:",
            " *** 2.0 100",
            "        100 /var/lib/dpkg/status",
            "     1.0 1001",
            "        500 http://archive.ubuntu.com/ubuntu jammy-security/main amd64 Packages",
            "        500 http://archive.ubuntu.com/ubuntu jammy/main amd64 Packages",
            "local-only:",
            "  Installed: 1.0",
            "  Candidate: (none)",
            "  Version table:",
            " *** 1.0 100",
            "        100 /var/lib/dpkg/status",
            "");

    @Test
    public void candidatesAndSecurity() {
        Map<String, AptPolicy.Candidate> c = AptPolicy.parse(OUTPUT);
        assertEquals(new AptPolicy.Candidate("2.6.2", true), c.get("apt"));
        assertEquals(new AptPolicy.Candidate("1.21.23", false), c.get("dpkg"));
    }

    @Test
    public void securityCountsOnlyForTheCandidateVersion() {
        // 2.36-9+deb12u3 is offered by bookworm-security, but the candidate is not.
        assertEquals(new AptPolicy.Candidate("2.36-9+deb12u4", false), AptPolicy.parse(OUTPUT).get("libc6:i386"));
    }

    @Test
    public void anyArchiveWithASecuritySuiteCounts() {
        assertEquals(new AptPolicy.Candidate("1.0", true), AptPolicy.parse(OUTPUT).get("pinned"));
    }

    @Test
    public void noCandidateIsLeftOut() {
        Map<String, AptPolicy.Candidate> c = AptPolicy.parse(OUTPUT);
        assertNull(c.get("local-only"));
        assertEquals(4, c.size());
    }

    @Test
    public void suiteDetection() {
        assertTrue(AptPolicy.isSecuritySuite("500 http://security.debian.org stable-security/main amd64 Packages"));
        assertFalse(AptPolicy.isSecuritySuite("500 http://deb.debian.org/debian bookworm-updates/main amd64 Packages"));
        assertFalse(AptPolicy.isSecuritySuite("100 /var/lib/dpkg/status"));
        assertFalse(AptPolicy.isSecuritySuite("500 http://example.org/security-tools ./ Packages"));
    }
}
