package io.debmonitor.core.model.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.ReportService;

@Component(service = ReportService.class)
public class ReportServiceImpl implements ReportService {

    private final Database database;

    @Activate
    public ReportServiceImpl(@Reference Database database) {
        this.database = database;
    }

    @Override
    public void apply(EntityKind kind, String name, ReportDTO report) {
        database.write(kind.word() + " report for " + name, connection -> {
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            new ReportWriter(connection, EntityTables.of(kind)).apply(name, report, now);
            return null;
        });
    }
}
