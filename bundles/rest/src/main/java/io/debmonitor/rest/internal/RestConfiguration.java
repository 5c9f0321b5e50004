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
}
