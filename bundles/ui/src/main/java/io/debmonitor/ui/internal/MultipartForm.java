package io.debmonitor.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) read as a stream, one part at a time: a part's
 * content comes from the request as its reader asks for it and is never held whole, so a file
 * goes straight to disk, and the fields before it can be checked before any of it is read.
 * (CXF's multipart support reads and caches every part before the resource method runs.)
 */
final class MultipartForm {

    /** One field: its name, and its content up to the next boundary. */
    record Part(String name, InputStream content) {
    }

    /** RFC 2046 §5.1.1: 1 to 70 characters, not ending in a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]");
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 16;

    private final InputStream in;
    /** CRLF, "--" and the boundary: what ends every part. */
    private final byte[] delimiter;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int end;
    /** The content being read: at first the preamble before the first boundary, then the last part returned. */
    private Content current = new Content();
    private boolean finished;

    MultipartForm(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        // The first boundary may open the body, with no CRLF before it: read as if there were one.
        buffer[end++] = '\r';
        buffer[end++] = '\n';
    }

    /** @return the boundary of a {@code multipart/form-data} Content-Type, or null when it is none or has no valid boundary */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        if (!type.equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        String boundary = parameters(contentType).get("boundary");
        return boundary != null && BOUNDARY.matcher(boundary).matches() ? boundary : null;
    }

    /**
     * @return the next part, or null after the last; what the previous part's reader left unread is skipped
     * @throws PageException 400 when the body is not a valid form
     */
    Part next() throws IOException {
        current.skipRest();
        if (finished) {
            return null;
        }
        int first = readByte();
        int second = readByte();
        if (first == '-' && second == '-') {
            // The close delimiter: whatever follows is an epilogue, left unread.
            finished = true;
            return null;
        }
        while (first == ' ' || first == '\t') {
            first = second;
            second = readByte();
        }
        if (first != '\r' || second != '\n') {
            throw malformed("a boundary line has text after the boundary");
        }
        String name = null;
        for (int headers = 0;; headers++) {
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            if (headers == MAX_HEADERS) {
                throw malformed("a part has more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
                String value = line.substring(colon + 1).strip();
                if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) {
                    throw malformed("a part is not form-data");
                }
                name = parameters(value).get("name");
            }
        }
        if (name == null) {
            throw malformed("a part has no field name");
        }
        current = new Content();
        return new Part(name, current);
    }

    /**
     * The parameters of a header value ({@code type; key=value; key="quoted value"}), keys in lower
     * case. A quoted value ends at the next quote: browsers send a quote in a name or file name as
     * {@code %22} and escape nothing with backslashes (HTML's form-data encoding).
     */
    static Map<String, String> parameters(String header) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = header.indexOf(';');
        while (i >= 0) {
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = header.substring(i + 1, eq).strip().toLowerCase(Locale.ROOT);
            int start = eq + 1;
            while (start < header.length() && header.charAt(start) == ' ') {
                start++;
            }
            String value;
            if (start < header.length() && header.charAt(start) == '"') {
                int close = header.indexOf('"', start + 1);
                if (close < 0) {
                    break;
                }
                value = header.substring(start + 1, close);
                i = header.indexOf(';', close);
            } else {
                i = header.indexOf(';', start);
                value = header.substring(start, i < 0 ? header.length() : i).strip();
            }
            parameters.putIfAbsent(key, value);
        }
        return parameters;
    }

    /** @return one header line without its CRLF, as UTF-8 (browsers send file names so) */
    private String readLine() throws IOException {
        byte[] line = new byte[MAX_HEADER_LINE];
        int length = 0;
        for (int b; (b = readByte()) != '\n';) {
            if (length == MAX_HEADER_LINE) {
                throw malformed("a part header is longer than " + MAX_HEADER_LINE + " bytes");
            }
            line[length++] = (byte) b;
        }
        if (length == 0 || line[length - 1] != '\r') {
            throw malformed("a part header does not end in CRLF");
        }
        return new String(line, 0, length - 1, StandardCharsets.UTF_8);
    }

    private int readByte() throws IOException {
        if (pos == end && !fill()) {
            throw malformed("it ends inside a boundary line or a part's headers");
        }
        return buffer[pos++] & 0xff;
    }

    /** Appends what the input has next to the buffered bytes; @return false at the end of the input */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** @return where the delimiter starts in the buffer between {@code from} and {@code to}, or -1 */
    private int indexOfDelimiter(int from, int to) {
        outer:
        for (int i = from; i <= to - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static PageException malformed(String why) {
        return PageException.badRequest("The upload is not a valid multipart/form-data body: " + why + ".");
    }

    /** A part's content: the buffered input up to the next delimiter, which it consumes. */
    private final class Content extends InputStream {

        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (end - pos < delimiter.length && fill()) {
                // Until a whole delimiter could be buffered, or the input ended.
            }
            // Only bytes that cannot begin a delimiter are returned: look no further than len of them.
            int at = indexOfDelimiter(pos, Math.min(end, pos + len + delimiter.length - 1));
            if (at == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            int n = at >= 0 ? at - pos : Math.min(len, end - pos - (delimiter.length - 1));
            if (n <= 0) {
                throw malformed("it ends before its closing boundary");
            }
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // Discarded.
            }
        }
    }
}
