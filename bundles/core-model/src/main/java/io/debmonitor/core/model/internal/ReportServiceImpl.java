package io.debmonitor.core.model.internal;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.debmonitor.core.model.api.ActivityListener;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.ReportService;

@Component(service = ReportService.class)
public class ReportServiceImpl implements ReportService {

    private final Database database;
    private final SharedRowIds sharedRowIds;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ActivityListener> listeners = List.of();

    @Activate
    public ReportServiceImpl(@Reference Database database) {
        this.database = database;
        this.sharedRowIds = database.sharedRowIds();
    }

    @Override
    public void apply(EntityKind kind, String name, ReportDTO report) {
        ReportWriter.Applied[] applied = new ReportWriter.Applied[1];
        SharedRowIds.Learned learned = database.write(kind.word() + " report for " + name, connection -> {
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            SharedRowIds.Learned attempt = new SharedRowIds.Learned();
            try {
                applied[0] = new ReportWriter(connection, KindDescriptor.of(kind), sharedRowIds, attempt).apply(name, report, now);
            } catch (SQLException e) {
                if (Database.isCollision(e)) {
                    // A remembered id may name a row that is gone (a foreign key refused it, or
                    // a version could not be created under it): the retry looks everything up again.
                    sharedRowIds.forgetAll();
                }
                throw e;
            }
            return attempt;
        });
        learned.publish(sharedRowIds);
        ActivityListeners.tell(listeners, listener -> listener.reportApplied(kind, applied[0].rows()));
        if (applied[0].events() > 0) {
            ActivityListeners.tell(listeners, listener -> listener.historyRecorded(kind, applied[0].events()));
        }
    }
}
