package io.debmonitor.core.model.api;

/**
 * A report or request that breaks the protocol rules; the message is one sentence for people and
 * is safe to send back to the client.
 *
 * @since 0.1.0
 */
public class InvalidReportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one human-readable sentence naming the offending key where there is one */
    public InvalidReportException(String message) {
        super(message);
    }
}
