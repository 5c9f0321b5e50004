package io.debmonitor.core.model.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date on a thread of its own once the DataSource is there, then registers
 * {@link SchemaReady}. Activation returns at once: waiting for another node's migration or for a
 * database that is down blocks no OSGi thread, and failures are retried here, as SCR does not retry
 * a failed activation. Meanwhile no service of this bundle is registered, so the REST layer answers 503.
 */
@Component(service = {}, immediate = true)
public class SchemaGate {

    /** Pause after a failure: the database unreachable, a migration failed. */
    static final Duration RETRY = Duration.ofSeconds(5);
    /** Pause after finding a newer schema this code does not work with, until an operator rolls one forward. */
    static final Duration INCOMPATIBLE_RETRY = Duration.ofSeconds(60);

    private final Logger logger = LoggerFactory.getLogger(SchemaGate.class);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<ServiceRegistration<SchemaReady>> registration = new AtomicReference<>();
    private final BundleContext context;
    final Thread thread;

    @Activate
    public SchemaGate(@Reference(target = "(osgi.jndi.service.name=debmonitor)") DataSource dataSource, BundleContext context) {
        this.context = context;
        SchemaMigrator.Pause pause = this::pause;
        this.thread = start(dataSource, new SchemaMigrator(pause), pause, this::register);
    }

    /** Without OSGi, for tests: {@code ready} receives what would be registered. */
    SchemaGate(DataSource dataSource, SchemaMigrator migrator, SchemaMigrator.Pause pause, Consumer<SchemaReady> ready) {
        this.context = null;
        this.thread = start(dataSource, migrator, pause, ready);
    }

    private Thread start(DataSource dataSource, SchemaMigrator migrator, SchemaMigrator.Pause pause, Consumer<SchemaReady> ready) {
        Thread started = new Thread(() -> run(dataSource, migrator, pause, ready), "debmonitor-schema");
        started.setDaemon(true);
        started.start();
        return started;
    }

    /** Cuts a wait short; a migration step in progress runs to its end (or fails with the DataSource gone). */
    @Deactivate
    void deactivate() {
        stop.countDown();
        unregister();
    }

    private void run(DataSource dataSource, SchemaMigrator migrator, SchemaMigrator.Pause pause, Consumer<SchemaReady> ready) {
        Instant logged = null;
        try {
            while (!stopped()) {
                Duration retry;
                try {
                    SchemaReady schema = SchemaReady.migrate(migrator, dataSource);
                    if (!stopped()) {
                        ready.accept(schema);
                    }
                    return;
                } catch (SchemaMigrator.IncompatibleSchemaException e) {
                    logger.error("{} Looking again every {} s.", e.getMessage(), INCOMPATIBLE_RETRY.toSeconds());
                    retry = INCOMPATIBLE_RETRY;
                } catch (SQLException | RuntimeException e) {
                    if (stopped()) {
                        return;
                    }
                    Instant now = Instant.now();
                    if (logged == null || !now.isBefore(logged.plus(SchemaMigrator.WAIT_LOG))) {
                        logger.warn("The database schema is not ready yet, retrying every {} s: {}", RETRY.toSeconds(), e.getMessage());
                        logged = now;
                    }
                    retry = RETRY;
                }
                pause.pause(retry);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private boolean stopped() {
        return stop.getCount() == 0;
    }

    /** Waits {@code duration}, or less when the component stops. */
    private void pause(Duration duration) throws InterruptedException {
        if (stop.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("stopping");
        }
    }

    private void register(SchemaReady schema) {
        registration.set(context.registerService(SchemaReady.class, schema, null));
        // Deactivated while registering: deactivate() may have found nothing to unregister.
        if (stopped()) {
            unregister();
        }
    }

    private void unregister() {
        ServiceRegistration<SchemaReady> registered = registration.getAndSet(null);
        if (registered != null) {
            try {
                registered.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with the stopping bundle
            }
        }
    }
}
