package io.debmonitor.source.sbom.internal;

import org.osgi.service.component.annotations.Component;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.spi.PackageSource;

/**
 * Full host reports at {@code /sbom/{fqdn}/update} from a CycloneDX JSON SBOM of a Debian or
 * Ubuntu system, e.g. what {@code syft -o cyclonedx-json /} prints.
 */
@Component(property = { PackageSource.COLLECTION_PROPERTY + "=sbom", PackageSource.TYPE_PROPERTY + "=cyclonedx" })
public class SbomSource implements PackageSource {

    private final CycloneDxReader reader = new CycloneDxReader();

    @Override
    public EntityKind kind() {
        return EntityKind.HOST;
    }

    @Override
    public ReportDTO read(String name, byte[] body) throws InvalidReportException {
        if (name.indexOf('/') >= 0) {
            throw new InvalidReportException("A host name is one path segment and cannot contain '/'.");
        }
        return reader.read(body);
    }
}
