package io.debmonitor.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

public class OsReleaseTest {

    @Test
    public void debianWithDoubleQuotes() throws Exception {
        String text = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n";
        assertEquals("Debian 12", OsRelease.parse(text, "os-release"));
    }

    @Test
    public void ubuntuWithSingleQuotes() throws Exception {
        assertEquals("Ubuntu 24.04", OsRelease.parse("ID='ubuntu'\nVERSION_ID='24.04'\n", "os-release"));
    }

    @Test
    public void unquotedValues() throws Exception {
        assertEquals("Debian 11", OsRelease.parse("ID=debian\nVERSION_ID=11\n", "os-release"));
    }

    @Test
    public void quotedIdIsUnquoted() throws Exception {
        assertEquals("Debian 12", OsRelease.parse("ID=\"debian\"\nVERSION_ID=12", "os-release"));
    }

    @Test
    public void missingVersionIdGivesTheIdAlone() throws Exception {
        String sid = "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n";
        assertEquals("Debian", OsRelease.parse(sid, "os-release"));
        assertEquals("Debian", OsRelease.parse("ID=debian\nVERSION_ID=\"\"\n", "os-release"));
    }

    @Test
    public void commentsBlankLinesAndSpacesAreIgnored() throws Exception {
        assertEquals("Debian 12", OsRelease.parse("# comment\n\n  ID=debian  \nVERSION_ID=\"12\"\r\n", "x"));
    }

    @Test
    public void missingIdIsAnError() {
        try {
            OsRelease.parse("NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n", "/etc/os-release");
            fail();
        } catch (ClientException e) {
            assertEquals("cannot determine the OS: no ID in /etc/os-release", e.getMessage());
        }
    }

    @Test
    public void missingFileIsAnError() throws Exception {
        Path dir = Files.createTempDirectory("osrelease");
        try {
            OsRelease.read(dir.resolve("os-release"), dir.resolve("usr-os-release"));
            fail();
        } catch (ClientException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("does not exist"));
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    public void fallbackFileIsRead() throws Exception {
        Path dir = Files.createTempDirectory("osrelease");
        Path fallback = dir.resolve("usr-os-release");
        Files.writeString(fallback, "ID=debian\nVERSION_ID=13\n");
        try {
            assertEquals("Debian 13", OsRelease.read(dir.resolve("os-release"), fallback));
        } finally {
            Files.delete(fallback);
            Files.delete(dir);
        }
    }

    @Test
    public void backslashEscapesInDoubleQuotes() {
        assertEquals("a\"b", OsRelease.unquote("\"a\\\"b\""));
        assertEquals("a\\b", OsRelease.unquote("'a\\b'"));
    }
}
