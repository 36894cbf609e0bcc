package io.ticketchat.chat;

/** Events clients send, with their wire names from the client contract. */
enum ClientEvent {
    JOIN_TICKET("join_ticket"),
    LEAVE_TICKET("leave_ticket"),
    GET_TICKET_MESSAGES("get_ticket_messages"),
    SEND_MESSAGE("send_message"),
    TYPING("typing"),
    MARK_READ("mark_read"),
    SET_STATUS("set_status");

    private final String wireName;

    ClientEvent(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
