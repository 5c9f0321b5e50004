package io.debmonitor.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal JSON writer and reader. Objects are {@code Map<String, Object>} (insertion order kept),
 * arrays are {@code List<Object>}, plus String, Boolean, null and {@link Number} for numbers read
 * from a file (kept as their original text so they are written back unchanged).
 */
final class Json {

    /** A number as written in the source document. */
    record Number(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private Json() {
    }

    /** Compact JSON in map order, non-ASCII escaped: the request body. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(4096);
        writeValue(out, value, false, -1);
        return out.toString();
    }

    /** Like Python's {@code json.dumps(value, sort_keys=True, indent=4)}: the {@code -n} output. */
    static String writePretty(Object value) {
        StringBuilder out = new StringBuilder(4096);
        writeValue(out, value, true, 0);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value, boolean sorted, int level) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean || value instanceof Number
                || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, sorted, level);
        } else if (value instanceof List<?> list) {
            writeArray(out, list, sorted, level);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, boolean sorted, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        Map<?, ?> entries = sorted ? new TreeMap<>(map) : map;
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, level, 1);
            writeString(out, (String) e.getKey());
            out.append(level >= 0 ? ": " : ":");
            writeValue(out, e.getValue(), sorted, level < 0 ? -1 : level + 1);
        }
        newline(out, level, 0);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, List<?> list, boolean sorted, int level) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, level, 1);
            writeValue(out, item, sorted, level < 0 ? -1 : level + 1);
        }
        newline(out, level, 0);
        out.append(']');
    }

    /** In pretty mode ({@code level >= 0}), a line break and the indent of {@code level + extra}. */
    private static void newline(StringBuilder out, int level, int extra) {
        if (level < 0) {
            return;
        }
        out.append('\n');
        for (int i = 0; i < level + extra; i++) {
            out.append("    ");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Escapes like Python's json with ensure_ascii=True: everything outside space..~ is escaped. */
    static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15])
                                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---------------------------------------------------------------- reader

    /** Parses one JSON document; a repeated key keeps its last value. */
    static Object parse(String text) throws JsonException {
        Reader r = new Reader(text);
        r.skipSpace();
        Object value = r.value();
        r.skipSpace();
        if (r.pos != text.length()) {
            throw r.error("extra data");
        }
        return value;
    }

    /** A syntax error, with the position in the message. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private static final class Reader {
        private final String s;
        private int pos;
        private int depth;

        Reader(String s) {
            this.s = s;
        }

        JsonException error(String what) {
            return new JsonException(what + " at character " + pos);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                pos++;
            }
        }

        Object value() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Object literal(String word, Object value) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid literal");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object() throws JsonException {
            enter();
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipSpace();
                if (peek() != ':') {
                    throw error("expected ':'");
                }
                pos++;
                skipSpace();
                map.remove(key);
                map.put(key, value());
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    depth--;
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() throws JsonException {
            enter();
            pos++;
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') {
                    depth--;
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private void enter() throws JsonException {
            if (++depth > 512) {
                throw error("nesting too deep");
            }
        }

        private char peek() throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos);
        }

        private String string() throws JsonException {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return out.toString();
                }
                if (c < ' ') {
                    pos--;
                    throw error("control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                throw error("invalid \\u escape");
                            }
                            code = code * 16 + d;
                        }
                        pos += 4;
                        out.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("invalid escape");
                    }
                }
            }
        }

        private Number number() throws JsonException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            int digits = digits();
            if (digits == 0) {
                throw error("invalid number");
            }
            if (digits > 1 && s.charAt(start + (s.charAt(start) == '-' ? 1 : 0)) == '0') {
                throw error("invalid number");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (digits() == 0) {
                    throw error("invalid number");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (digits() == 0) {
                    throw error("invalid number");
                }
            }
            return new Number(s.substring(start, pos));
        }

        private int digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }
    }

    /** Convenience for building ordered objects: {@code obj("a", 1, "b", 2)}. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
