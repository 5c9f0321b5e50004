/** An example third-party package source: host reports from CycloneDX SBOMs of Debian and Ubuntu systems. */
package io.debmonitor.source.sbom.internal;
