package io.debmonitor.core.model.internal;

import io.debmonitor.core.model.api.EntityKind;

/** The table names behind one entity kind; hosts and images share every statement shape. */
record EntityTables(String entity, String rows, String owner) {

    static final EntityTables HOST = new EntityTables("host", "host_package", "host_id");
    static final EntityTables IMAGE = new EntityTables("image", "image_package", "image_id");

    static EntityTables of(EntityKind kind) {
        return kind == EntityKind.HOST ? HOST : IMAGE;
    }
}
