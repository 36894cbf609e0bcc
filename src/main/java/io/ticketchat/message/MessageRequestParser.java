package io.ticketchat.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.error.ApiException;
import io.ticketchat.text.UnicodeText;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns client payloads into validated requests. Every string is bounded before it is kept, and every shape
 * or type the contract does not allow is {@code invalid_request} with a message naming the field.
 */
final class MessageRequestParser {
    static final int MAX_ID_CHARS = 128;
    static final int MAX_CLIENT_MESSAGE_ID_CHARS = 100;
    static final int MAX_URL_CHARS = 2048;
    static final int MAX_ATTACHMENT_NAME_CODE_POINTS = 255;
    static final int MAX_MIME_TYPE_CHARS = 255;

    private static final Set<String> CLIENT_MESSAGE_TYPES = Set.of("text", "image", "file");
    private static final int MAX_LIMIT_DIGITS = 9;

    private final MessageLimits limits;

    MessageRequestParser(MessageLimits limits) {
        this.limits = limits;
    }

    HistoryRequest parseHistory(JsonNode payload) {
        if (payload != null && payload.isTextual()) {
            return new HistoryRequest(requireId(payload.textValue(), "ticketId"), limits.defaultHistoryLimit(), null);
        }
        if (payload == null || !payload.isObject()) {
            throw ApiException.invalid("payload must be a ticket id or an object {ticketId, limit?, before?}");
        }
        String ticketId = requireIdField(payload, "ticketId");
        int limit = parseLimit(payload.get("limit"));
        String before = optionalIdField(payload, "before");
        return new HistoryRequest(ticketId, limit, before);
    }

    HistoryRequest parseHistory(String ticketId, String limit, String before) {
        String checkedBefore = before == null || before.isEmpty() ? null : requireId(before, "before");
        return new HistoryRequest(requireId(ticketId, "ticketId"), parseLimitText(limit), checkedBefore);
    }

    SendRequest parseSend(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw ApiException.invalid("payload must be an object {ticketId, content, ...}");
        }
        JsonNode ticketNode = payload.get("ticketId");
        String ticketField = ticketNode == null || ticketNode.isNull() ? "chatId" : "ticketId";
        String ticketId = requireIdField(payload, ticketField);

