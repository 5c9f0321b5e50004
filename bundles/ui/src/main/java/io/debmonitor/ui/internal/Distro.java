package io.debmonitor.ui.internal;

import java.util.Locale;

/**
 * The distribution an OS name names (SPEC §1.7: {@code Debian 12}, {@code Ubuntu 24.04}, or a
 * bare {@code Debian}), as os-release's {@code ID} and {@code VERSION_ID} give it to Syft.
 *
 * @param id      lower case, e.g. {@code debian}: the purl namespace and the operating-system component's name
 * @param release e.g. {@code 12}, or null when the OS name has none
 */
record Distro(String id, String release) {

    static Distro of(String os) {
        int space = os.indexOf(' ');
        return space < 0 ? new Distro(os.toLowerCase(Locale.ROOT), null)
                : new Distro(os.substring(0, space).toLowerCase(Locale.ROOT), os.substring(space + 1));
    }

    /** @return the purl {@code distro} qualifier, e.g. {@code debian-12}; null without a release */
    String qualifier() {
        return release == null ? null : id + "-" + release;
    }
}
