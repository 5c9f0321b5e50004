package io.debmonitor.client;

/** A command-line or configuration mistake: exit status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
