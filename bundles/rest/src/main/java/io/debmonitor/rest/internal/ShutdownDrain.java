package io.debmonitor.rest.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a graceful stop of Karaf (bin/stop, system:shutdown, SIGTERM) for {@code drainSeconds}
 * while {@code /healthz} answers "draining", so that the load balancer takes the node out before
 * it stops serving.
 *
 * <p>Every one of these ends in the framework's {@code stop()}, and Felix then stops the system
 * bundle on its shutdown thread ({@code Felix.stopBundle}): it fires the system bundle's STOPPING
 * event to the synchronous bundle listeners on that thread, and only afterwards lowers the start
 * level to 0 ({@code SystemBundleActivator.stop}), which is what stops the other bundles. So while
 * this listener waits, nothing has stopped and every request is still served. Felix calls the
 * synchronous listeners of different bundles in no fixed order; the only one known to act on this
 * event is Aries Blueprint's "preemptive shutdown", and nothing DebMonitor serves with is a
 * Blueprint bundle.
 */
final class ShutdownDrain implements SynchronousBundleListener {

    private final Logger logger = LoggerFactory.getLogger(ShutdownDrain.class);
    private final int seconds;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean draining;

    ShutdownDrain(int seconds) {
        this.seconds = seconds;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.STOPPING || event.getBundle().getBundleId() != Constants.SYSTEM_BUNDLE_ID) {
            return;
        }
        draining = true;
        if (seconds > 0) {
            logger.info("Karaf is stopping: /healthz answers 'draining' for {} s before the bundles stop", seconds);
            try {
                released.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean draining() {
        return draining;
    }

    /** Ends a wait in progress: the application it drains for is going away by itself. */
    void release() {
        released.countDown();
    }
}
