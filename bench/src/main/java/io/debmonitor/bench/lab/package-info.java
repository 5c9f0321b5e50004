/** The scale-out lab driver (issue #14): load with per-host sequence markers, reconcile (I1), UI session checks (I8). */
package io.debmonitor.bench.lab;
