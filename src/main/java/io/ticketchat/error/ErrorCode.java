package io.ticketchat.error;

/**
 * Error codes of the client contract, each with its wire name and the HTTP status the REST API answers with.
 *
 * <p>These are the only codes a client ever sees: in a Socket.IO acknowledgement {@code {ok: false, error}},
 * in the {@code error} event, in a handshake's {@code connect_error} message, and in a REST error body.
 */
public enum ErrorCode {
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    TICKET_NOT_FOUND("ticket_not_found", 404),
    INVALID_REQUEST("invalid_request", 400),
    /** A REST path that no route serves; the contract has no code of its own for it. */
    ROUTE_NOT_FOUND("invalid_request", 404),
    METHOD_NOT_ALLOWED("invalid_request", 405),
    PAYLOAD_TOO_LARGE("invalid_request", 413),
    MESSAGE_TOO_LONG("message_too_long", 400),
    RATE_LIMITED("rate_limited", 429),
    LIMIT_EXCEEDED("limit_exceeded", 429),
    CONFLICT("conflict", 409),
    OVERLOADED("overloaded", 503),
    INTERNAL("internal", 500);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** Returns the code as clients see it, for example {@code ticket_not_found}. */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
