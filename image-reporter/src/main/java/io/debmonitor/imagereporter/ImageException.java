package io.debmonitor.imagereporter;

/** The image cannot be reported: not Debian or Ubuntu, or no dpkg database. */
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
