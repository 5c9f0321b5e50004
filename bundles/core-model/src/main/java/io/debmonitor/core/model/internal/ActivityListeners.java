package io.debmonitor.core.model.internal;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.ActivityListener;

/** Tells every listener; a failing one is logged and never disturbs the work it is told about. */
final class ActivityListeners {

    private static final Logger LOGGER = LoggerFactory.getLogger(ActivityListeners.class);

    private ActivityListeners() {
    }

    static void tell(List<ActivityListener> listeners, Consumer<ActivityListener> event) {
        for (ActivityListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOGGER.warn("Activity listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
    }
}
