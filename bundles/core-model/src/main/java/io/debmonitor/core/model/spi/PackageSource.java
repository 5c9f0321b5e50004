package io.debmonitor.core.model.spi;

import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ConsumerType;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;

/**
 * A plugin that accepts one report format for one URL collection and turns its payloads into
 * validated reports. Register an implementation as an OSGi service with the properties
 * {@value #COLLECTION_PROPERTY} and {@value #TYPE_PROPERTY}; core-model binds every one
 * dynamically, so a bundle dropped into {@code deploy/} starts serving
 * {@code POST /<collection>/<name>/update} and {@code DELETE /<collection>/<name>} without any
 * change to the core. When several sources register the same collection, the one with the
 * highest {@code service.ranking} serves it and the next takes over when it goes away.
 *
 * @since 0.2.0
 */
@ConsumerType
public interface PackageSource {

    /** Service property naming the source type, e.g. {@code dpkg}. */
    String TYPE_PROPERTY = "source.type";

    /**
     * Service property naming the first URL path segment the source serves, e.g. {@code hosts}:
     * one segment matching {@link #COLLECTION_PATTERN}. A source without it is not bound.
     */
    String COLLECTION_PROPERTY = "source.collection";

    /** Lower-case ASCII letters, digits and '-', starting with a letter. */
    Pattern COLLECTION_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** @return the kind of entity the reports describe */
    EntityKind kind();

    /**
     * Validates a whole payload before anything is written (SPEC §1.2).
     *
     * @param name the entity name from the URL, already percent-decoded and checked by
     *             {@link io.debmonitor.core.model.api.Names#checkPathName(String)}
     * @param body the raw request body, at most the configured size limit
     * @return the report to apply; never null
     * @throws InvalidReportException with a message naming the offending key
     */
    ReportDTO read(String name, byte[] body) throws InvalidReportException;
}
