/** The v1 write protocol over JAX-RS: report, delete and auth-check endpoints, and the server that publishes them at '/'. */
package io.debmonitor.rest.internal;
