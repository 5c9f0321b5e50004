package io.debmonitor.rest.internal;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;

/** {@code GET|HEAD /auth-check}: 200 {@code OK} for any verified identity (SPEC §1.9); monitoring probes the mTLS path with it. */
@Path("/")
public class AuthCheckResource {

    private final AccessService access;

    AuthCheckResource(AccessService access) {
        this.access = access;
    }

    @GET
    @Path("auth-check")
    public Response check(@Context HttpServletRequest request) {
        String refusal = access.identityRefusal(SecurityFilter.caller(request));
        if (refusal != null) {
            return ErrorResponses.error(403, refusal).build();
        }
        return Response.ok("OK", "text/plain; charset=utf-8").build();
    }

    @HEAD
    @Path("auth-check")
    public Response head(@Context HttpServletRequest request) {
        Response full = check(request);
        return Response.status(full.getStatus()).type(full.getMediaType()).build();
    }
}
