package io.debmonitor.source.dpkg.internal;

import org.osgi.service.component.annotations.Component;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.spi.PackageSource;
import io.debmonitor.core.model.v1.V1ReportReader;

/** Host reports at {@code /hosts/{fqdn}/update} (SPEC §1.3), in the v1 format of debmonitor-client. */
@Component(property = { PackageSource.COLLECTION_PROPERTY + "=hosts", PackageSource.TYPE_PROPERTY + "=dpkg" })
public class DpkgSource implements PackageSource {

    private final V1ReportReader reader = new V1ReportReader("hostname", true);

    @Override
    public EntityKind kind() {
        return EntityKind.HOST;
    }

    @Override
    public ReportDTO read(String name, byte[] body) throws InvalidReportException {
        return reader.read(name, body);
    }
}
