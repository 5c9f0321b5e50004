package io.debmonitor.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityInUseException;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;

@Service
@Command(scope = "debmonitor", name = "image-remove", description = "Removes images and their package rows, each in its own transaction")
public class ImageRemove implements Action {

    @Reference
    EntityService entities;

    @Reference
    AuditService audit;

    @Reference
    KubernetesService kubernetes;

    @Reference
    Session session;

    @Argument(name = "refs", description = "The image references", required = true, multiValued = true)
    @Completion(ImageRefCompleter.class)
    List<String> refs;

    @Option(name = "--force", description = "Do not ask for confirmation, and also remove images in use with their kubernetes rows")
    boolean force;

    @Override
    public Object execute() throws IOException {
        List<String> failed = new ArrayList<>();
        for (String ref : refs) {
            EntityDTO image = entities.find(EntityKind.IMAGE, ref).orElse(null);
            if (image == null) {
                failed.add(ref);
                System.out.println(Lines.unknown(EntityKind.IMAGE, ref));
                continue;
            }
            List<KubernetesRowDTO> inUse = kubernetes.ofImage(ref);
            if (!inUse.isEmpty() && !force) {
                failed.add(ref);
                System.out.println(inUse(ref, inUse.stream().map(KubernetesRowDTO::cluster).distinct().sorted().toList()));
                continue;
            }
            if (!force && !Lines.confirmed(session, "Remove image " + ref + " (" + image.packages() + " packages)? [y/N] ")) {
                continue;
            }
            try {
                long rows = force ? entities.deleteEvenInUse(EntityKind.IMAGE, ref) : entities.delete(EntityKind.IMAGE, ref);
                if (rows < 0) {
                    failed.add(ref);
                    System.out.println(Lines.unknown(EntityKind.IMAGE, ref));
                } else {
                    String removed = rows + " packages" + (force && !inUse.isEmpty() ? ", " + inUse.size() + " kubernetes rows" : "");
                    audit.record(Lines.actor(), AuditAction.IMAGE_REMOVED, ref, removed);
                    System.out.println("Removed image " + ref + " (" + removed + ")");
                }
            } catch (EntityInUseException e) {
                failed.add(ref);
                System.out.println(inUse(ref, e.clusters()));
            }
        }
        Lines.failIfAny("Not removed: image", "Not removed: images", failed);
        return null;
    }

    private static String inUse(String ref, List<String> clusters) {
        return "Image " + ref + " is in use in clusters " + clusters.stream().collect(Collectors.joining(", "))
                + "; not removed (--force removes its kubernetes rows too)";
    }
}
