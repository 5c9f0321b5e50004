/** Service implementations, set-based report ingest and schema migrations. */
package io.debmonitor.core.model.internal;
