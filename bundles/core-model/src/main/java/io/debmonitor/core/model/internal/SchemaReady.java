package io.debmonitor.core.model.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.annotation.bundle.Capability;

/**
 * The service {@link SchemaGate} registers once the schema is up to date; {@link Database}, and
 * through it every service of this bundle, requires it.
 *
 * @param mariadb true on MariaDB/MySQL, false on H2
 */
// Declared for the feature resolver, which checks service requirements: no DS component provides it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"io.debmonitor.core.model.internal.SchemaReady\"")
public record SchemaReady(boolean mariadb) {

    /** Migrates the schema with {@code migrator}, waiting for another node's migration if need be. */
    static SchemaReady migrate(SchemaMigrator migrator, DataSource dataSource) throws SQLException {
        migrator.migrate(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            return new SchemaReady(SchemaMigrator.isMariaDb(connection));
        }
    }
}
