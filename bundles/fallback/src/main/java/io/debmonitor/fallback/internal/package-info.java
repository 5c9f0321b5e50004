/** The servlet that answers 503 while DebMonitor's application is not published. */
package io.debmonitor.fallback.internal;
