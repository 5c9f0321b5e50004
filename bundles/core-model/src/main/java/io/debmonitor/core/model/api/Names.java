package io.debmonitor.core.model.api;

/**
 * Validation shared by every place that reads a name or version (SPEC §1.1–§1.2).
 *
 * @since 0.1.0
 */
public final class Names {

    /** The longest name or version stored, in characters. */
    public static final int MAX_LENGTH = 255;

    private Names() {
    }

    /**
     * @return true when {@code text} contains U+0000–U+001F or U+007F
     */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** @return the length in Unicode characters (code points), as the database counts it */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * Checks a name taken from a URL path: 1–255 characters, no whitespace, no control character.
     *
     * @throws InvalidReportException naming the problem
     */
    public static void checkPathName(String name) throws InvalidReportException {
        if (name == null || name.isEmpty() || length(name) > MAX_LENGTH) {
            throw new InvalidReportException("The name in the URL must have 1 to 255 characters.");
        }
        if (hasControlCharacter(name) || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw new InvalidReportException("The name in the URL must not contain whitespace or control characters.");
        }
    }
}
