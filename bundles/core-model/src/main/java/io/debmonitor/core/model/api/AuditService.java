package io.debmonitor.core.model.api;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit trail (issue #11): logins (failed ones too), logouts, removals of hosts and images,
 * garbage collection runs, changes of the security settings and CVE exceptions accepted or revoked
 * (since 0.6.0), each kept as a row of the
 * database and written as one INFO line to the SLF4J logger {@value #LOGGER}, so that operators
 * can route the trail to a file of its own. Events are kept forever for now (no retention).
 *
 * @since 0.2.0
 */
@ProviderType
public interface AuditService {

    /** Name of the logger every event is written to: {@code audit: <actor> <action> <target> <detail>}. */
    String LOGGER = "io.debmonitor.audit";

    /** Longest stored actor and target; longer values are cut and end with '…'. */
    int MAX_NAME = 255;

    /** Longest stored detail; longer values are cut and end with '…'. */
    int MAX_DETAIL = 1000;

    /** Sort keys of {@link #list}: {@code created}. */
    Set<String> LIST_SORT_KEYS = Set.of("created");

    /**
     * Logs and stores one event, now. Control characters in the texts are replaced by '?' (no
     * forged log lines), and texts longer than {@link #MAX_NAME} or {@link #MAX_DETAIL} are cut.
     * Never fails the caller's operation for the trail's sake: when the event cannot be stored
     * (database down, any storage error), that is logged as a warning and the method returns
     * normally; the log line is written either way.
     *
     * @param actor  who acted, {@code <channel>:<name>}: {@code ui:alice}, {@code shell:karaf},
     *               {@code cert:host1.example.org}, {@code gc:schedule}; not blank
     * @param action what was done; not null
     * @param target what it was done to (a host's FQDN, an image reference, a user), or null
     * @param detail free text (a client address, counts, changed settings), or null
     * @throws IllegalArgumentException when {@code actor} is blank or {@code action} is null: a
     *         programming error, never a storage one
     */
    void record(String actor, AuditAction action, String target, String detail);

    /**
     * One page of events. Default order: newest first; {@code created} ascending lists the oldest
     * first. Ties (the same millisecond) are broken by the order of storing.
     *
     * @param filter which events; {@link AuditFilter#ALL} for all
     * @throws IllegalArgumentException for a sort key outside {@link #LIST_SORT_KEYS}
     * @throws StorageUnavailableException when the database cannot be used
     */
    PageDTO<AuditEventDTO> list(AuditFilter filter, PageRequest request);
}
