package io.ticketchat.error;

/**
 * A failure that reaches the client as a contract error: its code and a message written for the client.
 *
 * <p>The message must never contain a stack trace, SQL, a token or another user's data, because it is sent
 * as it is. Unexpected failures are not wrapped here; the boundaries map them to {@link ErrorCode#INTERNAL}
 * and log the cause.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String clientMessage) {
        super(clientMessage, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Returns the message that is sent to the client. */
    public String clientMessage() {
        return getMessage();
    }

    public static ApiException invalid(String clientMessage) {
        return new ApiException(ErrorCode.INVALID_REQUEST, clientMessage);
    }

    public static ApiException ticketNotFound() {
        return new ApiException(ErrorCode.TICKET_NOT_FOUND, "Ticket not found");
    }

    /** Returns the single error for every token problem, so a client cannot tell the causes apart. */
    public static ApiException unauthorized() {
        return new ApiException(ErrorCode.UNAUTHORIZED, "unauthorized");
    }

    public static ApiException forbidden(String clientMessage) {
        return new ApiException(ErrorCode.FORBIDDEN, clientMessage);
    }

    public static ApiException conflict(String clientMessage) {
        return new ApiException(ErrorCode.CONFLICT, clientMessage);
    }

    public static ApiException overloaded(String clientMessage) {
        return new ApiException(ErrorCode.OVERLOADED, clientMessage);
    }

    /** Returns the contract's error for content longer than {@code maxCodePoints} Unicode code points. */
    public static ApiException messageTooLong(int maxCodePoints) {
        return new ApiException(
                ErrorCode.MESSAGE_TOO_LONG,
                "Message too long (max " + maxCodePoints + " characters)");
    }
}
