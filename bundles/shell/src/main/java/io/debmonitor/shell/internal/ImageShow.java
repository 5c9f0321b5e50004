package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;

@Service
@Command(scope = "debmonitor", name = "image-show", description = "Shows an image, where it runs, and its packages")
public class ImageShow implements Action {

    @Reference
    EntityService entities;

    @Reference
    KubernetesService kubernetes;

    @Argument(name = "ref", description = "The image reference", required = true)
    @Completion(ImageRefCompleter.class)
    String ref;

    @Override
    public Object execute() {
        Lines.printSummary(Lines.find(entities, EntityKind.IMAGE, ref));
        for (KubernetesRowDTO row : kubernetes.ofImage(ref)) {
            System.out.println(row.cluster() + "/" + row.namespace() + ": " + row.containers());
        }
        Lines.printRows(entities, EntityKind.IMAGE, ref, false);
        return null;
    }
}
