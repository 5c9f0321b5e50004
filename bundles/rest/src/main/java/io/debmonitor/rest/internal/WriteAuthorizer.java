package io.debmonitor.rest.internal;

import javax.servlet.http.HttpServletRequest;

import io.debmonitor.core.model.spi.PackageSource;

/**
 * The one seam that decides whether a request may write an entity (SPEC §3.2). It is consulted
 * after the route and method are matched and before the body is read.
 */
interface WriteAuthorizer {

    /**
     * @return null when the caller may write {@code name} in {@code source}'s collection,
     *         otherwise the one-sentence reason for a 403
     */
    String refusal(HttpServletRequest request, PackageSource source, String name);

    /**
     * Until mutual TLS lands (issue #3) the server has no verified identities, so every write is
     * allowed: run it on a trusted network only.
     */
    WriteAuthorizer UNAUTHENTICATED = (request, source, name) -> null;
}
