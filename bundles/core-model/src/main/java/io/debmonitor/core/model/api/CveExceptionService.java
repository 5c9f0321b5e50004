package io.debmonitor.core.model.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Exceptions to CVE findings (CVE.md §10): an administrator accepts the findings of an issue, on
 * the whole fleet or on one host or image, of every source package or of one, with a reason and an
 * optional expiry. An accepted finding keeps its verdict, stays listed with its {@link
 * CveFindingDTO#accepted() acceptance}, and is not {@link CveFindingDTO#counted() counted}; the
 * fleet's stored findings follow within the CVE refresher's interval. An expired exception lapses
 * by itself; a revoked one ends at once. Accepting and revoking are recorded in the audit trail
 * ({@link AuditAction#CVE_ACCEPTED}, {@link AuditAction#CVE_REVOKED}).
 *
 * <p>Callers authorize: only an administrator's UI session (with its CSRF token) or the console may
 * write (SPEC §3.2).
 *
 * @since 0.6.0
 */
@ProviderType
public interface CveExceptionService {

    /** The sort keys of {@link #list}: {@code created}, {@code issue}, {@code expires}. */
    Set<String> SORT_KEYS = Set.of("created", "issue", "expires");

    /** Longest reason, in characters. */
    int MAX_REASON = 2000;

    /**
     * Accepts the findings of {@code issue} that the scope covers.
     *
     * @param issue   a tracker issue of the active feed snapshot, {@code CVE-YYYY-NNNN} (any case) or {@code TEMP-…}
     * @param source  a source package the feed lists for the issue, or null for every source
     * @param kind    with {@code entity}: limit it to this host or image; both null for the whole fleet
     * @param entity  a stored host's FQDN or image reference, or null
     * @param reason  why the risk is accepted; not blank, at most {@link #MAX_REASON} characters
     * @param expires when it lapses, in the future; null for never
     * @param author  who accepts, as the audit trail names actors ({@code ui:alice}, {@code shell:karaf}); not blank
     * @return the new exception, {@link CveExceptionDTO.State#ACTIVE}
     * @throws IllegalArgumentException with a message for the user: the issue is malformed or not in
     *         the active snapshot (or none is imported), the source has no entry for it, the host or
     *         image does not exist, only one of kind and entity is given, the reason is blank or too
     *         long, the expiry is not in the future, or an active exception with the same scope exists
     * @throws StorageUnavailableException when the database cannot be used
     */
    CveExceptionDTO accept(String issue, String source, EntityKind kind, String entity, String reason, Instant expires, String author);

    /**
     * Ends an active exception now; its findings count again after the refresher's next run.
     *
     * @param author who revokes, as for {@link #accept}
     * @return the revoked exception
     * @throws IllegalArgumentException when there is no exception {@code id}, or it is already revoked or expired
     * @throws StorageUnavailableException when the database cannot be used
     */
    CveExceptionDTO revoke(long id, String author);

    /** @return exception {@code id}, in any state, or empty */
    Optional<CveExceptionDTO> find(long id);

    /**
     * One page of exceptions, active, expired and revoked alike unless the filter says otherwise.
     * Default order: newest first.
     *
     * @throws IllegalArgumentException for a sort key outside {@link #SORT_KEYS}
     */
    PageDTO<CveExceptionDTO> list(CveExceptionFilter filter, PageRequest page);

    /**
     * The active exceptions as one VEX document. An exception accepts a risk; it does not claim that
     * the product is not affected, so each statement says the product is affected and that no fix
     * will be applied, with the reason, the author and the expiry: OpenVEX {@code "status":
     * "affected"} with an {@code action_statement}; CycloneDX {@code analysis.state: "exploitable"}
     * with {@code response: ["will_not_fix"]} and the reason as {@code detail}. The products are the
     * source packages as package URLs ({@code pkg:deb/debian/<source>?arch=source}; for an exception
     * on every source, each source the active snapshot lists for the issue), under the host or image
     * ({@code urn:debmonitor:host:<fqdn>}, {@code urn:debmonitor:image:<reference>}) when it is
     * limited to one.
     *
     * @return the JSON document, UTF-8 text
     * @throws StorageUnavailableException when the database cannot be used
     */
    String export(VexFormat format);

    /** The VEX formats of {@link #export}. */
    enum VexFormat {
        /** OpenVEX 0.2.0 JSON ({@code https://openvex.dev/ns/v0.2.0}). */
        OPENVEX,
        /** A CycloneDX 1.5 JSON BOM with a {@code vulnerabilities} array (CycloneDX VEX). */
        CYCLONEDX
    }

    /**
     * The expiry a user gives as a date: the exception lapses at the start of that day, UTC (it
     * applies up to the day before), as Trivy's {@code exp:} dates do.
     *
     * @param date {@code YYYY-MM-DD}
     * @return the instant it lapses
     * @throws IllegalArgumentException naming the expected form when {@code date} is not a date
     */
    static Instant expiryOf(String date) {
        try {
            return LocalDate.parse(date.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid expiry '" + date + "': expected a date, YYYY-MM-DD.");
        }
    }
}
