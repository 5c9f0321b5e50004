package io.debmonitor.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor metrics", description = "Who may read the Prometheus metrics at /metrics (SPEC §3.2).")
public @interface MetricsConfiguration {

    @AttributeDefinition(name = "Allowed addresses", required = false,
            description = "IP addresses or CIDRs of the TCP peers that may scrape /metrics; behind a proxy the peer is the proxy.")
    String[] allowedAddresses() default {"127.0.0.1", "::1"};

    @AttributeDefinition(name = "Allowed identities", required = false,
            description = "Verified identities (certificate CN or DNS SAN) that may scrape /metrics from any address.")
    String[] allowedIdentities() default {};
}
