package io.ticketchat.user;

import java.util.Optional;

/** A user's role; the wire names are {@code customer}, {@code agent}, {@code manager} and {@code admin}. */
public enum Role {
    CUSTOMER("customer"),
    AGENT("agent"),
    MANAGER("manager"),
    ADMIN("admin");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the role as tokens, the database and clients spell it, for example {@code agent}. */
    public String wireName() {
        return wireName;
    }

    /** Returns whether the role is staff: agent, manager or admin. Staff see every ticket. */
    public boolean isStaff() {
        return this != CUSTOMER;
    }

    /** Returns the role whose wire name is exactly {@code name}, or empty for null or an unknown name. */
    public static Optional<Role> fromWire(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
