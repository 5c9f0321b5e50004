package io.debmonitor.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The two keys of the UI's PID {@code io.debmonitor.ui} that the security filter needs. The UI
 * bundle designates the PID's full definition; this one only gives the filter typed access and the
 * same defaults.
 */
@ObjectClassDefinition(name = "DebMonitor UI sessions and HSTS")
public @interface UiSessionConfiguration {

    @AttributeDefinition(description = "Minutes a UI session may stay idle before it ends.")
    int ui_sessionTimeoutMinutes() default 480;

    @AttributeDefinition(description = "max-age of Strict-Transport-Security on secure requests, in seconds; 0 sends no HSTS header.")
    long ui_hstsMaxAgeSeconds() default 31_536_000L;
}
