package io.debmonitor.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test helpers. */
final class TestFiles {

    private TestFiles() {
    }

    /** A test resource (src/test/resources) as UTF-8 text. */
    static String resource(String name) throws IOException {
        try (InputStream in = TestFiles.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
