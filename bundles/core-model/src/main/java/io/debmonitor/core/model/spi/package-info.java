/** Contracts that package-source plugins implement, and the v1 report reader they share. */
@Export
@Version("0.2.0")
package io.debmonitor.core.model.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
