package io.debmonitor.core.model.internal;

import java.time.Duration;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.StalenessPolicy;

/** The default thresholds of {@link StalenessConfiguration}, for services built outside OSGi. */
final class TestStaleness {

    static final StalenessPolicy DEFAULT = kind -> kind == EntityKind.HOST ? Duration.ofHours(48) : Duration.ofDays(45);

    private TestStaleness() {
    }
}
