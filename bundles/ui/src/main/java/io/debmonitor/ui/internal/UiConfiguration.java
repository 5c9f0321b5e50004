package io.debmonitor.ui.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The web UI settings of SPEC §3.5. Each '_' in a method name reads as '.', so {@code ui_pageSize()}
 * is the key {@code ui.pageSize}.
 */
@ObjectClassDefinition(name = "DebMonitor UI", description = "The web UI: access, paging, search and external links (SPEC §3.3–§5).")
public @interface UiConfiguration {

    @AttributeDefinition(name = "Public UI",
            description = "Anyone may read the HTML pages without logging in. JSON still needs an identity or a session.")
    boolean ui_public() default false;

    @AttributeDefinition(name = "Page size", description = "Table rows per page when the request gives no size.")
    int ui_pageSize() default 50;

    @AttributeDefinition(name = "Maximum page size", description = "The largest size= a request may ask for (at most 10000).")
    int ui_maxPageSize() default 1000;

    @AttributeDefinition(name = "Concurrent exports",
            description = "How many CSV or JSON Lines table exports may run at once (1 to 64); one more is answered 503.")
    int ui_maxConcurrentExports() default 4;

    @AttributeDefinition(name = "Search minimum length", description = "Shortest search query accepted, in characters.")
    int search_minLength() default 3;

    @AttributeDefinition(name = "Search results per scope", description = "Items shown per search scope.")
    int search_maxResults() default 100;

    @AttributeDefinition(name = "Host links", required = false,
            description = "External links on host pages, each 'label=URL template'; {fqdn} is the full name, {hostname} the part before the first dot.")
    String[] ui_hostLinks() default {};

    @AttributeDefinition(name = "Image links", required = false,
            description = "External links on image pages, each 'label=URL template'; {fqdn} is the full reference, {image_path} the path without registry and tag.")
    String[] ui_imageLinks() default {};

    @AttributeDefinition(name = "JAAS realm", description = "Karaf JAAS realm that checks UI passwords.")
    String ui_jaasRealm() default "karaf";

    @AttributeDefinition(name = "Required roles", description = "A user must hold one of these roles to log in.")
    String[] ui_requiredRoles() default {"viewer", "admin"};

    @AttributeDefinition(name = "Session timeout", description = "Minutes of inactivity after which a UI session ends.")
    int ui_sessionTimeoutMinutes() default 480;

    @AttributeDefinition(name = "CVE feed upload limit",
            description = "The largest request body, in bytes, of an upload on /cve-feed/ (CVE.md §2.2); the reports' maxBodyBytes does not apply to it.")
    long cve_maxUploadBytes() default 268_435_456L;

    @AttributeDefinition(name = "HSTS max-age", description = "Strict-Transport-Security max-age in seconds on secure requests; 0 disables the header.")
    long ui_hstsMaxAgeSeconds() default 31_536_000L;
}
