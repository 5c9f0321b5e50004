package io.debmonitor.imagereporter;

/**
 * A registry answer that retrying will not change (an HTTP 4xx, a digest mismatch, a malformed
 * document). Connection failures and HTTP 429/5xx are {@link java.io.IOException}s instead: retried.
 */
final class RegistryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The HTTP status, or 0 when the failure is not an HTTP status. */
    final int status;

    RegistryException(String message) {
        this(0, message);
    }

    RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }
}
