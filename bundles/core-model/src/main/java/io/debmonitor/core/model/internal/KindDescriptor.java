package io.debmonitor.core.model.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.Names;
import io.debmonitor.core.model.internal.entity.EntityMapping;
import io.debmonitor.core.model.internal.entity.HostEntity;
import io.debmonitor.core.model.internal.entity.ImageEntity;

/**
 * Everything that differs between entity kinds, in one place: the tables, the JPA mapping, the
 * columns a report sets besides the shared ones, who may write, the name rule that reports and
 * deletes share, whether kubernetes rows can reference an entity, and the GC age. Hosts and images
 * share every statement shape otherwise.
 *
 * @param kind          the API kind
 * @param entity        the entity table
 * @param rows          the package-row table
 * @param owner         the rows' column referencing the entity
 * @param jpaEntity     the entity's JPA class
 * @param jpaRows       the JPA entity name of the rows
 * @param reportColumns the entity columns a report sets besides OS, time, digest and counters
 * @param writers       who may create, update and delete one
 * @param deployable    true when kubernetes rows may reference it (deletes refuse, GC spares)
 * @param gcMaxAgeDays  the GC age setting that applies
 * @param staleAfter    the staleness threshold that applies
 */
record KindDescriptor(EntityKind kind, String entity, String rows, String owner, Class<? extends EntityMapping> jpaEntity,
        String jpaRows, List<String> reportColumns, Writers writers, boolean deployable,
        ToIntFunction<GarbageCollectionServiceImpl.Settings> gcMaxAgeDays, Function<StalenessConfiguration, Duration> staleAfter) {

    /** Who may write an entity of a kind (SPEC §3.2). */
    enum Writers {
        /** The identity equal to the name, or one in {@code hostProxies}. */
        ITSELF_OR_HOST_PROXY,
        /** An identity in {@code imageUploaders}. */
        IMAGE_UPLOADERS
    }

    static final KindDescriptor HOST = new KindDescriptor(EntityKind.HOST, "host", "host_package", "host_id", HostEntity.class,
            "HostPackageEntity", List.of("kernel_id", "kernel_release"), Writers.ITSELF_OR_HOST_PROXY, false,
            GarbageCollectionServiceImpl.Settings::hostMaxAgeDays, config -> Duration.ofHours(config.hostStaleHours()));
    static final KindDescriptor IMAGE = new KindDescriptor(EntityKind.IMAGE, "image", "image_package", "image_id", ImageEntity.class,
            "ImagePackageEntity", List.of("digest"), Writers.IMAGE_UPLOADERS, true,
            GarbageCollectionServiceImpl.Settings::imageMaxAgeDays, config -> Duration.ofDays(config.imageStaleDays()));

    static final List<KindDescriptor> ALL = List.of(HOST, IMAGE);

    static KindDescriptor of(EntityKind kind) {
        return kind == EntityKind.HOST ? HOST : IMAGE;
    }

    /** @return the history table, {@code <entity>_event} */
    String events() {
        return entity + "_event";
    }

    /** @return the stored CVE findings, {@code <entity>_cve} */
    String cves() {
        return entity + "_cve";
    }

    /** @return the CVE history, {@code <entity>_cve_event} */
    String cveEvents() {
        return entity + "_cve_event";
    }

    /** @return true when the entity records a running kernel (hosts) */
    boolean runsKernel() {
        return reportColumns.contains("kernel_id");
    }

    /** The values of {@link #reportColumns()} for a report, in order. */
    Object[] reportValues(Long kernelId, String kernelRelease, String digest) {
        return runsKernel() ? new Object[] {kernelId, kernelRelease} : new Object[] {digest};
    }

    /**
     * The name rule of SPEC §1.1: a path name (1–255 characters, no whitespace or control
     * character); a host name is one path segment, an image reference has no empty segment.
     */
    void checkName(String name) throws InvalidReportException {
        Names.checkPathName(name);
        if (kind == EntityKind.HOST && name.indexOf('/') >= 0) {
            throw new InvalidReportException("A host name is one path segment and cannot contain '/'.");
        }
        if (kind == EntityKind.IMAGE && (name.startsWith("/") || name.endsWith("/") || name.contains("//"))) {
            throw new InvalidReportException("An image reference cannot start or end with '/' or contain '//'.");
        }
    }

    /**
     * The columns {@link #entity(ResultSet)} reads, from this kind's table aliased {@code e}. The
     * OS and kernel names and the container sum are looked up for the selected rows only, so a
     * page read off an index of the entity table joins nothing.
     */
    String columns() {
        // COLUMNS must stay the number of columns selected here.
        return "e.name, " + osName() + ", "
                + (runsKernel() ? "(select k.name from kernel k where k.id = e.kernel_id), e.kernel_release" : "null, null")
                + ", e.created, e.modified, e.package_count, e.upgrade_count, e.security_count, " + containers()
                + ", e.cve_counted, e.cve_fixable";
    }

    /** The OS name of the entity {@code e}. */
    static String osName() {
        return "(select o.name from os o where o.id = e.os_id)";
    }

    /** The sum of the kubernetes container counts of the entity {@code e}: 0 when not deployable. */
    String containers() {
        return deployable ? "(select coalesce(sum(ki.containers), 0) from kubernetes_image ki where ki.image_id = e.id)" : "0";
    }

    /** The condition that keeps the entity {@code e} from GC regardless of its age, or empty. */
    String inUse() {
        return deployable ? "exists (select 1 from kubernetes_image ki where ki.image_id = e.id)" : "";
    }

    /** The number of {@link #columns()}: a query's own columns follow them. */
    static final int COLUMNS = 12;

    /** Reads the {@link #columns()} of the current row. */
    EntityDTO entity(ResultSet rs) throws SQLException {
        return new EntityDTO(kind, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Rows.utc(rs, 5),
                Rows.utc(rs, 6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), null, rs.getLong(11), rs.getLong(12));
    }
}
