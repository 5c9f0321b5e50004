package io.debmonitor.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the argument under the cursor with stored names that start with what was typed. */
abstract class NameCompleter implements Completer {

    /** At most this many names are offered. */
    static final int MAX_CANDIDATES = 100;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String argument = commandLine.getCursorArgument();
        String typed = argument == null ? "" : argument.substring(0, Math.min(commandLine.getArgumentPosition(), argument.length()));
        List<String> names = names(typed.isEmpty() ? null : typed).stream().filter(name -> name.startsWith(typed)).toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }

    /** @return up to {@link #MAX_CANDIDATES} names containing {@code q} (any when null), sorted by name */
    abstract List<String> names(String q);
}
