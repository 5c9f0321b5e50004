/** Load benchmark: a deterministic synthetic fleet posting DebMonitor v1 host reports over mutual TLS. */
package io.debmonitor.bench;
