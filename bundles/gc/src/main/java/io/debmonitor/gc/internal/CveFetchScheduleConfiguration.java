package io.debmonitor.gc.internal;

/**
 * The keys of PID {@code io.debmonitor.cve.fetch} that say whether and when the fetch runs. The PID's
 * metatype (with the URLs, the proxy and the limits the fetch itself reads) is core-model's: one
 * bundle describes a PID.
 */
public @interface CveFetchScheduleConfiguration {

    boolean enabled() default false;

    String schedule() default CveFetchJob.DEFAULT_SCHEDULE;
}
