package io.debmonitor.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor REST",
        description = "The v1 protocol endpoints served at the server root.")
public @interface RestConfiguration {

    @AttributeDefinition(name = "Maximum body size", description = "Largest request body accepted, in bytes; larger bodies get 413.")
    long maxBodyBytes() default 16_777_216L;

    @AttributeDefinition(name = "Expected sources",
            description = "Collections whose package source should be installed: while its bundle is not active, reports to it get 503 with Retry-After instead of 404.")
    String[] expectedSources() default {"hosts", "images"};

    @AttributeDefinition(name = "Drain seconds", min = "0", max = "120",
            description = "When Karaf is stopped, seconds during which /healthz answers 503 \"draining\" while the node still serves"
                    + " every other request, before any bundle stops, so a load balancer takes the node out first. Use more than"
                    + " the balancer's check interval times its fall count (HAProxy inter 2s, fall 2: 5). 0 stops at once (a single node).")
    int drainSeconds() default 0;
}
