package io.debmonitor.metrics.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.Cidr;

/**
 * Who may read {@code /metrics} (SPEC §3.2): a TCP peer in {@code allowedAddresses} or a caller
 * with a verified identity in {@code allowedIdentities}.
 * <p>
 * The one component that reads PID {@code io.debmonitor.metrics}. It is not a JAX-RS resource, so
 * a configuration change, which alters its service properties, never makes the rest bundle
 * rebuild the application; {@link #modified} applies it from the next request on.
 */
@Component(service = MetricsAccess.class, configurationPid = "io.debmonitor.metrics")
@Designate(ocd = MetricsConfiguration.class)
public class MetricsAccess {

    /** The validated allow-list; replaced whole on every change. */
    record Rules(List<Cidr> addresses, Set<String> identities) {

        /** @throws IllegalArgumentException when an address entry is not an IP address or CIDR */
        static Rules of(MetricsConfiguration config) {
            List<Cidr> addresses = new ArrayList<>();
            for (String entry : entries(config.allowedAddresses())) {
                addresses.add(Cidr.parse(entry));
            }
            return new Rules(List.copyOf(addresses), Set.copyOf(entries(config.allowedIdentities())));
        }
    }

    private final Logger logger = LoggerFactory.getLogger(MetricsAccess.class);
    private volatile Rules rules;

    /** @throws IllegalArgumentException when the configuration is invalid: the component does not activate */
    @Activate
    public MetricsAccess(MetricsConfiguration config) {
        rules = Rules.of(config);
    }

    /** @throws IllegalArgumentException when the configuration is invalid: the previous allow-list stays in force */
    @Modified
    void modified(MetricsConfiguration config) {
        try {
            rules = Rules.of(config);
        } catch (IllegalArgumentException e) {
            logger.error("io.debmonitor.metrics: {}; /metrics keeps its previous allow-list", e.getMessage());
            throw e;
        }
        logger.info("io.debmonitor.metrics configuration applied");
    }

    /**
     * @param peerAddress  the TCP peer ({@code getRemoteAddr()})
     * @param trustedProxy true when the peer is a trusted proxy: it forwards anyone's request (a
     *                     reverse proxy on 127.0.0.1 would otherwise open the metrics to the world),
     *                     so only an allowed identity counts then
     * @param identities   the caller's verified identities
     */
    boolean allows(String peerAddress, boolean trustedProxy, Set<String> identities) {
        Rules current = rules;
        return identities.stream().anyMatch(current.identities()::contains)
                || !trustedProxy && current.addresses().stream().anyMatch(block -> block.contains(peerAddress));
    }

    /** List settings may arrive as arrays or as one comma-separated string from a .cfg file. */
    private static Set<String> entries(String[] values) {
        Set<String> entries = new HashSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    entries.add(part.strip());
                }
            }
        }
        return entries;
    }
}
