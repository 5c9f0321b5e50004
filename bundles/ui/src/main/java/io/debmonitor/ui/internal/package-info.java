/** The web UI: pages and their JSON twins as resources of the one JAX-RS application, FreeMarker templates, static files. */
package io.debmonitor.ui.internal;
