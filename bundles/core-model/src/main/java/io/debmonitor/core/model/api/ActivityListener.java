package io.debmonitor.core.model.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told what this node just did, for metrics. Register implementations as OSGi services; the
 * bundles that do the work call every registered listener synchronously after the fact, so an
 * implementation must return at once and never throw. Nothing depends on a listener being there.
 *
 * @since 0.3.0
 */
@ConsumerType
public interface ActivityListener {

    /**
     * A v1 write request was answered (called by the rest bundle).
     *
     * @param source     the URL collection ({@code hosts}, {@code images}, ...) or {@code kubernetes}
     * @param updateType the report's update type ({@code full}, {@code upgradable}, {@code dpkg_hook},
     *                   {@code partial}), {@code delete} for a DELETE, {@code snapshot} for kubernetes,
     *                   or {@code unknown} when the request was refused before its body was read
     * @param status     the HTTP status sent
     * @param nanos      the time from the request's arrival to its answer
     */
    default void requestServed(String source, String updateType, int status, long nanos) {
    }

    /**
     * A report was applied (called by core-model after its transaction committed).
     *
     * @param kind        host or image
     * @param rowsWritten package rows inserted, updated or deleted ({@code 0} for an unchanged report)
     */
    default void reportApplied(EntityKind kind, long rowsWritten) {
    }

    /**
     * A report recorded package history events (called by core-model after its transaction
     * committed; not called when it recorded none).
     *
     * @param kind   host or image
     * @param events the events recorded, a baseline included
     * @since 0.4.0
     */
    default void historyRecorded(EntityKind kind, long events) {
    }

    /** A garbage collection run ended, here, with these steps (dry runs are not reported). */
    default void gcRun(GcRunDTO run) {
    }
}
