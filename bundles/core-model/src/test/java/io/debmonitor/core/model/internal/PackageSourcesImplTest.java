package io.debmonitor.core.model.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.Constants;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.spi.PackageSource;

public class PackageSourcesImplTest {

    private final PackageSourcesImpl sources = new PackageSourcesImpl();
    private long nextServiceId = 1;

    private static PackageSource source() {
        return new PackageSource() {
            @Override
            public EntityKind kind() {
                return EntityKind.HOST;
            }

            @Override
            public ReportDTO read(String name, byte[] body) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Map<String, Object> properties(Object collection, Integer ranking) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, nextServiceId++);
        properties.put(PackageSource.TYPE_PROPERTY, "test");
        if (collection != null) {
            properties.put(PackageSource.COLLECTION_PROPERTY, collection);
        }
        if (ranking != null) {
            properties.put(Constants.SERVICE_RANKING, ranking);
        }
        return properties;
    }

    @Test
    public void theHighestRankingServesAndTheNextTakesOverWhenItLeaves() {
        PackageSource standard = source();
        PackageSource better = source();
        PackageSource later = source();
        Map<String, Object> standardProperties = properties("hosts", null);
        Map<String, Object> betterProperties = properties("hosts", 10);
        Map<String, Object> laterProperties = properties("hosts", null);
        sources.addSource(standard, standardProperties);
        sources.addSource(better, betterProperties);
        sources.addSource(later, laterProperties);
        assertSame(better, sources.find("hosts").orElseThrow());

        sources.removeSource(better, betterProperties);
        assertSame("on equal ranking the oldest registration serves", standard, sources.find("hosts").orElseThrow());
        sources.removeSource(standard, standardProperties);
        assertSame(later, sources.find("hosts").orElseThrow());
        sources.removeSource(later, laterProperties);
        assertTrue(sources.find("hosts").isEmpty());

        // The first source comes back after all others left: nothing was dropped for good.
        sources.addSource(standard, standardProperties);
        assertSame(standard, sources.find("hosts").orElseThrow());
    }

    @Test
    public void collectionsAreIndependent() {
        PackageSource hosts = source();
        PackageSource sbom = source();
        Map<String, Object> sbomProperties = properties("sbom", 100);
        sources.addSource(hosts, properties("hosts", 0));
        sources.addSource(sbom, sbomProperties);
        assertSame(hosts, sources.find("hosts").orElseThrow());
        assertSame(sbom, sources.find("sbom").orElseThrow());
        sources.removeSource(sbom, sbomProperties);
        assertTrue(sources.find("sbom").isEmpty());
        assertSame(hosts, sources.find("hosts").orElseThrow());
    }

    @Test
    public void changedPropertiesMoveASourceAndItsRanking() {
        PackageSource first = source();
        PackageSource second = source();
        Map<String, Object> firstProperties = properties("hosts", 5);
        Map<String, Object> secondProperties = properties("hosts", 1);
        sources.addSource(first, firstProperties);
        sources.addSource(second, secondProperties);
        assertSame(first, sources.find("hosts").orElseThrow());

        secondProperties.put(Constants.SERVICE_RANKING, 9);
        sources.updatedSource(second, secondProperties);
        assertSame(second, sources.find("hosts").orElseThrow());

        firstProperties.put(PackageSource.COLLECTION_PROPERTY, "sbom");
        sources.updatedSource(first, firstProperties);
        assertSame(first, sources.find("sbom").orElseThrow());
        sources.removeSource(second, secondProperties);
        assertTrue("the first source left /hosts/ when its collection changed", sources.find("hosts").isEmpty());
    }

    @Test
    public void aSourceWithoutAValidCollectionIsNotBound() {
        for (Object collection : new Object[] {null, "", "Hosts", "a/b", "../x", 42, "-x"}) {
            Map<String, Object> properties = properties(collection, null);
            PackageSource source = source();
            sources.addSource(source, properties);
            sources.removeSource(source, properties);
        }
        assertTrue(sources.find("").isEmpty());
        assertTrue(sources.find("Hosts").isEmpty());
        assertTrue(sources.find("a/b").isEmpty());
        assertEquals(java.util.Optional.empty(), sources.find("-x"));
    }
}
