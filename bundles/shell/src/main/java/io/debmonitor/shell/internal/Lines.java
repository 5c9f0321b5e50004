package io.debmonitor.shell.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.ShellUtil;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PageDTO;
import io.debmonitor.core.model.api.PageRequest;
import io.debmonitor.core.model.api.PackageRowDTO;
import io.debmonitor.core.model.api.RowFilter;
import io.debmonitor.core.model.api.UpgradeFilter;

/** The output formats shared by the commands: columns, times, and tables read page by page. */
final class Lines {

    /** Rows read per query when a command prints a whole table. */
    static final int PAGE_SIZE = 1000;

    private Lines() {
    }

    /** @return the values joined by two spaces, since names and OSes may contain single ones */
    static String columns(Object... values) {
        return Stream.of(values).map(String::valueOf).collect(Collectors.joining("  "));
    }

    /** @return the time in UTC ISO-8601 to the second, or "-" when there is none */
    static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /**
     * Passes the first {@code limit} items (all when null) of a table to {@code action}, reading it
     * page by page in the order the fetch asks for.
     *
     * @param fetch the page of the given number and size
     * @return the table's total, over all pages
     * @throws IllegalArgumentException when the limit is below 1
     */
    static <T> long forEach(Integer limit, BiFunction<Integer, Integer, PageDTO<T>> fetch, Consumer<T> action) {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1.");
        }
        long wanted = limit == null ? Long.MAX_VALUE : limit;
        int size = (int) Math.min(wanted, PAGE_SIZE);
        long seen = 0;
        for (int page = 1;; page++) {
            PageDTO<T> result = fetch.apply(page, size);
            for (T item : result.items()) {
                if (seen == wanted) {
                    return result.total();
                }
                action.accept(item);
                seen++;
            }
            if (result.items().size() < size || seen == wanted) {
                return result.total();
            }
        }
    }

    /** @return the upgrade filter of the {@code --upgradable} and {@code --security} options */
    static UpgradeFilter upgrades(boolean upgradable, boolean security) {
        return security ? UpgradeFilter.SECURITY : upgradable ? UpgradeFilter.UPGRADABLE : UpgradeFilter.ALL;
    }

    /** @throws IllegalArgumentException when the entity is not stored */
    static EntityDTO find(EntityService entities, EntityKind kind, String name) {
        return entities.find(kind, name).orElseThrow(() -> new IllegalArgumentException(unknown(kind, name)));
    }

    static String unknown(EntityKind kind, String name) {
        return "No " + kind.word() + " named '" + name + "'";
    }

    /** Prints the summary lines of host-show and image-show (no kernel lines for an image). */
    static void printSummary(EntityDTO entity) {
        System.out.println("OS: " + entity.os());
        if (entity.kind() == EntityKind.HOST) {
            System.out.println("Kernel: " + orDash(entity.kernel()));
            System.out.println("Release: " + orDash(entity.kernelRelease()));
        }
        System.out.println("Created: " + time(entity.created()));
        System.out.println("Last update: " + time(entity.modified()));
        if (entity.kind() == EntityKind.IMAGE) {
            System.out.println("Digest: " + orDash(entity.digest()));
        }
    }

    /** Prints one line per package row, sorted by package name: {@code package  installed  [-> upgrade (type)]}. */
    static void printRows(EntityService entities, EntityKind kind, String name, boolean upgradableOnly) {
        RowFilter filter = new RowFilter(null, upgradableOnly ? UpgradeFilter.UPGRADABLE : UpgradeFilter.ALL);
        forEach(null, (page, size) -> entities.rows(kind, name, filter, new PageRequest(page, size, "name", false)),
                row -> System.out.println(row(row)));
    }

    static String row(PackageRowDTO row) {
        String line = columns(row.name(), row.version());
        if (row.upgrade() == null) {
            return line;
        }
        return columns(line, "-> " + row.upgrade() + (row.upgradeType() == null ? "" : " (" + row.upgradeType() + ")"));
    }

    /**
     * @throws IllegalArgumentException naming the names that failed, in one line, unless there are none
     */
    static void failIfAny(String singular, String plural, List<String> names) {
        if (!names.isEmpty()) {
            String quoted = names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
            throw new IllegalArgumentException((names.size() == 1 ? singular : plural) + " " + quoted);
        }
    }

    /**
     * Asks a yes/no question on the session's terminal.
     *
     * @throws IllegalArgumentException when the session has no terminal (ssh or bin/client running one command)
     */
    static boolean confirmed(Session session, String question) throws IOException {
        String answer;
        try {
            answer = session.readLine(question, null);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("Cannot ask for confirmation without a terminal; use --force");
        }
        if (answer == null) {
            return false;
        }
        String word = answer.trim().toLowerCase(Locale.ROOT);
        return word.equals("y") || word.equals("yes");
    }

    /** @return the audit trail's name for the user running the command, {@code shell:<user>} */
    static String actor() {
        String user = ShellUtil.getCurrentUserName();
        return "shell:" + (user == null ? "unknown" : user);
    }

    /**
     * @param option the option that gave the amount, named in the error
     * @return the instant {@code amount} units ago, before which entities count as stale; null when no amount was given
     * @throws IllegalArgumentException when the amount is below 1
     */
    static Instant staleSince(boolean stale, Integer amount, ChronoUnit unit, String name) {
        if (amount == null) {
            return null;
        }
        if (!stale) {
            throw new IllegalArgumentException(name + " goes after --stale, e.g. --stale " + amount + ".");
        }
        if (amount < 1) {
            throw new IllegalArgumentException("--stale " + name + " must be at least 1.");
        }
        return Instant.now().minus(amount, unit);
    }

    /**
     * @return TRUE, the staleness policy's condition, when {@code --stale} was given without an explicit
     *         amount (which wins when both are given); null otherwise
     */
    static Boolean stalePolicy(boolean stale, Instant staleSince) {
        return stale && staleSince == null ? Boolean.TRUE : null;
    }
}
