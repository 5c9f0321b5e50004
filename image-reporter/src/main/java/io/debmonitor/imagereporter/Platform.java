package io.debmonitor.imagereporter;

import java.util.Locale;

/** An OCI platform: {@code os/architecture[/variant]}, as in image indexes and --platform. */
record Platform(String os, String architecture, String variant) {

    static final Platform DEFAULT = new Platform("linux", "amd64", null);

    static Platform parse(String text) throws UsageException {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new UsageException("invalid --platform " + text + ": expected OS/ARCH[/VARIANT], e.g. linux/arm64/v8");
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new UsageException("invalid --platform " + text + ": empty component");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
