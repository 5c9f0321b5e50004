package io.debmonitor.imagereporter;

import io.debmonitor.client.DpkgStatus;
import java.util.List;

/** What a report says about an image: its {@code os} ("Debian 12") and its installed packages. */
public record ImageContents(String os, List<DpkgStatus.Installed> installed) {

    public ImageContents {
        installed = List.copyOf(installed);
    }
}
