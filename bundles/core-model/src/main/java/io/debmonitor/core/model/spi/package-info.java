/** Contracts that package-source plugins implement. */
@Export
@Version("1.0.0")
package io.debmonitor.core.model.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
