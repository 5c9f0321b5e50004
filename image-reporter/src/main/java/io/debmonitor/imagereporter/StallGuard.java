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

    private final long timeoutNanos;
    private final Set<Guarded> open = ConcurrentHashMap.newKeySet();

    StallGuard(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long periodMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stall-guard");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::expireStalled, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    InputStream guard(InputStream in) {
        Guarded g = new Guarded(in);
        open.add(g);
        return g;
    }

    private void expireStalled() {
        long now = System.nanoTime();
        for (Guarded g : open) {
            if (now - g.lastActivity > timeoutNanos) {
                g.expired = true;
                g.closeQuietly();
            }
        }
    }

    private final class Guarded extends FilterInputStream {
        volatile long lastActivity = System.nanoTime();
        volatile boolean expired;

        Guarded(InputStream in) {
            super(in);
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
            open.remove(this);
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
