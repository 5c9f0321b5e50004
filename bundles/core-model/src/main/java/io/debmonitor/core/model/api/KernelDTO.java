package io.debmonitor.core.model.api;

/**
 * A running kernel (the {@code uname -v} text) on one OS.
 *
 * @param osId  id of its OS; with the slug, the kernel's address ({@code /kernels/<osId>_<slug>})
 * @param slug  URL slug, unique per OS (SPEC §4)
 * @param os    OS name
 * @param name  the kernel's name
 * @param hosts hosts running it
 * @since 0.1.0
 */
public record KernelDTO(long osId, String slug, String os, String name, long hosts) {

    /** @return the kernel's key in URLs, {@code <osId>_<slug>} */
    public String key() {
        return osId + "_" + slug;
    }
}
