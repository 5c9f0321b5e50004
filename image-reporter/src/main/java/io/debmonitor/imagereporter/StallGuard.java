package io.debmonitor.imagereporter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fails response bodies that stall. The JDK's request timeout ends once the headers arrived, so a
 * registry that stops sending in the middle of a layer would block a worker forever; closing the
 * stream from another thread is what unblocks the read.
 */
final class StallGuard {

    private static final long CHECK_MILLIS = 250;
    private static final Set<Guarded> OPEN = ConcurrentHashMap.newKeySet();

    static {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stall-guard");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(StallGuard::expireStalled, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private StallGuard() {
    }

    /** The stream, failing with an {@link HttpTimeoutException} once no byte came for {@code timeout}. */
    static InputStream guard(InputStream in, Duration timeout) {
        Guarded g = new Guarded(in, timeout);
        OPEN.add(g);
        return g;
    }

    private static void expireStalled() {
        long now = System.nanoTime();
        for (Guarded g : OPEN) {
            if (now - g.lastActivity > g.timeoutNanos) {
                g.expired = true;
                g.closeQuietly();
            }
        }
    }

    private static final class Guarded extends FilterInputStream {
        final long timeoutNanos;
        volatile long lastActivity = System.nanoTime();
        volatile boolean expired;

        Guarded(InputStream in, Duration timeout) {
            super(in);
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                lastActivity = System.nanoTime();
                return n;
            } catch (IOException e) {
                if (expired) {
                    throw new HttpTimeoutException("no data from the registry for "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                }
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() throws IOException {
            OPEN.remove(this);
            super.close();
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // it is being abandoned anyway
            }
        }
    }
}
