package io.debmonitor.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point of {@code debmonitor-client}. Exit status: 0 when every server answered 201, on dry-run,
 * {@code --version}/{@code -h}, or {@code -g} with nothing to send; 1 on a runtime failure; 2 on a
 * usage error (SPEC §7.6).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.getenv(), null);
        System.out.flush();
        System.exit(code);
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    /** Runs the client; {@code start} is the process start time (null: ask the OS). */
    static int run(String[] args, InputStream stdin, PrintStream out, Map<String, String> env, Instant start) {
        Options o;
        try {
            o = Options.parse(args, stdin);
        } catch (UsageException e) {
            System.err.println("debmonitor-client: error: " + Log.oneLine(e.getMessage()));
            return USAGE;
        }
        if (o.help) {
            out.print(Options.HELP);
            return OK;
        }
        if (o.version) {
            out.println("debmonitor-client " + version());
            return OK;
        }
        Log.setThreshold(o.debug ? Log.Level.DEBUG : o.hookMode() ? Log.Level.WARNING : Log.Level.INFO);

        Set<String> pending = ConcurrentHashMap.newKeySet();
        if (!o.dryRun) {
            pending.addAll(o.servers);
        }
        Deadline deadline = null;
        if (o.hookMode()) {
            // halt, not exit: nothing may delay the end of a hook run.
            deadline = new Deadline(o.hookTimeout, start != null ? start : Deadline.processStart(),
                    Runtime.getRuntime()::halt);
            deadline.arm(pending);
        }
        try {
            DpkgHook.Input hook = null;
            if (o.dpkgHook) {
                // Rule 1 of the hook protocol: drain apt's pipe before anything else.
                try {
                    hook = DpkgHook.parse(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ClientException("cannot read the hook input from stdin: " + Log.reason(e), e);
                }
                if (hook.actions().isEmpty()) {
                    Log.debug("no package actions in the hook input; nothing to send");
                    return OK;
                }
            }
            // TLS set-up is slow-ish; do it while the report is gathered.
            CompletableFuture<HttpClient> client = o.dryRun ? null
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return Transport.client(o, env);
                        } catch (ClientException e) {
                            throw new CompletionException(e);
                        }
                    });
            Report report = o.imageFile != null ? fileReport(o) : collect(o, hook);
            if (report == null) {
                Log.debug("no package changes in the hook input; nothing to send");
                return OK;
            }
            Log.debug("report ready");
            if (o.dryRun) {
                out.println(Json.writePretty(report.payload));
                Log.debug("report printed");
                return OK;
            }
            HttpClient http;
            try {
                http = client.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof ClientException ce ? ce : new ClientException(e.getCause().toString(), e);
            }
            Sender sender = new Sender(http, o.port, o.retries, o.retryBackoff, o.readTimeout,
                    Sender.userAgent(version()), Thread::sleep, deadline);
            boolean ok = sender.sendAll(o.servers, report.path, report.body(), report.updateType, pending);
            return ok ? OK : FAILURE;
        } catch (ClientException e) {
            Log.error(e.getMessage());
            Log.debugTrace(e);
            return FAILURE;
        } catch (RuntimeException e) {
            Log.error("unexpected failure: " + e);
            Log.debugTrace(e);
            return FAILURE;
        } finally {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    /** A payload ready to print or send. */
    static final class Report {
        final Map<String, Object> payload;
        final String path;
        final String updateType;
        final byte[] rawBody;

        Report(Map<String, Object> payload, String path, String updateType, byte[] rawBody) {
            this.payload = payload;
            this.path = path;
            this.updateType = updateType;
            this.rawBody = rawBody;
        }

        byte[] body() {
            return rawBody != null ? rawBody : Json.write(payload).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static Report fileReport(Options o) {
        Object type = o.imageFilePayload.get("update_type");
        String ref = (String) o.imageFilePayload.get("image_name");
        return new Report(o.imageFilePayload, "/images/" + ref + "/update",
                type instanceof String s ? s : "image", o.imageFileBytes);
    }

    /** Gathers a full, upgradable or dpkg_hook report; null for a hook run with nothing to send. */
    private static Report collect(Options o, DpkgHook.Input hook) throws ClientException {
        long t0 = System.nanoTime();
        DpkgStatus status = DpkgStatus.read(DpkgStatus.DEFAULT_PATH);
        Log.debug("read " + status.packages().size() + " packages from the dpkg status database in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Upgradable.Pending upgradable = hook != null ? null : Upgradable.start(status, AptLists.DEFAULT_DIR);
        Log.debug("apt-cache policy started");

        String os = OsRelease.read();
        Payload.Subject subject = o.imageName != null ? Payload.Subject.image(o.imageName)
                : Payload.Subject.host(o.hostname != null ? o.hostname : HostFacts.fqdn(),
                HostFacts.kernelRelease(), HostFacts.kernelVersion());
        String path = o.imageName != null ? "/images/" + o.imageName + "/update"
                : "/hosts/" + subject.hostname() + "/update";

        Map<String, Object> payload;
        String type;
        if (hook != null) {
            type = Payload.DPKG_HOOK;
            String nativeArch = status.nativeArch() != null ? status.nativeArch()
                    : hook.config().get("APT::Architecture");
            Path lists = DpkgHook.listsDir(hook.config());
            t0 = System.nanoTime();
            DpkgHook.Report r = DpkgHook.build(hook, nativeArch, status,
                    keys -> AptLists.lookup(keys, lists), DpkgHook::debSource);
            Log.debug("hook report built in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            if (r.isEmpty()) {
                return null;
            }
            Log.info("Found " + r.installed().size() + " installed and " + r.uninstalled().size()
                    + " uninstalled binary packages in the hook input");
            payload = Payload.build(os, r.installed(), r.uninstalled(), List.of(), type, subject);
        } else {
            type = o.upgradable ? Payload.UPGRADABLE : Payload.FULL;
            List<Payload.Package> installed = o.upgradable ? List.of() : Payload.installed(status);
            if (!o.upgradable) {
                Log.info("Found " + installed.size() + " installed binary packages");
            }
            List<Upgradable.Item> items = upgradable.await();
            Log.info("Found " + items.size() + " upgradable binary packages");
            payload = Payload.build(os, installed, List.of(), items, type, subject);
        }
        return new Report(payload, path, type, null);
    }
}
