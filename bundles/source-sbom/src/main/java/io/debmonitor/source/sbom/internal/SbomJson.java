package io.debmonitor.source.sbom.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.Names;

/** Reads the request body as one JSON object and checks the strings taken from it (SPEC §1.2). */
final class SbomJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SbomJson() {
    }

    static JsonNode parseObject(byte[] body) throws InvalidReportException {
        if (body.length == 0) {
            throw new InvalidReportException("The request body is empty.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidReportException("The request body is not valid UTF-8.");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidReportException("The request body is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidReportException("The request body must be a JSON object: a CycloneDX BOM.");
        }
        return root;
    }

    /** @return the text of a string node, checked as every stored name and version is */
    static String string(JsonNode node, String path) throws InvalidReportException {
        if (node == null) {
            throw new InvalidReportException(path + ": missing.");
        }
        return checked(node.textValue(), path);
    }

    /** @return the text of an optional string node, or null when it is absent or JSON null */
    static String optionalString(JsonNode node, String path) throws InvalidReportException {
        return node == null || node.isNull() ? null : string(node, path);
    }

    /** Applies the string rules of SPEC §1.2 to a value taken from inside a JSON string, such as a purl part. */
    static String checked(String text, String path) throws InvalidReportException {
        if (text == null || text.isEmpty() || Names.length(text) > Names.MAX_LENGTH) {
            throw new InvalidReportException(path + ": expected a non-empty string of at most " + Names.MAX_LENGTH + " characters.");
        }
        if (Names.hasControlCharacter(text)) {
            throw new InvalidReportException(path + ": control characters are not allowed.");
        }
        return text;
    }

    /** @return the text in single quotes for a message, as {@link #printable(String)} shows it */
    static String quote(String text) {
        return "'" + printable(text) + "'";
    }

    /** @return at most 120 characters of the text, control characters shown as '?' */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.length() > 120 ? text.substring(0, 117) + "..." : text;
        StringBuilder printable = new StringBuilder(shown.length());
        shown.chars().forEach(c -> printable.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return printable.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
