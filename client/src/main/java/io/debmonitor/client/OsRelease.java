package io.debmonitor.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The {@code os} of a report, from os-release(5): {@code "<Id> <VERSION_ID>"} or just {@code "<Id>"}. */
public final class OsRelease {

    private OsRelease() {
    }

    /** Reads /etc/os-release (falling back to /usr/lib/os-release, as os-release(5) says). */
    static String read() throws ClientException {
        return read(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"));
    }

    static String read(Path primary, Path fallback) throws ClientException {
        for (Path file : new Path[] {primary, fallback}) {
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (NoSuchFileException e) {
                // try the next one
            } catch (IOException e) {
                throw new ClientException("cannot read " + file + ": " + Log.reason(e), e);
            }
        }
        throw new ClientException("cannot determine the OS: " + primary + " does not exist");
    }

    public static String parse(String text, String name) throws ClientException {
        String id = null;
        String versionId = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (key.equals("ID")) {
                id = unquote(line.substring(eq + 1).strip());
            } else if (key.equals("VERSION_ID")) {
                versionId = unquote(line.substring(eq + 1).strip());
            }
        }
        if (id == null || id.isEmpty()) {
            throw new ClientException("cannot determine the OS: no ID in " + name);
        }
        String os = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        return versionId == null || versionId.isEmpty() ? os : os + " " + versionId;
    }

    /** Removes one level of single or double quotes; backslash escapes count only inside double quotes. */
    static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if (first == '\'' && last == '\'') {
                return value.substring(1, value.length() - 1);
            }
            if (first == '"' && last == '"') {
                String inner = value.substring(1, value.length() - 1);
                if (inner.indexOf('\\') < 0) {
                    return inner;
                }
                StringBuilder out = new StringBuilder(inner.length());
                for (int i = 0; i < inner.length(); i++) {
                    char c = inner.charAt(i);
                    if (c == '\\' && i + 1 < inner.length()) {
                        c = inner.charAt(++i);
                    }
                    out.append(c);
                }
                return out.toString();
            }
        }
        return value;
    }
}
