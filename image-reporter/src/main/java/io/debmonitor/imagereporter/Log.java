package io.debmonitor.imagereporter;

import io.debmonitor.client.Sender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

/** One line per event on stderr; DEBUG lines and stack traces only with --verbose. */
final class Log {

    private static volatile boolean verbose;
    private static volatile Consumer<String> sink = line -> {
        synchronized (System.err) {
            System.err.println(line);
            System.err.flush();
        }
    };

    private Log() {
    }

    static void setVerbose(boolean on) {
        verbose = on;
    }

    /** Replaces the output, for tests; returns the previous one. */
    static Consumer<String> setSink(Consumer<String> newSink) {
        Consumer<String> old = sink;
        sink = newSink;
        return old;
    }

    static void debug(String message) {
        if (verbose) {
            sink.accept("[DEBUG] " + oneLine(message));
        }
    }

    static void info(String message) {
        sink.accept("[INFO] " + oneLine(message));
    }

    static void warning(String message) {
        sink.accept("[WARNING] " + oneLine(message));
    }

    static void error(String message) {
        sink.accept("[ERROR] " + oneLine(message));
    }

    /** The stack trace, with --verbose only: it is the only multi-line output. */
    static void trace(Throwable t) {
        if (verbose) {
            StringWriter out = new StringWriter();
            t.printStackTrace(new PrintWriter(out));
            sink.accept(out.toString().stripTrailing());
        }
    }

    /** A short reason for a failure: the message, or the class name when there is none. */
    static String reason(Throwable e) {
        if (e instanceof java.net.http.HttpTimeoutException || e instanceof java.net.ConnectException) {
            return Sender.describe((IOException) e);
        }
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + t.getMessage();
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + t.getMessage();
        }
        return t.getMessage() != null ? oneLine(t.getMessage()) : t.getClass().getSimpleName();
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replace("\r", "").replace('\n', ' ');
    }
}
