package io.debmonitor.client;

/** A runtime failure (apt/dpkg read error, bad hook input, TLS material...): exit status 1. */
public final class ClientException extends Exception {
    private static final long serialVersionUID = 1L;

    ClientException(String message) {
        super(message);
    }

    ClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
