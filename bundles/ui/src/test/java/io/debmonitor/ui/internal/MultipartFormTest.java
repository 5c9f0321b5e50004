package io.debmonitor.ui.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

/** The streaming reader of multipart/form-data bodies behind the feed upload. */
public class MultipartFormTest {

    private static final String BOUNDARY = "xYz'()+_,-./:=?";

    @Test
    public void theBoundaryOfAFormContentType() {
        assertEquals("abc", MultipartForm.boundary("multipart/form-data; boundary=abc"));
        assertEquals("abc", MultipartForm.boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=abc"));
        assertEquals("a b:c", MultipartForm.boundary("multipart/form-data; boundary=\"a b:c\""));
        assertEquals("b".repeat(70), MultipartForm.boundary("multipart/form-data; boundary=" + "b".repeat(70)));
        for (String refused : new String[] {null, "", "application/json", "multipart/mixed; boundary=abc", "multipart/form-data",
                "multipart/form-data; boundary=", "multipart/form-data; boundary=" + "b".repeat(71), "multipart/form-data; boundary=\"ab \"",
                "multipart/form-data; boundary=a\"b", "multipart/form-data; boundary=\"abc"}) {
            assertNull(refused, MultipartForm.boundary(refused));
        }
        // Browsers send a quote in a file name as %22: a quoted value ends at the next quote, semicolons inside it included.
        assertEquals(Map.of("name", "feed", "filename", "my %22json%22; 1.gz"),
                MultipartForm.parameters("form-data; name=feed; filename=\"my %22json%22; 1.gz\""));
    }

    @Test
    public void partsStreamWhateverTheReadSizes() throws IOException {
        byte[] file = new byte[200_000];
        new Random(7).nextBytes(file);
        // What looks like a delimiter and is not: the boundary cut short, or followed by more of a longer one.
        byte[] near = ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "!\r\n--\r\n-").getBytes(UTF_8);
        System.arraycopy(near, 0, file, 65_530, near.length);
        System.arraycopy(near, 0, file, file.length - near.length, near.length);
        String preamble = "This is a preamble.\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes((preamble + "--" + BOUNDARY + "\r\ncontent-disposition: form-data; name=csrf\r\n\r\ntoken\r\n"
                + "--" + BOUNDARY + " \t\r\nContent-Type: application/octet-stream\r\nCONTENT-DISPOSITION: form-data; name=\"feed\"; filename=\"json\"\r\n\r\n")
                .getBytes(UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"skipped\"\r\n\r\n" + "s".repeat(100_000)
                + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n"
                + "\r\n--" + BOUNDARY + "--\r\nan epilogue, not read").getBytes(UTF_8));
        for (int readSize : new int[] {1, 7, 76, 8192, 100_000}) {
            MultipartForm form = new MultipartForm(new Trickle(body.toByteArray()), BOUNDARY);
            MultipartForm.Part csrf = form.next();
            assertEquals("csrf", csrf.name());
            assertEquals("token", new String(csrf.content().readAllBytes(), UTF_8));
            MultipartForm.Part feed = form.next();
            assertEquals("feed", feed.name());
            assertArrayEquals("read " + readSize + " bytes at a time", file, read(feed.content(), readSize));
            assertEquals(-1, feed.content().read());
            assertEquals("skipped", form.next().name());
            MultipartForm.Part empty = form.next();
            assertEquals("empty", empty.name());
            assertEquals(-1, empty.content().read());
            assertNull(form.next());
            assertNull(form.next());
        }
    }

    @Test
    public void aMalformedBodyIs400() throws IOException {
        String part = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n";
        Map<String, String> malformed = Map.of(
                part, "it ends before its closing boundary",
                part.replace("\r\n\r\n", "\r\n"), "it ends inside a boundary line or a part's headers",
                part.replace("\nvalue", "value"), "it ends inside a boundary line or a part's headers",
                part.replace("name=\"a\"", ""), "a part has no field name",
                part.replace("form-data;", "attachment;"), "a part is not form-data",
                part.replace("--" + BOUNDARY + "\r\n", "--" + BOUNDARY + "x\r\n"), "a boundary line has text after the boundary",
                part.replace("Content-Disposition", "X: " + "x".repeat(9000) + "\r\nContent-Disposition"),
                "a part header is longer than 8192 bytes",
                part.replace("Content-Disposition", "X: 1\r\n".repeat(16) + "Content-Disposition"), "a part has more than 16 headers",
                part.replace("name=\"a\"\r\n", "name=\"a\"\nX: 1\r\n"), "a part header does not end in CRLF");
        for (Map.Entry<String, String> e : malformed.entrySet()) {
            MultipartForm form = new MultipartForm(new ByteArrayInputStream(e.getKey().getBytes(UTF_8)), BOUNDARY);
            try {
                while (form.next() != null) {
                    // Every part skipped.
                }
                fail("accepted " + e.getKey());
            } catch (PageException refused) {
                assertEquals(400, refused.status);
                assertEquals("The upload is not a valid multipart/form-data body: " + e.getValue() + ".", refused.getMessage());
            }
        }
    }

    private static byte[] read(InputStream in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[size];
        for (int n; (n = in.read(buffer, 0, size)) >= 0;) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A request body that arrives in uneven pieces, as a network delivers it. */
    private static final class Trickle extends ByteArrayInputStream {
        private int call;

        Trickle(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + (call++ * 7919) % 20_000));
        }
    }
}
