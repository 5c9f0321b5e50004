package io.debmonitor.core.model.api;

import java.util.Comparator;

/**
 * dpkg's version ordering (SPEC §2.5). {@link #compare(String, String)} returns 0 for versions dpkg
 * considers equal ({@code 1.0} and {@code 1.0-0}); {@link #ORDER} breaks such ties by byte order so
 * sorting is total and repeatable.
 *
 * @since 0.1.0
 */
public final class DebianVersion {

    /** Total order: dpkg order, then plain string order. */
    public static final Comparator<String> ORDER = (a, b) -> {
        int dpkg = compare(a, b);
        return dpkg != 0 ? dpkg : a.compareTo(b);
    };

    private DebianVersion() {
    }

    /**
     * @return negative, zero or positive as {@code a} sorts before, equal to or after {@code b}
     *         in dpkg order; never fails on odd input
     */
    public static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int epoch = compareDigits(x[0], y[0]);
        if (epoch != 0) {
            return epoch;
        }
        int upstream = compareString(x[1], y[1]);
        return upstream != 0 ? upstream : compareString(x[2], y[2]);
    }

    /** @return true when dpkg considers the two versions equal */
    public static boolean equal(String a, String b) {
        return compare(a, b) == 0;
    }

    private static String[] split(String version) {
        String epoch = "0";
        String rest = version;
        int colon = version.indexOf(':');
        if (colon > 0 && version.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')) {
            epoch = version.substring(0, colon);
            rest = version.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String upstream = dash < 0 ? rest : rest.substring(0, dash);
        String revision = dash < 0 ? "" : rest.substring(dash + 1);
        return new String[] {epoch, upstream, revision};
    }

    private static int compareString(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int wa = weight(a, i);
                int wb = weight(b, j);
                if (wa != wb) {
                    return Integer.compare(wa, wb);
                }
                i++;
                j++;
            }
            int startA = i;
            while (i < a.length() && isDigit(a.charAt(i))) {
                i++;
            }
            int startB = j;
            while (j < b.length() && isDigit(b.charAt(j))) {
                j++;
            }
            int digits = compareDigits(a.substring(startA, i), b.substring(startB, j));
            if (digits != 0) {
                return digits;
            }
        }
        return 0;
    }

    /** Weight of the character at {@code index} of a non-digit run; the end of the run weighs 0. */
    private static int weight(String s, int index) {
        if (index >= s.length() || isDigit(s.charAt(index))) {
            return 0;
        }
        char c = s.charAt(index);
        if (c == '~') {
            return -1;
        }
        if (Character.isLetter(c) && c < 128) {
            return c;
        }
        return c + 256;
    }

    private static int compareDigits(String a, String b) {
        String x = stripZeros(a);
        String y = stripZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return Integer.signum(x.compareTo(y));
    }

    private static String stripZeros(String digits) {
        int start = 0;
        while (start < digits.length() && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
