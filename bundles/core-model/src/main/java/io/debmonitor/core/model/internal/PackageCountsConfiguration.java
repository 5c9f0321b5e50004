package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor package counts",
        description = "The fleet-wide per-package counts behind the packages index and the dashboard.")
public @interface PackageCountsConfiguration {

    @AttributeDefinition(name = "Maximum age (seconds)",
            description = "A page that finds the counts older than this recomputes them in the background; 0 recomputes at every page.")
    long maxAgeSeconds() default 60;
}
