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
}
