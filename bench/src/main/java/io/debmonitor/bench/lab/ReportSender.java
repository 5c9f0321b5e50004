package io.debmonitor.bench.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

import io.debmonitor.bench.LabFleet;

/**
 * Sends one host report with the retries of {@link Retry}, logging every attempt to
 * {@code attempts.csv} and the outcome to {@code reports.csv}.
 */
final class ReportSender {

    static final String ATTEMPTS_HEADER = "time,host,k,type,attempt,status,retry_after,latency_ms,detail";
    static final String REPORTS_HEADER = "time,host,k,type,outcome,retries,elapsed_ms";

    /** The outcome of a report: {@code status} is the last answer's, -1 when none came. */
    record Result(boolean ok, int retries, int status, String detail) {
    }

    private final LabHttp http;
    private final LabFleet.Pki pki;
    private final Tally tally;
    private final CsvLog attempts;
    private final CsvLog reports;

    ReportSender(LabHttp http, LabFleet.Pki pki, Tally tally, CsvLog attempts, CsvLog reports) {
        this.http = http;
        this.pki = pki;
        this.tally = tally;
        this.attempts = attempts;
        this.reports = reports;
    }

    /**
     * @param maxRetries how many retries at most
     * @param deadline   no retry starts after this {@link System#currentTimeMillis()}
     */
    Result send(LabFleet.Host host, int k, Reports.Type type, byte[] body, int maxRetries, long deadline) throws InterruptedException {
        long start = System.currentTimeMillis();
        long retryAfter = -1;
        for (int retry = 0; ; retry++) {
            if (retry > 0) {
                Thread.sleep(Retry.waitMillis(retry, retryAfter));
            }
            long t0 = System.currentTimeMillis();
            LabHttp.Answer answer = null;
            String exception = null;
            String message = null;
            try {
                answer = http.send(LabHttp.clientKey(pki, host.fqdn()), "POST", "/hosts/" + host.fqdn() + "/update",
                        List.of("Content-Type: application/json", "Accept: application/json"), body);
            } catch (IOException | GeneralSecurityException e) {
                exception = e.getClass().getSimpleName();
                message = e.getMessage();
            }
            long now = System.currentTimeMillis();
            int status = answer == null ? -1 : answer.status();
            String retryAfterHeader = answer == null ? null : answer.header("Retry-After");
            String detail = answer == null ? exception + ": " + message : status == 201 ? "" : abbreviate(answer.body());
            tally.attempt(status, retryAfterHeader != null, exception, now - t0, host.fqdn() + " k=" + k + " at " + Instant.ofEpochMilli(t0));
            attempts.row(Instant.ofEpochMilli(t0), host.fqdn(), k, type.wire, retry + 1, status < 0 ? exception : status,
                    retryAfterHeader, now - t0, detail);
            retryAfter = Retry.retryAfterSeconds(retryAfterHeader);
            boolean ok = status == 201;
            if (ok || !Retry.retryable(status) || retry >= maxRetries || now + Retry.waitMillis(retry + 1, retryAfter) > deadline) {
                tally.report(ok, retry, now);
                reports.row(Instant.ofEpochMilli(now), host.fqdn(), k, type.wire, ok ? "201" : "failed:" + (status < 0 ? exception : status),
                        retry, now - start);
                return new Result(ok, retry, status, detail);
            }
        }
    }

    /** GET /auth-check as the first host: the server must trust the bench CA. */
    static boolean preflight(LabHttp http, LabFleet.Pki pki, LabFleet.Host host, PrintStream log) {
        String problem;
        try {
            LabHttp.Answer answer = http.send(LabHttp.clientKey(pki, host.fqdn()), "GET", "/auth-check", List.of(), null);
            if (answer.status() == 200) {
                return true;
            }
            problem = "HTTP " + answer.status() + " " + abbreviate(answer.body());
        } catch (IOException | GeneralSecurityException e) {
            problem = e.toString();
        }
        log.println("Preflight GET /auth-check as " + host.fqdn() + " failed: " + problem);
        log.println("The server's clientCaFile (etc/io.debmonitor.security.cfg) must be the bench CA: " + pki.caFile());
        return false;
    }

    static String abbreviate(String s) {
        String line = s.replace("\r", "\\r").replace("\n", "\\n");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
