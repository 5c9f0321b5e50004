package io.debmonitor.core.model.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/** The thresholds of PID {@code io.debmonitor.staleness}; a change applies at once, without restarting anything. */
@Component(service = StalenessPolicy.class, configurationPid = "io.debmonitor.staleness")
@Designate(ocd = StalenessConfiguration.class)
public class StalenessPolicyImpl implements StalenessPolicy {

    private volatile Map<EntityKind, Duration> thresholds;

    @Activate
    public StalenessPolicyImpl(StalenessConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(StalenessConfiguration config) {
        if (config.hostStaleHours() < 1 || config.imageStaleDays() < 1) {
            throw new IllegalArgumentException("io.debmonitor.staleness: hostStaleHours and imageStaleDays must be at least 1.");
        }
        Map<EntityKind, Duration> next = new EnumMap<>(EntityKind.class);
        KindDescriptor.ALL.forEach(descriptor -> next.put(descriptor.kind(), descriptor.staleAfter().apply(config)));
        thresholds = next;
    }

    @Override
    public Duration threshold(EntityKind kind) {
        return thresholds.get(kind);
    }
}
