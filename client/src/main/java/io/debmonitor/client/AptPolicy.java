package io.debmonitor.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * apt's candidate policy for the installed packages, from one batched {@code apt-cache policy} call.
 * It is what {@code apt list --upgradable} computes (pins respected, nothing changed, no root needed)
 * and, unlike that command, also shows every archive that offers each version.
 */
final class AptPolicy {

    /** The candidate version of a package, and whether a {@code *-security} suite offers it. */
    record Candidate(String version, boolean security) {
    }

    private AptPolicy() {
    }

    /** Starts {@code apt-cache policy} for these package names (qualified as dpkg reports them). */
    static Exec.Running start(List<String> names) throws IOException {
        List<String> command = new ArrayList<>(names.size() + 2);
        command.add("apt-cache");
        command.add("policy");
        command.addAll(names);
        return Exec.start(command);
    }

    /** Waits for a started query and parses its output. */
    static Map<String, Candidate> await(Exec.Running running) throws ClientException {
        Exec.Result r;
        try {
            r = running.await();
        } catch (IOException e) {
            throw new ClientException("apt-cache policy failed: " + e.getMessage(), e);
        }
        if (r.exitCode() != 0) {
            throw new ClientException("apt-cache policy failed with exit status " + r.exitCode() + ": "
                    + Log.oneLine(r.stderr()));
        }
        if (!r.stderr().isBlank()) {
            Log.debug("apt-cache policy: " + Log.oneLine(r.stderr()));
        }
        return parse(r.stdoutText());
    }

    /**
     * Parses {@code LC_ALL=C apt-cache policy NAME...} output:
     * <pre>
     * apt:
     *   Installed: 2.6.1
     *   Candidate: 2.6.2
     *   Version table:
     *      2.6.2 500
     *         500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
     *  *** 2.6.1 500
     *         100 /var/lib/dpkg/status
     * </pre>
     * Packages without a candidate are left out.
     */
    static Map<String, Candidate> parse(String output) {
        Map<String, Candidate> result = new HashMap<>();
        String pkg = null;
        String candidate = null;
        boolean inCandidate = false;
        boolean security = false;
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) != ' ') {
                if (pkg != null && candidate != null) {
                    result.put(pkg, new Candidate(candidate, security));
                }
                pkg = line.endsWith(":") ? line.substring(0, line.length() - 1) : null;
                candidate = null;
                inCandidate = false;
                security = false;
                continue;
            }
            if (pkg == null) {
                continue;
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String text = line.substring(indent);
            if (line.startsWith(" *** ")) {
                inCandidate = firstToken(line.substring(5).strip()).equals(candidate);
            } else if (indent <= 3) {
                if (text.startsWith("Candidate:")) {
                    candidate = firstToken(text.substring(10).strip());
                    if (candidate.isEmpty() || candidate.equals("(none)")) {
                        candidate = null;
                    }
                }
            } else if (indent <= 6) {
                inCandidate = firstToken(text).equals(candidate);
            } else if (inCandidate && isSecuritySuite(text)) {
                security = true;
            }
        }
        if (pkg != null && candidate != null) {
            result.put(pkg, new Candidate(candidate, security));
        }
        return result;
    }

    /** A source line is "PRIORITY URI SUITE/COMPONENT ARCH Packages"; is the suite a -security one? */
    static boolean isSecuritySuite(String sourceLine) {
        String[] tokens = sourceLine.split(" ");
        int seen = 0;
        for (String token : tokens) {
            if (token.isEmpty()) {
                continue;
            }
            if (++seen == 3) {
                int slash = token.indexOf('/');
                String suite = slash < 0 ? token : token.substring(0, slash);
                return suite.endsWith("-security");
            }
        }
        return false;
    }

    private static String firstToken(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }
}
