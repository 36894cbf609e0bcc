package io.ticketchat.message;

/**
 * The author of a message as clients see it: the user's current name and role wire name.
 * Messages the server writes itself have the {@link #SYSTEM} sender.
 */
public record Sender(String id, String name, String role) {
    /** Sender of {@code system} messages. */
    public static final Sender SYSTEM = new Sender("system", "TicketChat", "system");
}
