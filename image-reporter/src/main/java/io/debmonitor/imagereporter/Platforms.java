package io.debmonitor.imagereporter;

/** Maps OCI platform names to Debian's. */
public final class Platforms {

    private Platforms() {
    }

    /**
     * The Debian architecture of an OCI {@code architecture} and {@code variant} (the variant may be null),
     * e.g. ("arm", "v7") gives "armhf".
     *
     * @throws IllegalArgumentException for an architecture Debian has no port for
     */
    public static String debianArch(String arch, String variant) {
        switch (arch) {
            case "amd64", "arm64", "s390x", "riscv64", "ppc64", "loong64":
                return arch;
            case "386":
                return "i386";
            case "ppc64le":
                return "ppc64el";
            case "mips64le":
                return "mips64el";
            case "mipsle":
                return "mipsel";
            case "arm":
                return armDebianArch(variant);
            default:
                throw new IllegalArgumentException("no Debian architecture for the platform architecture " + arch);
        }
    }

    private static String armDebianArch(String variant) {
        // An arm platform without a variant means v7 (as containerd normalises it).
        if (variant == null || variant.isEmpty() || variant.equals("v7") || variant.equals("v8")) {
            return "armhf";
        }
        if (variant.equals("v6") || variant.equals("v5")) {
            return "armel";
        }
        throw new IllegalArgumentException("no Debian architecture for the platform arm/" + variant);
    }
}
