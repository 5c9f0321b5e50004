package io.debmonitor.core.model.internal;

import static io.debmonitor.core.model.internal.ReportServiceTest.report;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Id;
import javax.persistence.PersistenceException;
import javax.persistence.Table;
import javax.xml.parsers.DocumentBuilderFactory;

import org.hibernate.boot.Metadata;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.hibernate.jpa.boot.spi.IntegratorProvider;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.w3c.dom.NodeList;

import io.debmonitor.core.model.api.EntityInUseException;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.internal.entity.HostEntity;

/**
 * The JPA entities against the migrated schema, on every database: Hibernate's validation
 * (tables, columns, types), then the nullability and lengths it does not check. Also the JPA
 * write path on both databases.
 */
@RunWith(Parameterized.class)
public class PersistenceModelTest {

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabase.KINDS;
    }

    private final String kind;
    private TestDatabase db;

    public PersistenceModelTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        db = new TestDatabase(kind);
    }

    @After
    public void tearDown() throws Exception {
        db.close();
    }

    /** Galera refuses a table without one (wsrep_mode=REQUIRED_PRIMARY_KEY; SCALEOUT.md §2.6). */
    @Test
    public void everyTableHasAPrimaryKey() throws Exception {
        List<String> without = new ArrayList<>();
        int checked = 0;
        try (Connection c = db.dataSource.getConnection(); ResultSet tables = c.getMetaData().getTables(c.getCatalog(), null, "%", null)) {
            while (tables.next()) {
                // H2 2 calls them BASE TABLE
                if (!Set.of("TABLE", "BASE TABLE").contains(tables.getString("TABLE_TYPE"))
                        || "INFORMATION_SCHEMA".equalsIgnoreCase(tables.getString("TABLE_SCHEM"))) {
                    continue;
                }
                String table = tables.getString("TABLE_NAME");
                checked++;
                try (ResultSet keys = c.getMetaData().getPrimaryKeys(tables.getString("TABLE_CAT"), tables.getString("TABLE_SCHEM"), table)) {
                    if (!keys.next()) {
                        without.add(table);
                    }
                }
            }
        }
        assertTrue("tables seen: " + checked, checked > 30);
        assertEquals("tables without a primary key", List.of(), without);
    }

    @Test
    public void everyEntityAgreesWithTheMigrations() throws Exception {
        assertEquals(List.of(), disagreements(List.of()));
    }

    @Test
    public void validationRejectsAMissingColumn() {
        PersistenceException e = assertThrows(PersistenceException.class, () -> disagreements(List.of(MisnamedAuditEvent.class)));
        assertTrue(String.valueOf(causes(e)), causes(e).stream().anyMatch(m -> m.contains("actor_name")));
    }

    @Test
    public void attributeCheckRejectsWrongNullabilityAndLength() throws Exception {
        assertEquals(List.of("audit_event.target: nullable in the schema, not null in the entity",
                "audit_event.target: length 255 in the schema, 100 in the entity"), disagreements(List.of(MisfitAuditEvent.class)));
    }

    @Test
    public void persistenceXmlListsExactlyTheEntityClasses() throws Exception {
        Set<String> listed = new TreeSet<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/persistence.xml")) {
            NodeList classes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("class");
            for (int i = 0; i < classes.getLength(); i++) {
                listed.add(classes.item(i).getTextContent().trim());
            }
        }
        String entityPackage = HostEntity.class.getPackageName();
        URL directory = getClass().getClassLoader().getResource(entityPackage.replace('.', '/'));
        Set<String> entities = new TreeSet<>();
        for (File file : new File(directory.toURI()).listFiles()) {
            String name = file.getName();
            if (name.endsWith(".class")) {
                Class<?> type = Class.forName(entityPackage + "." + name.substring(0, name.length() - ".class".length()));
                if (type.isAnnotationPresent(Entity.class)) {
                    entities.add(type.getName());
                }
            }
        }
        assertEquals(entities, listed);
    }

    @Test
    public void imageDeleteIsRefusedWhileInUseUnlessForced() throws Exception {
        ReportServiceImpl reports = new ReportServiceImpl(db.database);
        EntityServiceImpl entities = new EntityServiceImpl(db.database, TestStaleness.DEFAULT);
        String image = "registry.example.org/app:1";
        reports.apply(EntityKind.IMAGE, image, report(UpdateType.FULL, "Debian 12", List.of("a=1", "b=1", "c=1"), List.of(), List.of()));
        Fleet.kubernetes(db.dataSource, "prod", "web", image, 2);
        Fleet.kubernetes(db.dataSource, "dev", "web", image, 1);
        Fleet.kubernetes(db.dataSource, "prod", "batch", image, 4);
        assertEquals(7, entities.find(EntityKind.IMAGE, image).orElseThrow().containers());

        EntityInUseException refused = assertThrows(EntityInUseException.class, () -> entities.delete(EntityKind.IMAGE, image));
        assertEquals(List.of("dev", "prod"), refused.clusters());
        assertEquals(3, entities.rows(EntityKind.IMAGE, image).size());
        assertEquals(3, db.count("select count(*) from kubernetes_image"));

        assertEquals(3, entities.deleteEvenInUse(EntityKind.IMAGE, image));
        assertTrue(entities.find(EntityKind.IMAGE, image).isEmpty());
        assertEquals(0, db.count("select count(*) from kubernetes_image"));
        assertEquals(0, db.count("select count(*) from image_package"));
        assertEquals(-1, entities.deleteEvenInUse(EntityKind.IMAGE, image));
    }

    /**
     * Builds a second factory over the migrated database with {@code hbm2ddl.auto=validate} and
     * {@code extra} entity classes, then lists every mapped column whose nullability or length
     * differs from the schema.
     */
    private List<String> disagreements(List<Class<?>> extra) throws Exception {
        Metadata[] captured = new Metadata[1];
        Integrator capture = new Integrator() {
            @Override
            public void integrate(Metadata metadata, SessionFactoryImplementor factory, SessionFactoryServiceRegistry registry) {
                captured[0] = metadata;
            }

            @Override
            public void disintegrate(SessionFactoryImplementor factory, SessionFactoryServiceRegistry registry) {
            }
        };
        Map<String, Object> properties = new HashMap<>();
        properties.put(AvailableSettings.JPA_NON_JTA_DATASOURCE, db.dataSource);
        properties.put(AvailableSettings.HBM2DDL_AUTO, "validate");
        properties.put(AvailableSettings.LOADED_CLASSES, extra);
        properties.put("hibernate.integrator_provider", (IntegratorProvider) () -> List.of(capture));
        EntityManagerFactory emf = new HibernatePersistenceProvider().createEntityManagerFactory("debmonitor", properties);
        emf.close();

        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection()) {
            for (PersistentClass entity : captured[0].getEntityBindings()) {
                org.hibernate.mapping.Table table = entity.getTable();
                Map<String, SchemaColumn> schema = columns(c, table.getName());
                for (Iterator<org.hibernate.mapping.Column> it = table.getColumnIterator(); it.hasNext();) {
                    org.hibernate.mapping.Column column = it.next();
                    SchemaColumn actual = schema.get(column.getName());
                    String where = table.getName() + "." + column.getName() + ": ";
                    if (actual.nullable() != column.isNullable()) {
                        out.add(where + (actual.nullable() ? "nullable" : "not null") + " in the schema, "
                                + (column.isNullable() ? "nullable" : "not null") + " in the entity");
                    }
                    if (actual.text() && actual.size() != column.getLength()) {
                        out.add(where + "length " + actual.size() + " in the schema, " + column.getLength() + " in the entity");
                    }
                }
            }
        }
        return out;
    }

    private record SchemaColumn(boolean nullable, boolean text, int size) {
    }

    private static Map<String, SchemaColumn> columns(Connection c, String table) throws Exception {
        Map<String, SchemaColumn> out = new HashMap<>();
        try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), table, null)) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equals(table)) {
                    int type = rs.getInt("DATA_TYPE");
                    out.put(rs.getString("COLUMN_NAME"), new SchemaColumn("YES".equals(rs.getString("IS_NULLABLE")),
                            type == Types.VARCHAR || type == Types.CHAR, rs.getInt("COLUMN_SIZE")));
                }
            }
        }
        return out;
    }

    private static List<String> causes(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(String.valueOf(t.getMessage()));
        }
        return out;
    }

    /** Maps a column the migrations do not create (on a table no entity maps, so no entity is disturbed). */
    @Entity
    @Table(name = "audit_event")
    public static class MisnamedAuditEvent {
        @Id
        private Long id;

        @Column(name = "actor_name")
        private String actor;
    }

    /** Maps an existing column with the wrong nullability and length. */
    @Entity
    @Table(name = "audit_event")
    public static class MisfitAuditEvent {
        @Id
        private Long id;

        @Column(nullable = false, length = 100)
        private String target;
    }
}
