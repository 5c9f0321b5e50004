package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor CVE",
        description = "How the stored CVE findings of hosts and images follow reports and feed imports (CVE.md §10).")
public @interface CveConfiguration {

    @AttributeDefinition(name = "Refresh interval (seconds)",
            description = "How often a node looks for hosts and images whose findings a report or an import changed; one node at a time"
                    + " recomputes them. Fleet views (/cves/, the dashboard, the lists) lag reports by about this much.", min = "1")
    int refreshSeconds() default 10;

    @AttributeDefinition(name = "Feed maximum age (hours)",
            description = "The feed is stale when the last good import is older: every CVE page and the dashboard then warn.", min = "1")
    int maxAgeHours() default 24;

    @AttributeDefinition(name = "Enabled",
            description = "CVE pages, verdicts and imports. Off: the CVE pages answer 404, imports, fetches and exceptions are refused"
                    + " and nothing is recomputed.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Release map",
            description = "Extra 'OS name=codename' pairs, comma-separated, for OS names the feed's releases cannot be told from,"
                    + " e.g. 'Debian=sid' for testing/unstable hosts that report no version number.")
    String releaseMap() default "";

    @AttributeDefinition(name = "Signed kernel sources",
            description = "Regular expression of the source packages that wrap a signed kernel; their rows are judged as source"
                    + " 'linux' on their binary version (CVE.md §3.5).")
    String kernelSignedSources() default "^linux-signed-(amd64|arm64|i386)$";

    @AttributeDefinition(name = "VM image patterns",
            description = "Image references (globs, comma-separated) that are virtual-machine images: their kernel packages are"
                    + " judged like any other source instead of as headers only (CVE.md §6).")
    String vmImagePatterns() default "";
}
