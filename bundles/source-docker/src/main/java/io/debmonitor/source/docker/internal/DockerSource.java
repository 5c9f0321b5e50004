package io.debmonitor.source.docker.internal;

import org.osgi.service.component.annotations.Component;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.spi.PackageSource;
import io.debmonitor.core.model.v1.V1ReportReader;

/**
 * Image reports at {@code /images/{reference}/update} (SPEC §1.4): the v1 payload with
 * {@code image_name}, no running kernel, and the optional manifest {@code digest} that
 * debmonitor-image-reporter sends. The reference may contain '/', ':' and '@'.
 */
@Component(property = { PackageSource.COLLECTION_PROPERTY + "=images", PackageSource.TYPE_PROPERTY + "=docker" })
public class DockerSource implements PackageSource {

    private final V1ReportReader reader = new V1ReportReader("image_name", false);

    @Override
    public EntityKind kind() {
        return EntityKind.IMAGE;
    }

    @Override
    public ReportDTO read(String name, byte[] body) throws InvalidReportException {
        return reader.read(name, body);
    }
}
