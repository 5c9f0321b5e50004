package io.debmonitor.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The host name and running kernel of a host report (SPEC §7.3). */
final class HostFacts {

    private HostFacts() {
    }

    /** The release of the running kernel, as {@code uname -r} prints it. */
    static String kernelRelease() throws ClientException {
        return readProc("/proc/sys/kernel/osrelease");
    }

    /** The version of the running kernel, as {@code uname -v} prints it. */
    static String kernelVersion() throws ClientException {
        return readProc("/proc/sys/kernel/version");
    }

    private static String readProc(String file) throws ClientException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ClientException("cannot read " + file + ": " + Log.reason(e), e);
        }
    }

    /**
     * The FQDN as {@code hostname --fqdn} resolves it; when that has no dot, the first alias that has
     * one (like Python's socket.getfqdn()); the kernel host name if nothing better is known.
     */
    static String fqdn() throws ClientException {
        String fqdn = firstToken(run("hostname", "--fqdn"));
        if (fqdn != null && fqdn.indexOf('.') > 0) {
            return fqdn;
        }
        String aliases = run("hostname", "--alias");
        if (aliases != null) {
            for (String alias : aliases.trim().split(" ")) {
                if (alias.indexOf('.') > 0) {
                    return alias;
                }
            }
        }
        if (fqdn != null) {
            return fqdn;
        }
        String name = readProc("/proc/sys/kernel/hostname");
        if (name.isEmpty()) {
            throw new ClientException("cannot determine the host name; use --hostname");
        }
        return name;
    }

    private static String run(String... command) {
        try {
            Exec.Result r = Exec.run(List.of(command));
            return r.exitCode() == 0 ? r.stdoutText() : null;
        } catch (IOException e) {
            Log.debug("cannot run " + String.join(" ", command) + ": " + e.getMessage());
            return null;
        }
    }

    private static String firstToken(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        int space = t.indexOf(' ');
        t = space < 0 ? t : t.substring(0, space);
        return t.isEmpty() ? null : t;
    }
}
