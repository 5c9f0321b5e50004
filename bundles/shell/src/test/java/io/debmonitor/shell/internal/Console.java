package io.debmonitor.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;

/** Runs an action with System.out captured, as Karaf's session does. */
final class Console {

    private Console() {
    }

    /** @return the lines the action printed */
    static List<String> run(Action action) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.execute();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Runs an action that must fail; returns its message and the lines printed before. */
    static Failure fail(Action action) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.execute();
        } catch (IllegalArgumentException e) {
            return new Failure(e.getMessage(), bytes.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setOut(original);
        }
        throw new AssertionError("the command did not fail");
    }

    record Failure(String message, List<String> printed) {
    }
}
