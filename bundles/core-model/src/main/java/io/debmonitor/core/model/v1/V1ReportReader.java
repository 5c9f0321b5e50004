package io.debmonitor.core.model.v1;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.Names;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpdateType;
import io.debmonitor.core.model.api.UpgradableDTO;

/**
 * Reads the v1 JSON envelope shared by host and image reports (SPEC §1.2–§1.4) and validates all
 * of it before returning. Sources differ only in the key that names the entity and in whether a
 * running kernel is required, so both are constructor arguments. An image report may also carry
 * {@code digest}, the manifest digest its reporter read (an extra key of this server; the v1 keys
 * are unchanged). Thread-safe.
 *
 * @since 1.0.0
 */
public final class V1ReportReader {

    /** The OS names of SPEC §1.7; {@code matches()} anchors both ends, so a trailing newline fails. */
    public static final Pattern OS_NAME = Pattern.compile("Debian( [0-9]{1,2})?|Ubuntu( [0-9]{2}\\.[0-9]{2})?");

    /** A content digest as the OCI image specification writes it, e.g. {@code sha256:<64 hex digits>}. */
    public static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String nameKey;
    private final boolean hostReport;

    /**
     * @param nameKey    the payload key that must equal the URL name ({@code hostname} or {@code image_name})
     * @param hostReport true when {@code running_kernel} is required and read (hosts); false ignores it and
     *                   reads the optional {@code digest} instead (images)
     */
    public V1ReportReader(String nameKey, boolean hostReport) {
        this.nameKey = nameKey;
        this.hostReport = hostReport;
    }

    /**
     * @param urlName the entity name from the URL
     * @param body    the raw request body
     * @return the validated report; never null
     * @throws InvalidReportException on the first rule the payload breaks
     */
    public ReportDTO read(String urlName, byte[] body) throws InvalidReportException {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new InvalidReportException("The request body must be a JSON object.");
        }
        JsonNode apiVersion = root.get("api_version");
        if (apiVersion != null && !"v1".equals(apiVersion.textValue())) {
            throw new InvalidReportException("api_version: only \"v1\" is supported.");
        }
        String name = requiredString(root, nameKey, nameKey);
        if (!name.equals(urlName)) {
            throw new InvalidReportException(nameKey + ": '" + name + "' does not match the name in the URL.");
        }
        String os = requiredString(root, "os", "os");
        if (!OS_NAME.matcher(os).matches()) {
            throw new InvalidReportException("os: '" + os + "' is not a valid OS name (e.g. \"Debian 12\" or \"Ubuntu 24.04\").");
        }
        String updateTypeName = requiredString(root, "update_type", "update_type");
        UpdateType updateType = UpdateType.fromWireName(updateTypeName);
        if (updateType == null) {
            throw new InvalidReportException("update_type: expected one of full, upgradable, dpkg_hook or partial.");
        }
        String kernelVersion = null;
        String kernelRelease = null;
        if (hostReport) {
            JsonNode kernel = root.get("running_kernel");
            if (kernel == null || !kernel.isObject()) {
                throw new InvalidReportException("running_kernel: expected an object with a version.");
            }
            kernelVersion = requiredString(kernel, "version", "running_kernel.version");
            kernelRelease = optionalString(kernel, "release", "running_kernel.release");
        }
        List<InstalledDTO> installed = new ArrayList<>();
        for (Item item : items(root, "installed")) {
            installed.add(new InstalledDTO(item.string("name"), item.string("version"), item.string("source"),
                    item.optionalString("source_version")));
        }
        List<String> uninstalled = new ArrayList<>();
        for (Item item : items(root, "uninstalled")) {
            uninstalled.add(item.string("name"));
        }
        List<UpgradableDTO> upgradable = new ArrayList<>();
        for (Item item : items(root, "upgradable")) {
            upgradable.add(new UpgradableDTO(item.string("name"), item.string("version_from"), item.string("version_to"),
                    item.string("source"), item.optionalString("source_version"), item.type()));
        }
        String digest = null;
        if (!hostReport) {
            digest = optionalString(root, "digest", "digest");
            if (digest != null && !DIGEST.matcher(digest).matches()) {
                throw new InvalidReportException("digest: '" + digest + "' is not a content digest such as \"sha256:<64 hex digits>\".");
            }
        }
        return new ReportDTO(os, updateType, kernelVersion, kernelRelease, installed, uninstalled, upgradable, digest);
    }

    static JsonNode parse(byte[] body) throws InvalidReportException {
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
        try {
            JsonNode root = MAPPER.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw new InvalidReportException("The request body holds no JSON value.");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidReportException("The request body is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static List<Item> items(JsonNode root, String key) throws InvalidReportException {
        JsonNode list = root.get(key);
        List<Item> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        if (!list.isArray()) {
            throw new InvalidReportException(key + ": expected a list.");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String path = key + "[" + i + "]";
            if (!node.isObject()) {
                throw new InvalidReportException(path + ": expected an object.");
            }
            items.add(new Item(node, path));
        }
        return items;
    }

    static String requiredString(JsonNode parent, String key, String path) throws InvalidReportException {
        JsonNode node = parent.get(key);
        if (node == null) {
            throw new InvalidReportException(path + ": missing.");
        }
        return checkedString(node, path, false);
    }

    private static String optionalString(JsonNode parent, String key, String path) throws InvalidReportException {
        JsonNode node = parent.get(key);
        return node == null ? null : checkedString(node, path, false);
    }

    private static String checkedString(JsonNode node, String path, boolean mayBeEmpty) throws InvalidReportException {
        String text = node.textValue();
        int length = text == null ? -1 : Names.length(text);
        if (text == null || length > Names.MAX_LENGTH || (length == 0 && !mayBeEmpty)) {
            throw new InvalidReportException(path + ": expected a " + (mayBeEmpty ? "" : "non-empty ")
                    + "string of at most 255 characters.");
        }
        if (Names.hasControlCharacter(text)) {
            throw new InvalidReportException(path + ": control characters are not allowed.");
        }
        return text;
    }

    private record Item(JsonNode node, String path) {
        String string(String key) throws InvalidReportException {
            return requiredString(node, key, path + "." + key);
        }

        String optionalString(String key) throws InvalidReportException {
            return V1ReportReader.optionalString(node, key, path + "." + key);
        }

        /** {@code type} is the one string that may be empty; empty means no type. */
        String type() throws InvalidReportException {
            JsonNode type = node.get("type");
            if (type == null) {
                return null;
            }
            String text = checkedString(type, path + ".type", true);
            return text.isEmpty() ? null : text;
        }
    }
}
