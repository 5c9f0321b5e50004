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

    /** Separates epoch, upstream version and revision in a sort key; below every other key character. */
    private static final char SEPARATOR = '!';
    /** Codes of a non-digit run, lowest first: '~', the end of the run, letters, then all other characters. */
    private static final char TILDE = '"';
    private static final char END_OF_RUN = '#';
    /** The code of each printable ASCII letter and non-digit character other than '~'. */
    private static final char[] PRINTABLE = new char[0x7f];
    /** Escapes: control characters sort between letters and printable others, DEL and non-ASCII after all. */
    private static final char CONTROL_ESCAPE;
    private static final char HIGH_ESCAPE;
    /** Digit runs shorter than this have a one-character length; longer ones this mark and six base-64 digits. */
    private static final int SHORT_RUN = 90;
    private static final char LONG_RUN = '|';
    private static final int MAX_KEY_LENGTH = 599;

    static {
        char code = END_OF_RUN + 1;
        for (char c = 0x20; c < 0x7f; c++) {
            if (isAsciiLetter(c)) {
                PRINTABLE[c] = code++;
            }
        }
        CONTROL_ESCAPE = code++;
        for (char c = 0x20; c < 0x7f; c++) {
            if (!isAsciiLetter(c) && !isDigit(c) && c != '~') {
                PRINTABLE[c] = code++;
            }
        }
        HIGH_ESCAPE = code;
    }

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

    /**
     * An order-preserving encoding of a version for sorting in SQL: for any versions {@code a} and
     * {@code b} (whose keys are not cut, see below), {@code sortKey(a).compareTo(sortKey(b))} has the
     * sign of {@link #compare(String, String) compare(a, b)}, so dpkg-equal versions ({@code 1.0} and {@code 1.0-0}, {@code 1.007} and
     * {@code 1.7}) get equal keys. Keys use printable ASCII without the space, so they sort alike
     * under Java string order, H2 and MariaDB's {@code utf8mb4_bin}; order by the key, then by the
     * version, to get {@link #ORDER}.
     *
     * <p>The key is the epoch, the upstream version and the revision, joined by {@code '!'}, the
     * lowest character used. A string (upstream or revision) is encoded as its alternating non-digit
     * and digit runs, always starting with a non-digit run and followed by one extra end-of-run code:
     * <ul>
     * <li>a non-digit run is one code per character, weighted as SPEC &sect;2.5 says ({@code '~'},
     *     then the end-of-run code that closes every run, then letters, then other characters in
     *     character order); control characters, DEL and non-ASCII characters take an escape code
     *     and one or three more characters;</li>
     * <li>a digit run (and the epoch) is its number without leading zeros, preceded by its length:
     *     one character below 90 digits, otherwise {@code '|'} and six base-64 digits, so a longer
     *     number sorts higher whatever its digits.</li>
     * </ul>
     *
     * <p>A version of <i>n</i> printable ASCII characters gets a key of at most 2<i>n</i> + 9
     * characters: below 600 for every version of at most 255 characters that is made of printable
     * ASCII, as all Debian versions are. A key is cut to 599 characters, which only many control or
     * non-ASCII characters need; a cut key still never sorts a version above a greater one, but may
     * tie unequal versions.
     *
     * @param version any string, not null
     * @return the key, fewer than 600 printable ASCII characters; never fails on odd input
     * @since 0.1.0
     */
    public static String sortKey(String version) {
        String[] parts = split(version);
        StringBuilder key = new StringBuilder(2 * version.length() + 16);
        appendNumber(key, parts[0], 0, parts[0].length());
        key.append(SEPARATOR);
        appendString(key, parts[1]);
        key.append(SEPARATOR);
        appendString(key, parts[2]);
        return key.length() <= MAX_KEY_LENGTH ? key.toString() : key.substring(0, MAX_KEY_LENGTH);
    }

    /** Runs as {@link #compareString} walks them; a string that ends is followed by the end of a run. */
    private static void appendString(StringBuilder key, String s) {
        int i = 0;
        do {
            for (; i < s.length() && !isDigit(s.charAt(i)); i++) {
                appendNonDigit(key, s.charAt(i));
            }
            key.append(END_OF_RUN);
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            appendNumber(key, s, start, i);
        } while (i < s.length());
        key.append(END_OF_RUN);
    }

    private static void appendNonDigit(StringBuilder key, char c) {
        if (c == '~') {
            key.append(TILDE);
        } else if (c < 0x20) {
            key.append(CONTROL_ESCAPE).append(base64(c));
        } else if (c < 0x7f) {
            key.append(PRINTABLE[c]);
        } else {
            int rank = c - 0x7f;
            key.append(HIGH_ESCAPE).append(base64(rank >> 12)).append(base64(rank >> 6)).append(base64(rank));
        }
    }

    /** The digits {@code s[from, to)} as a number: length without leading zeros, then the digits. */
    private static void appendNumber(StringBuilder key, String s, int from, int to) {
        while (from < to && s.charAt(from) == '0') {
            from++;
        }
        int length = to - from;
        if (length < SHORT_RUN) {
            key.append((char) (SEPARATOR + 1 + length));
        } else {
            key.append(LONG_RUN);
            for (int shift = 30; shift >= 0; shift -= 6) {
                key.append(base64(length >> shift));
            }
        }
        key.append(s, from, to);
    }

    /** The low six bits of {@code value} as one of {@code '0'..'o'}, in order. */
    private static char base64(int value) {
        return (char) ('0' + (value & 63));
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
        if (isAsciiLetter(c)) {
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

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
