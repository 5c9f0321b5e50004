/** Prometheus metrics at {@code /metrics}, open to the allow-list of PID io.debmonitor.metrics. */
package io.debmonitor.metrics.internal;
