package io.debmonitor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent by the processes of a run: the load generator itself and, when their PIDs are
 * given, the server and the database. On a machine they share, the server's CPU per report is
 * the figure that says what the server would sustain on CPUs of its own.
 */
final class CpuMeter {

    static final String LOAD_GENERATOR = "load_generator";
    static final String SERVER = "server";
    static final String DATABASE = "database";

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Map<String, Long> pids = new LinkedHashMap<>();

    CpuMeter(Long serverPid, Long databasePid) {
        if (serverPid != null) {
            pids.put(SERVER, serverPid);
        }
        if (databasePid != null) {
            pids.put(DATABASE, databasePid);
        }
    }

    /** CPU nanoseconds used so far, per process name; a process that cannot be read is left out. */
    Map<String, Long> sample() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(LOAD_GENERATOR, ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
            } catch (IOException | RuntimeException e) {
                // the process ended or is not visible: no figure for it
            }
        });
        return out;
    }

    /** Milliseconds of CPU per report between two samples. */
    static Map<String, Double> perReport(Map<String, Long> before, Map<String, Long> after, int reports) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, nanos) -> {
            Long start = before.get(name);
            if (start != null && reports > 0) {
                out.put(name, (nanos - start) / 1e6 / reports);
            }
        });
        return out;
    }
}
