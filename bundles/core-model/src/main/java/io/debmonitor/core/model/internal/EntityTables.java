package io.debmonitor.core.model.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

/** The table names behind one entity kind; hosts and images share every statement shape. */
record EntityTables(EntityKind kind, String entity, String rows, String owner) {

    static final EntityTables HOST = new EntityTables(EntityKind.HOST, "host", "host_package", "host_id");
    static final EntityTables IMAGE = new EntityTables(EntityKind.IMAGE, "image", "image_package", "image_id");

    static EntityTables of(EntityKind kind) {
        return kind == EntityKind.HOST ? HOST : IMAGE;
    }

    /**
     * The columns {@link #entity(ResultSet)} reads, from this kind's table aliased {@code e}. The
     * OS and kernel names and the container sum are looked up for the selected rows only, so a
     * page read off an index of the entity table joins nothing.
     */
    String columns() {
        boolean host = kind == EntityKind.HOST;
        return "e.name, " + osName() + ", "
                + (host ? "(select k.name from kernel k where k.id = e.kernel_id), e.kernel_release" : "null, null")
                + ", e.created, e.modified, e.package_count, e.upgrade_count, e.security_count, " + containers();
    }

    /** The OS name of the entity {@code e}. */
    static String osName() {
        return "(select o.name from os o where o.id = e.os_id)";
    }

    /** The sum of the kubernetes container counts of the entity {@code e}: 0 for hosts. */
    String containers() {
        return kind == EntityKind.HOST ? "0"
                : "(select coalesce(sum(ki.containers), 0) from kubernetes_image ki where ki.image_id = e.id)";
    }

    /** Reads the {@link #columns()} of the current row. */
    EntityDTO entity(ResultSet rs) throws SQLException {
        return new EntityDTO(kind, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Rows.utc(rs, 5),
                Rows.utc(rs, 6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
    }
}
