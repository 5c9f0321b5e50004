package io.debmonitor.core.model.api;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class DebianVersionTest {

    /** The table of SPEC §2.5: a, b, expected sign of compare(a, b). */
    private static final Object[][] CASES = {
        {"1.0~rc1", "1.0", -1}, {"1.0~~", "1.0~", -1}, {"1.0", "1.0a", -1}, {"1.0a", "1.0+dfsg", -1},
        {"1.0+dfsg", "1.0.1", -1}, {"1:0.9", "2.0", 1}, {"0:1.0", "1.0-0", 0}, {"1.9", "1.10", -1},
        {"1.007", "1.7", 0}, {"2.36-9+deb12u4", "2.36-9+deb12u10", -1}, {"3.0.11-1~deb12u2", "3.0.11-1", -1},
        {"1.2-3-4", "1.2-3.4", 1}, {"1.0", "1.0-1", -1}, {"1.0A", "1.0a", -1},
    };

    @Test
    public void specTableInBothDirections() {
        for (Object[] c : CASES) {
            String a = (String) c[0];
            String b = (String) c[1];
            int expected = (Integer) c[2];
            assertEquals(a + " vs " + b, expected, Integer.signum(DebianVersion.compare(a, b)));
            assertEquals(b + " vs " + a, -expected, Integer.signum(DebianVersion.compare(b, a)));
        }
    }

    @Test
    public void oddInputNeverFails() {
        String[] odd = {"", ":", "-", ":-", "a:b", "1:", "-1", "~", "99999999999999999999999", "1..2"};
        for (String a : odd) {
            for (String b : odd) {
                DebianVersion.compare(a, b);
            }
        }
        assertEquals(0, DebianVersion.compare("", "0"));
    }

    @Test
    public void orderIsTotalAndBreaksTiesByBytes() {
        List<String> versions = new ArrayList<>(List.of("1.0-0", "1.0", "0:1.0", "1.0~rc1", "1.10", "1.9"));
        versions.sort(DebianVersion.ORDER);
        assertEquals(List.of("1.0~rc1", "0:1.0", "1.0", "1.0-0", "1.9", "1.10"), versions);
    }
}
