/** Services and DTOs through which the other bundles read and write DebMonitor's data. */
@Export
@Version("0.6.0")
package io.debmonitor.core.model.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
