package io.debmonitor.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs helper programs (apt-cache, dpkg-deb, hostname) in the C locale, draining stdout and stderr
 * on their own threads so that no pipe ever fills up. Running children are tracked so that the hook
 * deadline can kill them.
 */
final class Exec {

    /** The outcome of a finished command. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** A started command. */
    static final class Running {
        private final List<String> command;
        private final Process process;
        private final CompletableFuture<byte[]> stdout;
        private final CompletableFuture<byte[]> stderr;

        private Running(List<String> command, Process process) {
            this.command = command;
            this.process = process;
            this.stdout = drain(process.getInputStream());
            this.stderr = drain(process.getErrorStream());
        }

        /** Waits for the command to exit and returns everything it wrote. */
        Result await() throws IOException {
            try {
                byte[] out = stdout.get();
                byte[] err = stderr.get();
                int code = process.waitFor();
                return new Result(code, out, new String(err, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while running " + command.get(0), e);
            } catch (ExecutionException e) {
                throw new IOException("cannot read the output of " + command.get(0) + ": " + e.getCause(), e);
            } finally {
                CHILDREN.remove(process);
            }
        }

    }

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    private Exec() {
    }

    static Result run(List<String> command) throws IOException {
        return start(command).await();
    }

    static Running start(List<String> command) throws IOException {
        Process p = builder(command).start();
        CHILDREN.add(p);
        return new Running(command, p);
    }

    /**
     * Starts a command whose stdout the caller reads itself; stderr is discarded. The caller must
     * close the stream and call {@link #finish(Process)}.
     */
    static Process startStreaming(List<String> command) throws IOException {
        ProcessBuilder pb = builder(command);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    static int finish(Process p) throws InterruptedException {
        try {
            return p.waitFor();
        } finally {
            CHILDREN.remove(p);
        }
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /** Kills every running child; used when the hook deadline fires. */
    static void killAll() {
        for (Process p : CHILDREN) {
            p.destroyForcibly();
        }
        CHILDREN.clear();
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(in.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "exec-drain");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
