package io.debmonitor.core.model.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/** The thresholds of PID {@code io.debmonitor.staleness}; a change applies at once, without restarting anything. */
@Component(service = StalenessPolicy.class, configurationPid = "io.debmonitor.staleness")
@Designate(ocd = StalenessConfiguration.class)
public class StalenessPolicyImpl implements StalenessPolicy {

    private static final Logger LOGGER = LoggerFactory.getLogger(StalenessPolicyImpl.class);

    private volatile Map<EntityKind, Duration> thresholds;

    @Activate
    public StalenessPolicyImpl(StalenessConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(StalenessConfiguration config) {
        Map<EntityKind, Duration> next = new EnumMap<>(EntityKind.class);
        KindDescriptor.ALL.forEach(descriptor -> next.put(descriptor.kind(), descriptor.staleAfter().apply(config)));
        if (next.values().stream().anyMatch(threshold -> threshold.compareTo(Duration.ofHours(1)) < 0)) {
            // A display setting must never take the services that depend on it (ingest among them) down.
            LOGGER.error("io.debmonitor.staleness: hostStaleHours and imageStaleDays must be at least 1; keeping {}",
                    thresholds == null ? "the defaults (48 hours, 45 days)" : "the previous thresholds");
            if (thresholds == null) {
                next.put(EntityKind.HOST, Duration.ofHours(48));
                next.put(EntityKind.IMAGE, Duration.ofDays(45));
            } else {
                return;
            }
        }
        thresholds = next;
    }

    @Override
    public Duration threshold(EntityKind kind) {
        return thresholds.get(kind);
    }
}
