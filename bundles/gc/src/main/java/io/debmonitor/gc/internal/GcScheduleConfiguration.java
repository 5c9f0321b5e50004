package io.debmonitor.gc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "DebMonitor garbage collection schedule",
        description = "When garbage collection runs; what it deletes is set in io.debmonitor.gc.")
public @interface GcScheduleConfiguration {

    /** The Karaf scheduler whiteboard reads this service property (DS turns '_' into '.'). */
    @AttributeDefinition(name = "Schedule",
            description = "Quartz cron expression (seconds minutes hours day-of-month month day-of-week), in the server's time zone.")
    String scheduler_expression() default GcJob.DEFAULT_SCHEDULE;

    @AttributeDefinition(name = "Watchdog period (s)",
            description = "How often each node checks that the latest slot ran: it resumes a run whose node died (once its lease"
                    + " expired) and runs a slot that no node could start, if less than a day late. 10 to 3600.")
    int watchdogSeconds() default 60;
}
