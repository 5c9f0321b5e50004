package io.debmonitor.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import io.debmonitor.core.model.api.CallerDTO;

/**
 * {@code GET /openapi.json}: the hand-written OpenAPI document of every route of the application
 * (CXF's OpenAPI module has no release for CXF 3.6). Readable like any JSON page: a verified
 * identity or a UI session. A test fails when a resource method is missing from it.
 */
@Path("/")
public class OpenApiResource {

    private final byte[] document;

    OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.json is missing from the bundle", e);
        }
    }

    @GET
    @Path("openapi.json")
    public Response document(@Context HttpServletRequest request) {
        CallerDTO caller = SecurityFilter.caller(request);
        if (!caller.verified() && caller.session() == null) {
            return ErrorResponses.error(403, "Log in or present a client certificate to read the API description.").build();
        }
        return Response.ok(document, ErrorResponses.JSON).build();
    }
}
