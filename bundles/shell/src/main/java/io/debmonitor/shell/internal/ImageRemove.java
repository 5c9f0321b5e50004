package io.debmonitor.shell.internal;

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

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;

@Service
@Command(scope = "debmonitor", name = "image-remove", description = "Removes images that no cluster runs, and their package rows")
public class ImageRemove implements Action {

    @Reference
    EntityService entities;

    @Reference
    KubernetesService kubernetes;

    @Argument(name = "refs", description = "The image references", required = true, multiValued = true)
    @Completion(ImageRefCompleter.class)
    List<String> refs;

    @Option(name = "--force", description = "Also remove an image in use (not supported yet)")
    boolean force;

    @Override
    public Object execute() {
        List<String> failed = new ArrayList<>();
        for (String ref : refs) {
            EntityDTO image = entities.find(EntityKind.IMAGE, ref).orElse(null);
            List<KubernetesRowDTO> inUse = image == null ? List.of() : kubernetes.ofImage(ref);
            long rows = image == null || !inUse.isEmpty() ? -1 : entities.delete(EntityKind.IMAGE, ref);
            if (!inUse.isEmpty()) {
                failed.add(ref);
                String clusters = inUse.stream().map(KubernetesRowDTO::cluster).distinct().sorted().collect(Collectors.joining(", "));
                // core-model has no way yet to delete an image's kubernetes rows, so --force cannot do what SPEC §6 asks.
                System.out.println("Image " + ref + " is in use in clusters " + clusters
                        + (force ? "; --force is not supported yet" : "; not removed"));
            } else if (rows < 0) {
                failed.add(ref);
                System.out.println(Lines.unknown(EntityKind.IMAGE, ref));
            } else {
                System.out.println("Removed image " + ref + " (" + rows + " packages)");
            }
        }
        Lines.failIfAny("Not removed: image", "Not removed: images", failed);
        return null;
    }
}
