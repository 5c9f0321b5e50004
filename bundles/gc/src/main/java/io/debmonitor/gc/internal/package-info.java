/** Runs garbage collection on the schedule of PID io.debmonitor.gc.schedule, and the CVE fetch on that of io.debmonitor.cve.fetch. */
package io.debmonitor.gc.internal;
