package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debmonitor.client.ClientException;
import io.debmonitor.client.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** Entry point: {@code registry} walks a registry, {@code kubernetes} posts a cluster snapshot. */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out));
    }

    /** Whatever escapes the command ends in one line (a stack trace only with --verbose) and exit 1. */
    static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream stdout) {
        try {
            return runCommand(args, env, stdin, stdout);
        } catch (RuntimeException | Error e) {
            Log.error("unexpected failure: " + e);
            Log.trace(e);
            return FAILED;
        }
    }

    private static int runCommand(String[] args, Map<String, String> env, InputStream stdin, PrintStream stdout) {
        Options o;
        try {
            o = Options.parse(args, env);
        } catch (UsageException e) {
            System.err.println("debmonitor-image-reporter: " + e.getMessage());
            return USAGE;
        }
        if (o.help) {
            stdout.print(Options.HELP);
            return OK;
        }
        Log.setVerbose(o.verbose);
        Duration timeout = Duration.ofSeconds(o.timeoutSeconds);
        DebMonitor debmonitor = null;
        RegistryClient registry = null;
        try {
            if (!o.dryRun) {
                SSLContext ssl = Transport.sslContext(o.cert, o.key, o.ca);
                debmonitor = new DebMonitor(o.server, DebMonitor.httpClient(ssl, timeout), timeout, o.retries,
                        Thread::sleep);
            }
            if (o.command == Options.Command.REGISTRY) {
                if (o.registry.getScheme().equalsIgnoreCase("http") && o.registryUser != null) {
                    Log.warning("the registry password goes over plain http to " + o.registry.getHost());
                }
                SSLContext ssl = o.registryCa != null ? Transport.sslContext(null, null, o.registryCa) : null;
                registry = new RegistryClient(o.registry, RegistryClient.httpClient(ssl, timeout), timeout,
                        o.registryUser, o.registryPassword);
            }
        } catch (ClientException e) {
            System.err.println("debmonitor-image-reporter: " + e.getMessage());
            return USAGE;
        }
        return o.command == Options.Command.REGISTRY ? registry(o, registry, debmonitor, stdout)
                : kubernetes(o, debmonitor, stdin, stdout);
    }

    private static int registry(Options o, RegistryClient registry, DebMonitor debmonitor, PrintStream stdout) {
        try {
            Walker.Summary s = new Walker(o, registry, debmonitor, stdout, Thread::sleep).run();
            return s.failed() == 0 ? OK : FAILED;
        } catch (IOException e) {
            Log.error("cannot read the catalog of " + o.registry + ": " + Log.reason(e));
            Log.trace(e);
        } catch (RegistryException e) {
            Log.error("cannot read the catalog of " + o.registry + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Log.error("interrupted");
        }
        return FAILED;
    }

    private static int kubernetes(Options o, DebMonitor debmonitor, InputStream stdin, PrintStream stdout) {
        ObjectNode snapshot;
        try (InputStream in = o.file.equals("-") ? stdin : Files.newInputStream(Path.of(o.file))) {
            snapshot = KubernetesSnapshot.fromPodList(o.cluster, in);
        } catch (IOException e) {
            Log.error("cannot read the pod list " + o.file + ": " + Log.reason(e));
            return FAILED;
        }
        Log.info("found " + snapshot.path("images").size() + " images in the pod list of cluster " + o.cluster);
        ObjectMapper json = new ObjectMapper();
        try {
            if (debmonitor == null) {
                stdout.println(json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(snapshot));
                return OK;
            }
            return debmonitor.postKubernetes(o.cluster, json.writeValueAsBytes(snapshot)) ? OK : FAILED;
        } catch (IOException e) {
            Log.error("cannot write the snapshot: " + Log.reason(e));
            return FAILED;
        }
    }
}
