package io.debmonitor.core.model.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/** The kernel slug of SPEC §4, used in {@code /kernels/{osId}_{slug}}. */
final class KernelSlug {

    /** Leaves room for a "-NNN" suffix inside 255 characters. */
    private static final int MAX_BASE = 240;

    private KernelSlug() {
    }

    static String of(String kernel) {
        String ascii = Normalizer.normalize(kernel, Normalizer.Form.NFKD).replaceAll("[^\\x00-\\x7F]", "");
        String slug = ascii.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_\\s-]", "")
                .replaceAll("[\\s-]+", "-")
                .replaceAll("^[-_]+|[-_]+$", "");
        if (slug.length() > MAX_BASE) {
            slug = slug.substring(0, MAX_BASE).replaceAll("[-_]+$", "");
        }
        return slug.isEmpty() ? "kernel" : slug;
    }

    /** @return {@code base}, or {@code base-2}, {@code base-3}, … whichever is not taken yet */
    static String unique(String base, Set<String> taken) {
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2; ; n++) {
            String candidate = base + "-" + n;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }
}
