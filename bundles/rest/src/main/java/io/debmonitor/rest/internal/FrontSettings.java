package io.debmonitor.rest.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * The session timeout and HSTS settings of the security filter, from the UI's PID. They live in a
 * component of their own because a configuration change modifies the service properties of the
 * component that reads it, and Pax Web re-registers a filter whose properties change: the filter
 * would then be missing for seconds and every request would fail.
 */
@Component(service = FrontSettings.class, configurationPid = "io.debmonitor.ui")
public class FrontSettings {

    /** The validated values; replaced whole on every change. */
    record Values(Duration sessionTimeout, String hsts) {
    }

    private volatile Values values;

    @Activate
    public FrontSettings(UiSessionConfiguration config) {
        values = validate(config);
    }

    @Modified
    void modified(UiSessionConfiguration config) {
        values = validate(config);
    }

    Values values() {
        return values;
    }

    static Values validate(UiSessionConfiguration config) {
        if (config.ui_sessionTimeoutMinutes() < 1) {
            throw new IllegalArgumentException("io.debmonitor.ui ui.sessionTimeoutMinutes must be positive, got "
                    + config.ui_sessionTimeoutMinutes());
        }
        if (config.ui_hstsMaxAgeSeconds() < 0) {
            throw new IllegalArgumentException("io.debmonitor.ui ui.hstsMaxAgeSeconds must not be negative, got "
                    + config.ui_hstsMaxAgeSeconds());
        }
        return new Values(Duration.ofMinutes(config.ui_sessionTimeoutMinutes()),
                config.ui_hstsMaxAgeSeconds() == 0 ? null : "max-age=" + config.ui_hstsMaxAgeSeconds());
    }
}
