package io.debmonitor.bench.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Set;

import io.debmonitor.bench.LabFleet;

/** Entry point of the scale-out lab driver (issue #14, SCALEOUT.md §4): {@code bench/lab.sh <command> [options]}. */
public final class LabDriver {

    static final String USAGE = """
            Usage: bench/lab.sh <command> [options]

              pki [--pki DIR] [--hosts N] [--seed S] [--domain D]
                  Creates the bench CA (DIR/ec/ca.pem: the nodes' clientCaFile) and the fleet's host certificates.
              load --server URL --state DIR [--out DIR] [--hosts N] [--concurrency C] [--seconds S] [--stop-file F]
                   [--full-every N] [--seed S] [--domain D] [--pki DIR]
                  N hosts (h0001.D ...; default 200, lab.example.org) cycle reports for S seconds (default 60) or until F
                  exists, from C workers (default 8), one TLS connection per report with the host's own bench certificate.
                  Report k of a host sets zz-dm-seq to 1.<k> and zz-dm-tag-1..5 to 1.0+r<k>; k = 1 and every N-th report
                  (default 8) are full, odd ones dpkg_hook, even ones upgradable. Retries as SPEC §7.5, scaled down:
                  immediate, then 0.5 s x 2^(n-1) up to 10 s, 6 retries, Retry-After honoured up to 10 s.
                  --state keeps the fleet and each host's k (state.csv) across runs; --out (default: the --state
                  directory) gets attempts.csv, reports.csv and load-summary.json.
                  Exit 1 when an answer was neither 201 nor 503 with Retry-After (I5); connection errors are allowed.
              reconcile --server URL --state DIR [--out DIR] [--concurrency C] [--max-seconds S] [--ui-user U --ui-password P]
                  One full report k+1 per host, retried until 201 (at most 120 s per host, S in all, default 900), then
                  reads every host back (GET /hosts/<fqdn>?format=json, as the host itself, or as a UI user) and compares
                  OS, kernel and every package (I1). Writes reconcile-summary.json. Exit 1 on any mismatch.
              ui --server URL --user U --password P --out DIR [--seconds S] [--stop-file F] [--page PATH]
                  Logs in once through the login form, then GETs PATH (default /) every second with that session.
                  Writes ui.csv and ui-summary.json. Exit 1 on a redirect to /login or any status but 200 (I8);
                  connection errors are counted and allowed.
              ui-logout-check --login-server URL1 --check-server URL2 --user U --password P [--page PATH]
                  Logs in and out through URL1; exit 0 when URL2 then redirects the same session to /login (I8).

            --pki DIR is the bench's certificate cache, as for bench/run.sh (default bench/target/pki; EC keys in DIR/ec);
            reconcile takes the fleet and PKI that load recorded in --state. Every command: --server-ca PEM verifies the
            server certificate (default: any is trusted); --timeout SECONDS is each request's read timeout (default 30).
            """;

    private LabDriver() {
    }

    public static void main(String[] args) throws Exception {
        // One key share per ClientHello, as the bench does (see Main): fewer key computations per connection.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519");
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        int status;
        try {
            status = switch (args[0]) {
                case "pki" -> pki(new Args(args, 1, Set.of("pki", "hosts", "seed", "domain")), System.out);
                case "load" -> Load.run(new Args(args, 1, Load.OPTIONS), System.out);
                case "reconcile" -> Reconcile.run(new Args(args, 1, Reconcile.OPTIONS), System.out);
                case "ui" -> Ui.run(new Args(args, 1, Ui.OPTIONS), System.out);
                case "ui-logout-check" -> Ui.logoutCheck(new Args(args, 1, Ui.LOGOUT_OPTIONS), System.out);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage() + " (bench/lab.sh --help for the usage)");
            status = 2;
        }
        System.exit(status);
    }

    private static int pki(Args a, PrintStream log) throws IOException, GeneralSecurityException {
        LabFleet fleet = new LabFleet(a.number("seed", 1), a.positive("hosts", 200), a.string("domain", "lab.example.org"));
        log.println("Bench CA: " + pki(fleet, a.path("pki") != null ? a.path("pki") : defaultPki(), log).caFile());
        return 0;
    }

    /** The bench's certificate cache, as bench/run.sh uses it by default. */
    static Path defaultPki() {
        return Path.of(System.getProperty("bench.home", "bench")).resolve("target/pki");
    }

    /** The fleet's certificates from the bench's cache {@code dir}, with EC keys as bench/run.sh makes by default. */
    static LabFleet.Pki pki(LabFleet fleet, Path dir, PrintStream log) throws IOException, GeneralSecurityException {
        return fleet.pki(dir.resolve("ec"), "ec", log);
    }

    /** @return {@code --out}, else {@code fallback}, created */
    static Path out(Args a, Path fallback) throws IOException {
        Path out = a.path("out") != null ? a.path("out") : fallback;
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        return Files.createDirectories(out);
    }

    static void writeJson(Path file, Object value, PrintStream log) throws IOException {
        String json = LabFleet.prettyJson(value);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        log.print(json);
    }
}
