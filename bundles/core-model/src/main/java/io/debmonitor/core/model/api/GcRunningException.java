package io.debmonitor.core.model.api;

/**
 * A garbage collection run was refused because another one holds the lease.
 *
 * @since 0.2.0
 */
public class GcRunningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GcRunningException() {
        super("gc already running");
    }
}
