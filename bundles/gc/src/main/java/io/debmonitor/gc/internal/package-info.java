/** Runs garbage collection on the schedule of PID io.debmonitor.gc.schedule. */
package io.debmonitor.gc.internal;
