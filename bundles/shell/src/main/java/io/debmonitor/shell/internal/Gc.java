package io.debmonitor.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.debmonitor.core.model.api.GarbageCollectionService;
import io.debmonitor.core.model.api.GcRunDTO;
import io.debmonitor.core.model.api.GcStepDTO;

@Service
@Command(scope = "debmonitor", name = "gc", description = "Runs garbage collection now: stale hosts and images, then orphans (SPEC §2.8)")
public class Gc implements Action {

    @Reference
    GarbageCollectionService gc;

    @Option(name = "--dry-run", description = "Print what a run would delete, including the orphans that deleting stale hosts and images would leave; change nothing")
    boolean dryRun;

    @Override
    public Object execute() {
        GcRunDTO run = gc.run(Lines.actor(), dryRun);
        for (GcStepDTO step : run.steps()) {
            System.out.println((dryRun ? "Would delete " : "Deleted ") + step.count() + " " + step.type()
                    + (step.rows() > 0 ? " (" + step.rows() + " package rows)" : ""));
        }
        return null;
    }
}
