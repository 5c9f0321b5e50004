package io.debmonitor.core.model.spi;

import org.osgi.annotation.versioning.ConsumerType;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;

/**
 * A plugin that accepts one report format for one URL collection and turns its payloads into
 * validated reports. Register an implementation as an OSGi service with the property
 * {@value #TYPE_PROPERTY}; core-model binds every one dynamically, so a bundle dropped into
 * {@code deploy/} starts serving {@code POST /<collection>/<name>/update} and
 * {@code DELETE /<collection>/<name>} without any change to the core.
 *
 * @since 0.1.0
 */
@ConsumerType
public interface PackageSource {

    /** Service property naming the source type, e.g. {@code dpkg}. */
    String TYPE_PROPERTY = "source.type";

    /**
     * @return the first URL path segment this source serves, e.g. {@code hosts}; lower-case ASCII
     *         letters, digits and '-' only, unique among installed sources
     */
    String collection();

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
