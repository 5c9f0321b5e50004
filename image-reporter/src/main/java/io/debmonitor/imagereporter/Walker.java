package io.debmonitor.imagereporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.debmonitor.client.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Walks the registry: lists the repositories and their tags, then resolves, reads and reports each
 * accepted image on a pool of {@code --concurrency} threads. A registry read that fails with an I/O
 * error is retried for that image; a progress line goes to stderr every {@value #PROGRESS_SECONDS} s.
 */
final class Walker {

    static final int PROGRESS_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private enum Outcome { REPORTED, UNCHANGED, SKIPPED, FAILED }

    /** The counts of a walk. */
    record Summary(int images, int reported, int unchanged, int skipped, int failed, long bytesRead, long nanos) {

        String progressLine(int queued) {
            return String.format(Locale.ROOT, "progress: %d/%d images, %s, %d MiB read", images, queued, counts(),
                    bytesRead >> 20);
        }

        String summaryLine(boolean dryRun) {
            double seconds = Math.max(nanos / 1e9, 0.001);
            return String.format(Locale.ROOT, "summary: %d images in %.1f s (%.2f images/s), %s, %d MiB read"
                    + " (%.1f MiB/s)%s", images, seconds, images / seconds, counts(), bytesRead >> 20,
                    bytesRead / 1048576.0 / seconds, dryRun ? ", dry run" : "");
        }

        private String counts() {
            return reported + " reported, " + unchanged + " unchanged, " + skipped + " skipped, " + failed + " failed";
        }
    }

    private final RegistryClient registry;
    private final ManifestResolver resolver;
    /** Null on a dry run: nothing is looked up or posted. */
    private final DebMonitor debmonitor;
    private final PrintStream out;
    private final Sender.Sleeper sleeper;
    private final String registryName;
    private final Glob.Filter filter;
    private final int concurrency;
    private final int retries;
    private final int refreshDays;

    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger reported = new AtomicInteger();
    private final AtomicInteger unchanged = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAdder bytesRead = new LongAdder();
    private long start;

    Walker(Options o, RegistryClient registry, DebMonitor debmonitor, PrintStream out, Sender.Sleeper sleeper) {
        this.registry = registry;
        this.resolver = new ManifestResolver(registry, o.platform);
        this.debmonitor = debmonitor;
        this.out = out;
        this.sleeper = sleeper;
        this.registryName = o.registryName;
        this.filter = new Glob.Filter(o.includes, o.excludes);
        this.concurrency = o.concurrency;
        this.retries = o.retries;
        this.refreshDays = o.refreshDays;
    }

    /**
     * Walks the whole registry; a catalog that cannot be read is thrown, everything else is counted.
     * The summary line is logged in any case.
     */
    Summary run() throws IOException, RegistryException, InterruptedException {
        start = System.nanoTime();
        Summary s;
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(daemon("progress"));
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("image"));
        try {
            progress.scheduleAtFixedRate(() -> Log.info(summary().progressLine(queued.get())),
                    PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
            List<String> repositories = withRetries("the catalog", registry::catalog);
            Log.info("found " + repositories.size() + " repositories in the catalog");
            Queue<Future<?>> tasks = new ConcurrentLinkedQueue<>();
            List<Future<?>> listings = new ArrayList<>();
            for (String repository : repositories) {
                listings.add(pool.submit(() -> queueTags(repository, pool, tasks)));
            }
            // The listings queue the image tasks, so those are all known once the listings are done.
            await(listings);
            await(tasks);
        } finally {
            pool.shutdownNow();
            progress.shutdownNow();
            s = summary();
            Log.info(s.summaryLine(debmonitor == null));
        }
        return s;
    }

    private Summary summary() {
        return new Summary(done.get(), reported.get(), unchanged.get(), skipped.get(), failed.get(), bytesRead.sum(),
                System.nanoTime() - start);
    }

    private static void await(Iterable<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // What the tasks let through (OutOfMemoryError...) ends the walk as it is.
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("a task failed unexpectedly: " + e.getCause(), e.getCause());
            }
        }
    }

    private void queueTags(String repository, ExecutorService pool, Queue<Future<?>> tasks) {
        List<String> tags;
        try {
            tags = withRetries("the tags of " + repository, () -> registry.tags(repository));
        } catch (RegistryException e) {
            if (e.status == 404) {
                Log.info("skipped the repository " + repository + ": it is gone");
                return;
            }
            Log.error("cannot list the tags of " + repository + ": " + e.getMessage());
            failed.incrementAndGet();
            return;
        } catch (IOException | RuntimeException | LinkageError | StackOverflowError e) {
            Log.error("cannot list the tags of " + repository + ": " + Log.reason(e));
            Log.trace(e);
            failed.incrementAndGet();
            return;
        }
        for (String tag : tags) {
            if (filter.accepts(repository, tag)) {
                queued.incrementAndGet();
                tasks.add(pool.submit(() -> process(repository, tag)));
            }
        }
    }

    /**
     * Reads and reports one image. Whatever goes wrong with it fails that image only, including the
     * errors one image can cause: zstd-jni's native library not loading (LinkageError), or a stack
     * overflow; other VirtualMachineErrors end the walk.
     */
    private void process(String repository, String tag) {
        String name = registryName + "/" + repository + ":" + tag;
        Outcome outcome;
        try {
            outcome = report(repository, tag, name);
        } catch (Exception | LinkageError | StackOverflowError e) {
            Log.error(name + ": " + e);
            Log.trace(e);
            outcome = Outcome.FAILED;
        }
        switch (outcome) {
            case REPORTED -> reported.incrementAndGet();
            case UNCHANGED -> unchanged.incrementAndGet();
            case SKIPPED -> skipped.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
        }
        done.incrementAndGet();
    }

    private Outcome report(String repository, String tag, String name) {
        try {
            return withRetries(name, () -> reportOnce(repository, tag, name));
        } catch (RegistryException e) {
            if (e.status == 404) {
                Log.info("skipped " + name + ": it is gone from the registry");
                return Outcome.SKIPPED;
            }
            Log.error(name + ": " + e.getMessage());
        } catch (IOException e) {
            Log.error(name + ": " + Log.reason(e) + (retries > 0 ? " (after " + retries + " retries)" : ""));
            Log.trace(e);
        }
        return Outcome.FAILED;
    }

    private Outcome reportOnce(String repository, String tag, String name) throws IOException, RegistryException {
        try {
            ManifestResolver.ResolvedImage image = resolver.resolve(repository, tag);
            if (!image.otherPlatforms().isEmpty()) {
                Log.info(name + ": reporting " + image.platform() + "; the index also has "
                        + ManifestResolver.join(image.otherPlatforms()));
            }
            if (debmonitor != null && unchanged(debmonitor.lookup(name), image.digest())) {
                Log.debug(name + ": unchanged since the last report");
                return Outcome.UNCHANGED;
            }
            Map<String, Object> payload = ImageReport.payload(name, image.digest(), read(repository, image));
            if (debmonitor == null) {
                String json = PRETTY.writeValueAsString(payload);
                synchronized (out) {
                    out.println(json);
                    out.flush();
                }
                return Outcome.REPORTED;
            }
            if (!debmonitor.postImage(name, JSON.writeValueAsBytes(payload))) {
                return Outcome.FAILED;
            }
            Log.info("reported " + name + " (" + image.platform() + ", " + image.digest() + ")");
            return Outcome.REPORTED;
        } catch (SkippedImage | ImageException e) {
            Log.info("skipped " + name + ": " + e.getMessage());
            return Outcome.SKIPPED;
        }
    }

    /** Skip rule: the same digest, reported within the last refresh-days days. */
    private boolean unchanged(DebMonitor.StoredImage stored, String digest) {
        return stored != null && digest.equals(stored.digest())
                && stored.modified().isAfter(Instant.now().minus(Duration.ofDays(refreshDays)));
    }

    private ImageContents read(String repository, ManifestResolver.ResolvedImage image)
            throws IOException, RegistryException, ImageException, SkippedImage {
        String arch;
        try {
            arch = Platforms.debianArch(image.platform().architecture(), image.platform().variant());
        } catch (IllegalArgumentException e) {
            throw new SkippedImage(e.getMessage());
        }
        ImagePackages packages = new ImagePackages(arch);
        for (ManifestResolver.Layer layer : image.layers()) {
            try (InputStream raw = registry.openBlob(repository, layer.digest())) {
                BlobStream blob = new BlobStream(raw, layer.digest(), bytesRead);
                packages.applyLayer(blob, layer.mediaType());
                blob.verify();
            }
        }
        return packages.result();
    }

    /** Waits before a retry; false when interrupted. */
    private boolean pause(String what, int attempt, String lastError) {
        long wait = Retry.waitMillis(attempt, -1);
        Log.info("retrying " + what + " (" + attempt + "/" + retries + ") in " + wait / 1000 + " s after: " + lastError);
        try {
            sleeper.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A registry call that may fail with an {@link IOException}: retried like the images are. */
    private interface RegistryCall<T> {
        T call() throws IOException, RegistryException;
    }

    private <T> T withRetries(String what, RegistryCall<T> call) throws IOException, RegistryException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (attempt >= retries || !pause(what, attempt + 1, Log.reason(e))) {
                    throw e;
                }
            }
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
