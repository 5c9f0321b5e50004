package io.debmonitor.core.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code io.debmonitor.cve.fetch} (CVE.md §2.1, §2.4). {@code enabled} and {@code schedule} are
 * read by the gc bundle's job too, which fires the fetch.
 */
@ObjectClassDefinition(name = "DebMonitor CVE fetch",
        description = "Fetching the Debian Security Tracker feed and its side files from their URLs (CVE.md §2.1).")
public @interface CveFetchConfiguration {

    @AttributeDefinition(name = "Scheduled fetch",
            description = "Fetch on the schedule below (the debmonitor-gc feature runs it). Off by default: many servers have no"
                    + " internet access and import files instead (debmonitor:cve-import, the /cve-feed/ upload). debmonitor:cve-fetch"
                    + " fetches at once either way.")
    boolean enabled() default false;

    @AttributeDefinition(name = "Schedule",
            description = "Quartz cron expression (seconds minutes hours day-of-month month day-of-week) in the server's time zone;"
                    + " never more often than hourly (seconds and minutes must be single values).")
    String schedule() default "0 7 0/6 * * ?";

    @AttributeDefinition(name = "Feed URL", description = "The tracker's JSON feed; empty: not fetched.")
    String feedUrl() default "https://security-tracker.debian.org/tracker/data/json";

    @AttributeDefinition(name = "distributions.json URL",
            description = "Codename to Debian version; empty: not fetched (the static table, or an imported file, applies).")
    String distributionsUrl() default "https://security-tracker.debian.org/tracker/distributions.json";

    @AttributeDefinition(name = "DSA list URL", description = "data/DSA/list, for advisory labels; empty: not fetched.")
    String dsaListUrl() default "https://salsa.debian.org/security-tracker-team/security-tracker/raw/master/data/DSA/list";

    @AttributeDefinition(name = "DLA list URL", description = "data/DLA/list, for advisory labels; empty: not fetched.")
    String dlaListUrl() default "https://salsa.debian.org/security-tracker-team/security-tracker/raw/master/data/DLA/list";

    @AttributeDefinition(name = "HTTP proxy",
            description = "http://[user:password@]host:port; HTTPS goes through it with CONNECT. Empty: direct connections (no proxy"
                    + " environment variable is read). Basic credentials over CONNECT need the JVM system property"
                    + " jdk.http.auth.tunneling.disabledSchemes set to empty (etc/system.properties).")
    String httpProxy() default "";

    @AttributeDefinition(name = "Extra CA file",
            description = "PEM file of CA certificates trusted besides the JVM's (e.g. an intercepting proxy's); empty: the JVM's only.")
    String caFile() default "";

    @AttributeDefinition(name = "Maximum size (bytes)",
            description = "A response body larger than this (after decompression) fails the fetch; the active data stays.", min = "1")
    long maxFeedBytes() default 536870912L;
}
