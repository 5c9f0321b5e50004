package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor security", description = "Who may write what (SPEC §3).")
public @interface SecurityConfiguration {

    @AttributeDefinition(name = "Client CA file", required = false,
            description = "PEM bundle of the CAs that issue client certificates; empty means no certificate verifies.")
    String clientCaFile() default "";

    @AttributeDefinition(name = "CRL file", required = false,
            description = "PEM or DER certificate revocation list(s) checked for client certificates; empty disables revocation checks.")
    String crlFile() default "";

    @AttributeDefinition(name = "File check interval (seconds)", min = "0",
            description = "How often, at most, a request checks whether clientCaFile or crlFile changed on disk (size, modification time, inode) and reloads it; 0 checks on every request.")
    int fileCheckSeconds() default 30;

    @AttributeDefinition(name = "CRL warning window (hours)", min = "0",
            description = "A CRL whose nextUpdate is this close is logged as a warning, once per CRL and load; 0 reports it only once nextUpdate has passed.")
    int crlWarnHours() default 24;

    @AttributeDefinition(name = "Host proxies", required = false,
            description = "Identities that may write and delete any host.")
    String[] hostProxies() default {};

    @AttributeDefinition(name = "Image uploaders", required = false,
            description = "Identities that may write, delete and look up images.")
    String[] imageUploaders() default {};

    @AttributeDefinition(name = "Kubernetes reporters", required = false,
            description = "Identities that may post kubernetes snapshots.")
    String[] kubernetesReporters() default {};

    @AttributeDefinition(name = "Trusted proxies", required = false,
            description = "IP addresses or CIDRs of fronting proxies whose X-Client-Cert-* headers are honoured on the plain HTTP port; empty turns the mode off.")
    String[] trustedProxies() default {};
}
