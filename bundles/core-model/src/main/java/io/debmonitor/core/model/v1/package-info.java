/**
 * Readers of the DebMonitor v1 wire protocol (SPEC §1), shared by package sources and the core.
 * Versioned on its own, apart from the SPI: it changes when the protocol's reading changes.
 */
@Export
@Version("1.0.0")
package io.debmonitor.core.model.v1;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
