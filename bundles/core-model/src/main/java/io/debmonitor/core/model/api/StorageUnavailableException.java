package io.debmonitor.core.model.api;

/**
 * The database could not be reached, or a conflict with concurrent writers persisted after the
 * internal retries. Nothing was stored; the caller may retry later (HTTP 503).
 *
 * @since 0.1.0
 */
public class StorageUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without SQL or stack details
     * @param cause   the underlying failure, for the log only
     */
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
