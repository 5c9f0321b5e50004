package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor staleness",
        description = "When a host or an image that has not reported counts as stale: marked on the pages, counted on the dashboard,"
                + " listed by host-list --stale and image-list --stale.")
public @interface StalenessConfiguration {

    @AttributeDefinition(name = "Host threshold (hours)",
            description = "A host that has not reported for longer is stale. The client reports at least daily.", min = "1")
    int hostStaleHours() default 48;

    @AttributeDefinition(name = "Image threshold (days)",
            description = "An image that has not been reported for longer is stale. Keep it above the image reporter's --refresh-days (30),"
                    + " which re-posts unchanged images, and below GC's imageMaxAgeDays (90).", min = "1")
    int imageStaleDays() default 45;
}
