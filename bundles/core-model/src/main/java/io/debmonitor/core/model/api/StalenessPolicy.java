package io.debmonitor.core.model.api;

import java.time.Duration;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * When a host or an image counts as stale: it has not reported for longer than its kind's
 * threshold (PID {@code io.debmonitor.staleness}: {@code hostStaleHours}, default 48;
 * {@code imageStaleDays}, default 45). Pages mark and filter stale entities, the dashboard counts
 * them, and the shell lists them, all with this one rule.
 *
 * @since 0.3.0
 */
@ProviderType
public interface StalenessPolicy {

    /** @return how long an entity of this kind may go without a report before it is stale */
    Duration threshold(EntityKind kind);

    /** @return the last-report time before which an entity of this kind is stale at {@code now} */
    default Instant staleBefore(EntityKind kind, Instant now) {
        return now.minus(threshold(kind));
    }
}
