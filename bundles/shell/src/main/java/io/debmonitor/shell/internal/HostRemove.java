package io.debmonitor.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;

@Service
@Command(scope = "debmonitor", name = "host-remove", description = "Removes hosts and their package rows, each in its own transaction")
public class HostRemove implements Action {

    @Reference
    EntityService entities;

    @Reference
    Session session;

    @Argument(name = "names", description = "The hosts' FQDNs", required = true, multiValued = true)
    @Completion(HostNameCompleter.class)
    List<String> names;

    @Option(name = "--force", description = "Do not ask for confirmation")
    boolean force;

    @Override
    public Object execute() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            EntityDTO host = entities.find(EntityKind.HOST, name).orElse(null);
            if (host == null) {
                unknown.add(name);
                System.out.println(Lines.unknown(EntityKind.HOST, name));
            } else if (force || confirmed("Remove host " + name + " (" + host.packages() + " packages)? [y/N] ")) {
                long rows = entities.delete(EntityKind.HOST, name);
                if (rows < 0) {
                    unknown.add(name);
                    System.out.println(Lines.unknown(EntityKind.HOST, name));
                } else {
                    System.out.println("Removed host " + name + " (" + rows + " packages)");
                }
            }
        }
        Lines.failIfAny("No host named", "No hosts named", unknown);
        return null;
    }

    private boolean confirmed(String question) throws IOException {
        String answer;
        try {
            answer = session.readLine(question, null);
        } catch (UnsupportedOperationException e) {
            // A session without a terminal (ssh or bin/client running a single command) cannot ask.
            throw new IllegalArgumentException("Cannot ask for confirmation without a terminal; use --force");
        }
        if (answer == null) {
            return false;
        }
        String word = answer.trim().toLowerCase(Locale.ROOT);
        return word.equals("y") || word.equals("yes");
    }
}
