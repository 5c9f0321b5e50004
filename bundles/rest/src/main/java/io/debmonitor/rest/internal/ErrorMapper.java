package io.debmonitor.rest.internal;

import java.util.UUID;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.EntityInUseException;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.StorageUnavailableException;

/**
 * Turns every failure into a JSON error, or a small HTML page when a browser asked for a page.
 * Client mistakes become 4xx with a readable message; a 500 is a server bug, logged with a request
 * id that the response echoes, never with a stack trace or SQL in the body.
 */
final class ErrorMapper implements ExceptionMapper<Throwable> {

    private final Logger logger = LoggerFactory.getLogger(ErrorMapper.class);

    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(Throwable failure) {
        Response response = jsonResponse(failure);
        return wantsHtml() ? ErrorResponses.asHtml(response) : response;
    }

    /** A browser's page request: GET or HEAD, text/html accepted, and no JSON asked for. */
    private boolean wantsHtml() {
        if (request == null || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            return false;
        }
        String accept = request.getHeader("Accept");
        String format = request.getParameter("format");
        return accept != null && accept.contains("text/html") && !"json".equals(format);
    }

    private Response jsonResponse(Throwable failure) {
        if (failure instanceof InvalidReportException || failure instanceof IllegalArgumentException) {
            return ErrorResponses.error(400, failure.getMessage()).build();
        }
        if (failure instanceof EntityInUseException) {
            return ErrorResponses.error(409, failure.getMessage()).build();
        }
        if (failure instanceof StorageUnavailableException) {
            logger.warn("503: {}", failure.getMessage(), failure);
            return ErrorResponses.error(503, failure.getMessage()).header("Retry-After", "5").build();
        }
        if (failure instanceof WebApplicationException web && web.getResponse().hasEntity()) {
            return web.getResponse(); // built by our own resources, already a JSON error
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            Response original = web.getResponse();
            Response.ResponseBuilder builder = ErrorResponses.error(original.getStatus(), messageFor(original.getStatus()));
            if (original.getStatus() == 405) {
                builder.header("Allow", original.getHeaderString("Allow"));
            }
            return builder.build();
        }
        String requestId = UUID.randomUUID().toString();
        logger.error("500 (request id {})", requestId, failure);
        return ErrorResponses.error(500, "Internal server error; request id " + requestId + ".").build();
    }

    private static String messageFor(int status) {
        switch (status) {
            case 403: return "Forbidden.";
            case 404: return "Not found.";
            case 405: return "Method not allowed.";
            case 406: return "Not acceptable.";
            case 415: return "Unsupported media type.";
            default: return "Bad request.";
        }
    }
}
