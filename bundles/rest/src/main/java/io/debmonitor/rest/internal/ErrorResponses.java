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

    static String body(String message) {
        try {
            return MAPPER.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of one string always serialises", e);
        }
    }
}
