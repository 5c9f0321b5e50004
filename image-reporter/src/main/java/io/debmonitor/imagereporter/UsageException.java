package io.debmonitor.imagereporter;

/** A command-line or configuration mistake: one line on stderr and exit status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
