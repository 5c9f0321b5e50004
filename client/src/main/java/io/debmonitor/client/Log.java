package io.debmonitor.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

/** A tiny logger: one line per message on stderr (java.util.logging would cost start-up time). */
final class Log {

    enum Level { DEBUG, INFO, WARNING, ERROR }

    private static final long START = System.nanoTime();
    private static volatile Level threshold = Level.INFO;
    private static volatile Consumer<String> sink = line -> {
        synchronized (System.err) {
            System.err.println(line);
            System.err.flush();
        }
    };

    private Log() {
    }

    static void setThreshold(Level level) {
        threshold = level;
    }

    static boolean isDebug() {
        return threshold == Level.DEBUG;
    }

    /** Replaces the output, for tests; returns the previous one. */
    static Consumer<String> setSink(Consumer<String> newSink) {
        Consumer<String> old = sink;
        sink = newSink;
        return old;
    }

    static void debug(String message) {
        log(Level.DEBUG, message);
    }

    static void info(String message) {
        log(Level.INFO, message);
    }

    static void warning(String message) {
        log(Level.WARNING, message);
    }

    static void error(String message) {
        log(Level.ERROR, message);
    }

    /** Logs the stack trace at DEBUG level only; it is the only multi-line output. */
    static void debugTrace(Throwable t) {
        if (isDebug()) {
            StringWriter out = new StringWriter();
            t.printStackTrace(new PrintWriter(out));
            sink.accept(out.toString().stripTrailing());
        }
    }

    static void log(Level level, String message) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        // DEBUG lines carry the time since start-up, to see where a slow run spends it.
        String prefix = level == Level.DEBUG ? "[DEBUG +" + (System.nanoTime() - START) / 1_000_000 + "ms] "
                : "[" + level + "] ";
        sink.accept(prefix + oneLine(message));
    }

    /** A short reason for an I/O failure; NIO exceptions carry only the path as their message. */
    static String reason(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        if (message.indexOf('\n') < 0 && message.indexOf('\r') < 0) {
            return message;
        }
        return message.strip().replace("\r", "").replace('\n', ' ');
    }
}
