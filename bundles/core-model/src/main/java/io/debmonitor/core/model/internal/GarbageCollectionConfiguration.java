package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor garbage collection",
        description = "What a garbage collection run deletes (SPEC §2.8); the gc bundle's io.debmonitor.gc.schedule says when it runs.")
public @interface GarbageCollectionConfiguration {

    @AttributeDefinition(name = "Host maximum age (days)",
            description = "Hosts that have not reported for longer are deleted with their rows.", min = "1")
    int hostMaxAgeDays() default 15;

    @AttributeDefinition(name = "Image maximum age (days)",
            description = "Images not reported for longer, and that no kubernetes row references, are deleted with their rows.", min = "1")
    int imageMaxAgeDays() default 90;

    @AttributeDefinition(name = "History retention (days)",
            description = "Package history events older than this are deleted; no state before it is answered.", min = "1")
    int historyRetentionDays() default 400;

    @AttributeDefinition(name = "Batch size",
            description = "The most rows one transaction deletes.", min = "10", max = "100000")
    int batchSize() default 1000;

    @AttributeDefinition(name = "Pause between batches (milliseconds)",
            description = "How long a run waits after each batch, so reports keep most of the database while it runs; 0 runs flat out.",
            min = "0", max = "10000")
    int batchPauseMillis() default 100;

    @AttributeDefinition(name = "Lease (seconds)",
            description = "How long a run's lease lasts without renewal; each batch renews it. A node that dies mid-run blocks others for at most this long.",
            min = "30")
    int leaseSeconds() default 300;
}
