package io.ticketchat.chat;

/** Events the server emits to clients, with their wire names from the client contract. */
enum ServerEvent {
    /** The history page, an array of messages, to the caller of {@code get_ticket_messages}. */
    TICKET_MESSAGES("ticket_messages"),
    /** A stored message, to the ticket's room. */
    NEW_MESSAGE("new_message"),
    /** {@code {ticketId, users}}: the distinct users joined to a ticket, sent when that set changes. */
    ACTIVE_USERS("active_users"),
    /** {@code {ticketId, userId, userName, isTyping}}: a user's typing state in a ticket changed. */
    USER_TYPING("user_typing"),
    /** {@code {ticketId, userId, upToMessageId, readAt}}: a user read a ticket up to a message. */
    MESSAGES_READ("messages_read"),
    /** {@code {userId, userName, status, timestamp}}: a staff user's presence changed; to every client. */
    AGENT_STATUS_UPDATE("agent_status_update"),
    /** {@code {ticket}}: staff changed a ticket's status, priority or assignee. */
    TICKET_UPDATED("ticket_updated"),
    /** {@code {code, message}}: a failure of an event sent without an acknowledgement. */
    ERROR("error");

    private final String wireName;

    ServerEvent(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
