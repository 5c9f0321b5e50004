package io.debmonitor.core.model.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.spi.PackageSource;

/** Tracks the installed package-source plugins; they come and go at runtime (hot deployment). */
@Component(service = PackageSources.class)
public class PackageSourcesImpl implements PackageSources {

    private final Logger logger = LoggerFactory.getLogger(PackageSourcesImpl.class);
    private final Map<String, PackageSource> byCollection = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(PackageSource source, Map<String, Object> properties) {
        PackageSource previous = byCollection.putIfAbsent(source.collection(), source);
        if (previous != null) {
            logger.warn("Ignoring package source {} ({}): /{} is already served by {}", properties.get(PackageSource.TYPE_PROPERTY),
                    source.getClass().getName(), source.collection(), previous.getClass().getName());
            return;
        }
        logger.info("Package source {} now serves /{}", properties.get(PackageSource.TYPE_PROPERTY), source.collection());
    }

    void removeSource(PackageSource source) {
        if (byCollection.remove(source.collection(), source)) {
            logger.info("Package source for /{} removed", source.collection());
        }
    }

    @Override
    public Optional<PackageSource> find(String collection) {
        return Optional.ofNullable(byCollection.get(collection));
    }

    @Override
    public Collection<PackageSource> all() {
        return List.copyOf(byCollection.values());
    }
}
