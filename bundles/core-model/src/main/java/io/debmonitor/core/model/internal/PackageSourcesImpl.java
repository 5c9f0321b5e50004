package io.debmonitor.core.model.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.spi.PackageSource;

/**
 * Tracks the installed package-source plugins; they come and go at runtime (hot deployment).
 * Several sources may register for one collection: the one with the highest service ranking
 * serves it (the oldest registration on a tie), and the next one takes over when it goes away.
 */
@Component(service = PackageSources.class)
public class PackageSourcesImpl implements PackageSources {

    private final Logger logger = LoggerFactory.getLogger(PackageSourcesImpl.class);

    /** A registered source with what orders it among the sources of its collection. */
    record Registration(PackageSource source, String type, int ranking, long serviceId) {
        static final Comparator<Registration> PREFERRED = Comparator.comparingInt(Registration::ranking).reversed()
                .thenComparingLong(Registration::serviceId);
    }

    private final Map<String, List<Registration>> byCollection = new HashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeSource",
            updated = "updatedSource")
    void addSource(PackageSource source, Map<String, Object> properties) {
        Object collection = properties.get(PackageSource.COLLECTION_PROPERTY);
        Object type = properties.get(PackageSource.TYPE_PROPERTY);
        if (!(collection instanceof String name) || !PackageSource.COLLECTION_PATTERN.matcher(name).matches()) {
            logger.error("Ignoring package source {} ({}): its service property {} must be one path segment of "
                    + "lower-case letters, digits and '-', not {}", type, source.getClass().getName(),
                    PackageSource.COLLECTION_PROPERTY, collection);
            return;
        }
        Registration registration = new Registration(source, String.valueOf(type), ranking(properties),
                ((Number) properties.get(Constants.SERVICE_ID)).longValue());
        synchronized (byCollection) {
            List<Registration> registrations = byCollection.computeIfAbsent(name, k -> new ArrayList<>());
            registrations.add(registration);
            registrations.sort(Registration.PREFERRED);
            if (registrations.get(0) == registration) {
                logger.info("Package source {} now serves /{}/", registration.type(), name);
            } else {
                logger.info("Package source {} stands by for /{}/, served by {} (ranking {} vs {})", registration.type(),
                        name, registrations.get(0).type(), registration.ranking(), registrations.get(0).ranking());
            }
        }
    }

    void updatedSource(PackageSource source, Map<String, Object> properties) {
        removeSource(source, properties);
        addSource(source, properties);
    }

    /** Found by service id, since the properties may have changed since the source was added. */
    void removeSource(PackageSource source, Map<String, Object> properties) {
        long serviceId = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        synchronized (byCollection) {
            for (Iterator<Map.Entry<String, List<Registration>>> it = byCollection.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, List<Registration>> entry = it.next();
                List<Registration> registrations = entry.getValue();
                boolean wasServing = registrations.get(0).serviceId() == serviceId;
                if (!registrations.removeIf(r -> r.serviceId() == serviceId)) {
                    continue;
                }
                if (registrations.isEmpty()) {
                    it.remove();
                    logger.info("No package source serves /{}/ any more", entry.getKey());
                } else if (wasServing) {
                    logger.info("Package source {} now serves /{}/", registrations.get(0).type(), entry.getKey());
                }
            }
        }
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    @Override
    public Optional<PackageSource> find(String collection) {
        synchronized (byCollection) {
            List<Registration> registrations = byCollection.get(collection);
            return registrations == null ? Optional.empty() : Optional.of(registrations.get(0).source());
        }
    }
}
