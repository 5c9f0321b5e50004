package io.debmonitor.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.EntityFilter;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.UpgradeFilter;

@Service
@Command(scope = "debmonitor", name = "image-list", description = "Lists the images, sorted by reference")
public class ImageList implements Action {

    @Reference
    EntityService entities;

    @Option(name = "--os", description = "Only images of this OS (exact name)")
    String os;

    @Option(name = "--unused", description = "Only images that no kubernetes cluster runs")
    boolean unused;

    @Option(name = "--stale", description = "Only stale images: not reported for longer than DAYS, or than the configured threshold"
            + " (imageStaleDays) when no DAYS follows")
    boolean stale;

    @Argument(index = 0, name = "DAYS", required = false, description = "With --stale: the days that make an image stale instead of the threshold")
    Integer staleDays;

    @Option(name = "--limit", description = "Print at most N images (the total still counts them all)")
    Integer limit;

    @Override
    public Object execute() {
        Instant staleSince = Lines.staleSince(stale, staleDays, ChronoUnit.DAYS, "DAYS");
        EntityFilter filter = new EntityFilter(null, os, UpgradeFilter.ALL, unused ? Boolean.FALSE : null, staleSince,
                Lines.stalePolicy(stale, staleSince));
        long total = Lines.forEach(limit, (page, size) -> entities.list(EntityKind.IMAGE, filter, new PageRequest(page, size, "name", false)),
                image -> System.out.println(Lines.columns(image.name(), image.os(), Lines.time(image.modified()), image.packages(),
                        image.upgrades(), image.security(), image.containers())));
        System.out.println(total + " images");
        return null;
    }
}
