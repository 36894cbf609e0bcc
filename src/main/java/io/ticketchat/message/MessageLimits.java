package io.ticketchat.message;

/**
 * Limits on messages that bound memory and request size.
 *
 * @param defaultHistoryLimit messages returned by a history request without a usable limit; default 200
 * @param maxHistoryLimit larger history limits are clamped to this; default 200
 * @param maxContentCodePoints maximum content length in Unicode code points; default 10,000
 * @param maxAttachments maximum attachments in one message; default 10
 */
public record MessageLimits(
        int defaultHistoryLimit,
        int maxHistoryLimit,
        int maxContentCodePoints,
        int maxAttachments) {
    public static final MessageLimits DEFAULTS = new MessageLimits(200, 200, 10_000, 10);

    public MessageLimits {
        if (maxHistoryLimit < 1 || defaultHistoryLimit < 1 || defaultHistoryLimit > maxHistoryLimit) {
            throw new IllegalArgumentException("history limits must satisfy 1 <= default <= max, got default="
                    + defaultHistoryLimit + " max=" + maxHistoryLimit);
        }
        if (maxContentCodePoints < 1 || maxAttachments < 0) {
            throw new IllegalArgumentException("maxContentCodePoints must be at least 1 and maxAttachments at least"
                    + " 0, got " + maxContentCodePoints + " and " + maxAttachments);
        }
    }
}
