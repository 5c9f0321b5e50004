package io.debmonitor.rest.internal;

import java.util.Map;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every error this server sends: a status and {@code {"error": "<one sentence>"}} as JSON (SPEC §1.1). */
final class ErrorResponses {

    static final MediaType JSON = MediaType.valueOf("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorResponses() {
    }

    static Response.ResponseBuilder error(int status, String message) {
        return Response.status(status).type(JSON).entity(body(message));
    }

    /**
     * The same error as a small self-contained HTML page (no script, no inline style), for a
     * browser that followed a link to a path no page serves.
     */
    static Response asHtml(Response json) {
        String message;
        try {
            message = MAPPER.readTree(String.valueOf(json.getEntity())).path("error").asText("Error.");
        } catch (JsonProcessingException e) {
            message = "Error.";
        }
        String status = json.getStatus() + " " + json.getStatusInfo().getReasonPhrase();
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(status)
                + " - DebMonitor</title></head><body><main><h1>" + escape(status) + "</h1><p>" + escape(message)
                + "</p><p><a href=\"/\">DebMonitor dashboard</a></p></main></body></html>\n";
        Response.ResponseBuilder builder = Response.status(json.getStatus()).type("text/html; charset=utf-8").entity(html);
        for (String header : new String[] {"Allow", "Retry-After"}) {
            if (json.getHeaderString(header) != null) {
                builder.header(header, json.getHeaderString(header));
            }
        }
        return builder.build();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    static String body(String message) {
        return json(Map.of("error", message));
    }

    /** @return {@code value} as JSON; for maps, lists and strings, which always serialise */
    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Maps, lists and strings always serialise", e);
        }
    }
}
