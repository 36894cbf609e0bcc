package io.ticketchat.message;

/**
 * Metadata of a file that a message links to; the server stores it and does not host the file.
 *
 * @param url http or https URL
 * @param name file name shown to users; defaults to the last path segment of the URL
 * @param size size in bytes; null when the client did not say
 * @param mimeType media type such as {@code image/png}; null when the client did not say
 */
public record Attachment(String url, String name, Long size, String mimeType) {
}
