package io.debmonitor.core.model.api;

/**
 * The two kinds of entity whose packages DebMonitor tracks.
 *
 * @since 0.1.0
 */
public enum EntityKind {
    /** A machine, reporting through the dpkg hook, apt hook and daily run. */
    HOST,
    /** A container image, reported by an image uploader. */
    IMAGE;

    /** @return the lower-case word used in messages ("host" or "image") */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
