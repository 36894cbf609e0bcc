-- The same statements run on SQLite and PostgreSQL, so they keep to the types and syntax both accept:
-- TEXT, BIGINT and INTEGER columns, instants as epoch milliseconds in BIGINT, named table constraints.

CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    email TEXT,
    -- Lower-cased email; unique so that an address registers once whatever its case. NULL for users
    -- created from a host application's token whose address is already taken by another account.
    email_key TEXT,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- BCrypt hash; NULL for users who only sign in with a host application's token.
    password_hash TEXT,
    status TEXT NOT NULL,
    last_seen_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX users_email_key_idx ON users (email_key);
CREATE INDEX users_role_idx ON users (role);

CREATE TABLE tickets (
    id TEXT NOT NULL PRIMARY KEY,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES users (id),
    assignee_id TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    -- Sequence number of the newest message; incremented in the transaction that stores a message.
    last_message_seq BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX tickets_activity_idx ON tickets (last_activity_at, id);
CREATE INDEX tickets_customer_activity_idx ON tickets (customer_id, last_activity_at, id);

CREATE TABLE messages (
    id TEXT NOT NULL PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    -- Position in the ticket, 1, 2, 3...: history pages by it because many messages can share created_at.
    seq BIGINT NOT NULL,
    -- NULL for messages the server writes itself.
    sender_id TEXT REFERENCES users (id),
    content TEXT NOT NULL,
    message_type TEXT NOT NULL,
    -- JSON array of {url, name, size, mimeType}.
    attachments TEXT NOT NULL,
    client_message_id TEXT,
    created_at BIGINT NOT NULL,
    CONSTRAINT messages_ticket_seq_key UNIQUE (ticket_id, seq),
    CONSTRAINT messages_client_message_key UNIQUE (ticket_id, sender_id, client_message_id)
);

CREATE TABLE message_reads (
    message_id TEXT NOT NULL REFERENCES messages (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    read_at BIGINT NOT NULL,
    CONSTRAINT message_reads_pkey PRIMARY KEY (message_id, user_id)
);

CREATE INDEX message_reads_user_idx ON message_reads (user_id);
