package io.debmonitor.imagereporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters, e.g.
 * {@code Bearer realm="https://auth.example.org/token",service="registry",scope="repository:a/b:pull"}.
 * Scheme and parameter names are lower-cased; quoted values may hold commas and backslash escapes.
 */
record Challenge(String scheme, Map<String, String> params) {

    String param(String name) {
        return params.get(name);
    }

    /** All challenges of one header value; an unparsable tail is ignored. */
    static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        Cursor c = new Cursor(header);
        while (true) {
            c.skip(" \t,");
            String scheme = c.token();
            if (scheme.isEmpty()) {
                return out;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                c.skip(" \t");
                int start = c.pos;
                String name = c.token();
                c.skip(" \t");
                if (name.isEmpty() || !c.take('=')) {
                    c.pos = start; // the next challenge's scheme
                    break;
                }
                c.skip(" \t");
                params.put(name.toLowerCase(Locale.ROOT), c.peek() == '"' ? c.quoted() : c.token());
                c.skip(" \t");
                if (!c.take(',')) {
                    break;
                }
            }
            out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
        }
    }

    private static final class Cursor {
        private final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        boolean take(char expected) {
            if (peek() == expected) {
                pos++;
                return true;
            }
            return false;
        }

        void skip(String chars) {
            while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        /** An RFC 7230 token (also accepting '/', for unquoted URLs some servers send). */
        String token() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) > ' ' && "\",=;".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == '"') {
                    break;
                }
                if (ch == '\\' && pos < s.length()) {
                    ch = s.charAt(pos++);
                }
                b.append(ch);
            }
            return b.toString();
        }
    }
}