        String content = parseContent(payload.get("content"));
        String messageType = parseMessageType(payload.get("messageType"));
        List<Attachment> attachments = parseAttachments(payload.get("attachments"));
        if (attachments.isEmpty() && UnicodeText.isBlank(content)) {
            throw ApiException.invalid("content must not be blank unless the message has an attachment");
        }
        String clientMessageId = parseClientMessageId(payload.get("clientMessageId"));
        return new SendRequest(ticketId, content, messageType, attachments, clientMessageId);
    }

    MarkReadRequest parseMarkRead(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw ApiException.invalid("payload must be an object {ticketId, messageId}");
        }
        return new MarkReadRequest(requireIdField(payload, "ticketId"), requireIdField(payload, "messageId"));
    }

    /** Checks text the server itself writes, such as system messages, against the content rules. */
    String checkServerContent(String content) {
        if (content == null || UnicodeText.isBlank(content)) {
            throw new IllegalArgumentException("system message content must not be blank");
        }
        if (!UnicodeText.fitsCodePoints(content, limits.maxContentCodePoints()) || !UnicodeText.isStorable(content)) {
            throw new IllegalArgumentException("system message content is too long or not storable");
        }
        return content;
    }

    private int parseLimit(JsonNode node) {
        if (node == null) {
            return limits.defaultHistoryLimit();
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.signum() <= 0) {
                return limits.defaultHistoryLimit();
            }
            return value.compareTo(BigInteger.valueOf(limits.maxHistoryLimit())) > 0
                    ? limits.maxHistoryLimit()
                    : value.intValue();
        }
        return node.isTextual() ? parseLimitText(node.textValue()) : limits.defaultHistoryLimit();
    }

    private int parseLimitText(String text) {
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return limits.defaultHistoryLimit();
        }
        String digits = text.replaceFirst("^0+", "");
        if (digits.isEmpty()) {
            return limits.defaultHistoryLimit();
        }
        if (digits.length() > MAX_LIMIT_DIGITS) {
            return limits.maxHistoryLimit();
        }
        return Math.min(Integer.parseInt(digits), limits.maxHistoryLimit());
    }

    private String parseContent(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("content must be a string");
        }
        String content = node.textValue();
        if (!UnicodeText.fitsCodePoints(content, limits.maxContentCodePoints())) {
            throw ApiException.messageTooLong(limits.maxContentCodePoints());
        }
        if (!UnicodeText.isStorable(content)) {
            throw ApiException.invalid("content must not contain NUL characters or unpaired surrogates");
        }
        return content;
    }

    private static String parseMessageType(JsonNode node) {
        if (node == null || node.isNull()) {
            return "text";
        }
        if (!node.isTextual() || !CLIENT_MESSAGE_TYPES.contains(node.textValue())) {
            throw ApiException.invalid("messageType must be text, image or file");
        }
        return node.textValue();
    }

    private List<Attachment> parseAttachments(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.invalid("attachments must be an array");
        }
        if (node.size() > limits.maxAttachments()) {
            throw ApiException.invalid("a message can have at most " + limits.maxAttachments() + " attachments");
        }
        List<Attachment> attachments = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            attachments.add(parseAttachment(node.get(i), "attachments[" + i + "]"));
        }
        return attachments;
    }

    private static Attachment parseAttachment(JsonNode node, String field) {
        if (!node.isObject()) {
            throw ApiException.invalid(field + " must be an object {url, name?, size?, mimeType?}");
        }
        JsonNode urlNode = node.get("url");
        URI url = urlNode != null && urlNode.isTextual() ? parseHttpUrl(urlNode.textValue()) : null;
        if (url == null) {
            throw ApiException.invalid(field + ".url must be an http or https URL");
        }

        String name = optionalString(node.get("name"), field + ".name", MAX_ATTACHMENT_NAME_CODE_POINTS);
        if (name == null || name.isBlank()) {
            name = defaultName(url);
        }
        String mimeType = optionalString(node.get("mimeType"), field + ".mimeType", MAX_MIME_TYPE_CHARS);
        return new Attachment(urlNode.textValue(), name, parseSize(node.get("size"), field + ".size"), mimeType);
    }

    private static URI parseHttpUrl(String text) {
        if (text.length() > MAX_URL_CHARS || !UnicodeText.isStorable(text)) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            return web && uri.getHost() != null && !uri.getHost().isEmpty() ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Returns the last non-empty path segment of {@code url}, decoded, or its host when the path has none. */
    private static String defaultName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String segment = segments[i];
            if (!segment.isBlank() && UnicodeText.isStorable(segment)) {
                return UnicodeText.fitsCodePoints(segment, MAX_ATTACHMENT_NAME_CODE_POINTS)
                        ? segment
                        : segment.substring(0, segment.offsetByCodePoints(0, MAX_ATTACHMENT_NAME_CODE_POINTS));
            }
        }
        return url.getHost();
    }

    private static Long parseSize(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw ApiException.invalid(field + " must be a non-negative integer number of bytes");
        }
        return node.longValue();
    }

    private static String optionalString(JsonNode node, String field, int maxCodePoints) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field + " must be a string");
        }
        String value = node.textValue();
        if (!UnicodeText.fitsCodePoints(value, maxCodePoints)) {
            throw ApiException.invalid(field + " must be a string of at most " + maxCodePoints + " characters");
        }
        if (!UnicodeText.isStorable(value)) {
            throw ApiException.invalid(field + " must not contain NUL characters or unpaired surrogates");
        }
        return value;
    }

    private static String parseClientMessageId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("clientMessageId must be a string");
        }
        String value = node.textValue();
        if (value.length() > MAX_CLIENT_MESSAGE_ID_CHARS || !UnicodeText.isStorable(value)) {
            throw ApiException.invalid(
                    "clientMessageId must be a string of at most " + MAX_CLIENT_MESSAGE_ID_CHARS + " characters");
        }
        return value.isEmpty() ? null : value;
    }

    private static String requireIdField(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || !node.isTextual()) {
            throw ApiException.invalid(field + " is required and must be a string");
        }
        return requireId(node.textValue(), field);
    }

    private static String optionalIdField(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field + " must be a string");
        }
        return requireId(node.textValue(), field);
    }

    private static String requireId(String value, String field) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_CHARS || !UnicodeText.isStorable(value)) {
            throw ApiException.invalid(
                    field + " must be a non-empty string of at most " + MAX_ID_CHARS + " characters");
        }
        return value;
    }
}
