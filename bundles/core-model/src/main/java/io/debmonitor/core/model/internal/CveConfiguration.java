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
}
