package io.debmonitor.imagereporter;

/** A tag that is not a reportable image (another platform, an artifact, schema 1...): logged, not a failure. */
final class SkippedImage extends Exception {
    private static final long serialVersionUID = 1L;

    SkippedImage(String reason) {
        super(reason);
    }
}
