package io.ticketchat.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ticketchat.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * JDBC access to {@code messages} and {@code message_reads}, and to the two {@code tickets} columns that a
 * stored message changes: {@code last_message_seq} and {@code last_activity_at}.
 *
 * <p>Each message has a sequence number, unique within its ticket: the transaction that inserts the message
 * locks the ticket row (PostgreSQL) or holds the write lock (SQLite), takes the ticket's
 * {@code last_message_seq} plus one and writes it back. So numbers never repeat and history can page by them.
 * Thread-safe; every call borrows a pooled connection or joins the transaction open on the calling thread.
 */
final class MessageStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT_MESSAGE = "SELECT m.id, m.ticket_id, m.sender_id, u.name AS sender_name,"
            + " u.role AS sender_role, m.content, m.message_type, m.attachments, m.created_at, m.client_message_id"
            + " FROM messages m LEFT JOIN users u ON u.id = m.sender_id";

    private final Database database;

    MessageStore(Database database) {
        this.database = database;
    }

    /** A message to insert; {@code senderId} is null for system messages. */
    record NewMessage(
            String id,
            String ticketId,
            String senderId,
            String content,
            String messageType,
            List<Attachment> attachments,
            String clientMessageId,
            Instant createdAt) {
    }

    /**
     * Inserts {@code message} as the newest of its ticket and moves the ticket's last activity to its time,
     * in one transaction, or in the caller's transaction when one is open on this thread.
     *
     * <p>The ticket row is locked before the duplicate check, so a concurrent send with the same client message
     * id has either committed before the check, and is found, or waits until this transaction ends. No step
     * has to be undone when a duplicate turns up, which keeps the method correct inside a caller's transaction.
     *
     * @return true when inserted. False when the sender already has a message with the same client message id
     *     in the ticket, and then nothing changed.
     */
    boolean append(NewMessage message) {
        return database.inTransaction("append message", handle -> {
            long seq = lockLastSeq(handle, message.ticketId()) + 1;
            if (message.clientMessageId() != null && findIdByClientMessageId(handle, message).isPresent()) {
                return false;
            }
            insert(handle, message, seq);
            moveLastMessage(handle, message.ticketId(), seq, message.createdAt());
            return true;
        });
    }

    Optional<Message> findByClientMessageId(String ticketId, String senderId, String clientMessageId) {
        return database.withHandle("find message by client message id", handle -> {
            Optional<Message> found = handle.createQuery(SELECT_MESSAGE
                            + " WHERE m.ticket_id = :ticketId AND m.sender_id = :senderId"
                            + " AND m.client_message_id = :clientMessageId")
                    .bind("ticketId", ticketId)
                    .bind("senderId", senderId)
                    .bind("clientMessageId", clientMessageId)
                    .map((rs, ctx) -> mapMessage(rs))
                    .findOne();
            return found.map(message -> withReceipts(handle, List.of(message)).get(0));
        });
    }

    /** Returns the sequence number of {@code messageId} if it belongs to {@code ticketId}. */
    Optional<Long> findSeq(String ticketId, String messageId) {
        return database.withHandle("find message position", handle -> handle
                .createQuery("SELECT seq FROM messages WHERE id = :id AND ticket_id = :ticketId")
                .bind("id", messageId)
                .bind("ticketId", ticketId)
                .mapTo(Long.class)
                .findOne());
    }

    /**
     * Returns at most {@code maxRows} messages of the ticket, newest first, all older than {@code beforeSeq}
     * when it is not null, each with its read receipts.
     */
    List<Message> listNewestFirst(String ticketId, Long beforeSeq, int maxRows) {
        String where = beforeSeq == null ? " WHERE m.ticket_id = :ticketId" : " WHERE m.ticket_id = :ticketId"
                + " AND m.seq < :beforeSeq";
        return database.withHandle("list messages", handle -> {
            var query = handle.createQuery(SELECT_MESSAGE + where + " ORDER BY m.seq DESC LIMIT :maxRows")
                    .bind("ticketId", ticketId)
                    .bind("maxRows", maxRows);
            if (beforeSeq != null) {
                query.bind("beforeSeq", beforeSeq);
            }
            return withReceipts(handle, query.map((rs, ctx) -> mapMessage(rs)).list());
        });
    }

    /**
     * Marks every message of the ticket up to sequence {@code upToSeq} as read by {@code userId}, except the
     * user's own and those already marked.
     *
     * @return the number of messages newly marked
     */
    int markRead(String ticketId, String userId, long upToSeq, Instant readAt) {
        // TODO(messages): each call scans the ticket's messages up to upToSeq, so its cost grows with the
        //  ticket; a per-user read watermark row would make a repeated mark cost one lookup.
        return database.inTransaction("mark messages read", handle -> handle
                .createUpdate("INSERT INTO message_reads (message_id, user_id, read_at)"
                        + " SELECT m.id, :userId, :readAt FROM messages m"
                        + " WHERE m.ticket_id = :ticketId AND m.seq <= :upToSeq"
                        + " AND (m.sender_id IS NULL OR m.sender_id <> :userId)"
                        + " ON CONFLICT DO NOTHING")
                .bind("userId", userId)
                .bind("readAt", readAt.toEpochMilli())
                .bind("ticketId", ticketId)
                .bind("upToSeq", upToSeq)
                .execute());
    }

    private static Optional<String> findIdByClientMessageId(Handle handle, NewMessage message) {
        return handle.createQuery("SELECT id FROM messages WHERE ticket_id = :ticketId AND sender_id = :senderId"
                        + " AND client_message_id = :clientMessageId")
                .bind("ticketId", message.ticketId())
                .bind("senderId", message.senderId())
                .bind("clientMessageId", message.clientMessageId())
                .mapTo(String.class)
                .findOne();
    }

    /**
     * Returns the ticket's last message sequence number and, on PostgreSQL, locks its row until the transaction
     * ends. SQLite needs no row lock because every transaction there starts with {@code BEGIN IMMEDIATE} and so
     * holds the write lock.
     */
    private long lockLastSeq(Handle handle, String ticketId) {
        String lock = database.isSqlite() ? "" : " FOR UPDATE";
        return handle.createQuery("SELECT last_message_seq FROM tickets WHERE id = :ticketId" + lock)
                .bind("ticketId", ticketId)
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> new IllegalStateException(
                        "ticket " + ticketId + " disappeared while storing a message"));
    }

    private static void moveLastMessage(Handle handle, String ticketId, long seq, Instant activityAt) {
        handle.createUpdate("UPDATE tickets SET last_message_seq = :seq, last_activity_at = :activityAt"
                        + " WHERE id = :ticketId")
                .bind("seq", seq)
                .bind("activityAt", activityAt.toEpochMilli())
                .bind("ticketId", ticketId)
                .execute();
    }

    private static void insert(Handle handle, NewMessage message, long seq) {
        handle.createUpdate("INSERT INTO messages (id, ticket_id, seq, sender_id, content, message_type,"
                        + " attachments, client_message_id, created_at) VALUES (:id, :ticketId, :seq, :senderId,"
                        + " :content, :messageType, :attachments, :clientMessageId, :createdAt)")
                .bind("id", message.id())
                .bind("ticketId", message.ticketId())
                .bind("seq", seq)
                .bind("senderId", message.senderId())
                .bind("content", message.content())
                .bind("messageType", message.messageType())
                .bind("attachments", attachmentsToJson(message.attachments()))
                .bind("clientMessageId", message.clientMessageId())
                .bind("createdAt", message.createdAt().toEpochMilli())
                .execute();
    }

    private static List<Message> withReceipts(Handle handle, List<Message> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        List<ReceiptRow> rows = handle.createQuery("SELECT message_id, user_id, read_at FROM message_reads"
                        + " WHERE message_id IN (<ids>) ORDER BY read_at, user_id")
                .bindList("ids", messages.stream().map(Message::id).toList())
                .map((rs, ctx) -> new ReceiptRow(
                        rs.getString("message_id"),
                        new ReadReceipt(rs.getString("user_id"), Instant.ofEpochMilli(rs.getLong("read_at")))))
                .list();
        Map<String, List<ReadReceipt>> receipts = new HashMap<>();
        for (ReceiptRow row : rows) {
            receipts.computeIfAbsent(row.messageId(), id -> new ArrayList<>()).add(row.receipt());
        }
        List<Message> result = new ArrayList<>(messages.size());
        for (Message m : messages) {
            result.add(new Message(m.id(), m.ticketId(), m.sender(), m.content(), m.messageType(), m.attachments(),
                    m.createdAt(), receipts.getOrDefault(m.id(), List.of()), m.clientMessageId()));
        }
        return result;
    }

    private static Message mapMessage(ResultSet rs) throws SQLException {
        String senderId = rs.getString("sender_id");
        Sender sender = senderId == null
                ? Sender.SYSTEM
                : new Sender(senderId, rs.getString("sender_name"), rs.getString("sender_role"));
        return new Message(
                rs.getString("id"),
                rs.getString("ticket_id"),
                sender,
                rs.getString("content"),
                rs.getString("message_type"),
                attachmentsFromJson(rs.getString("attachments")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                List.of(),
                rs.getString("client_message_id"));
    }

    private static String attachmentsToJson(List<Attachment> attachments) {
        ArrayNode array = JSON.createArrayNode();
        for (Attachment attachment : attachments) {
            array.addObject()
                    .put("url", attachment.url())
                    .put("name", attachment.name())
                    .put("size", attachment.size())
                    .put("mimeType", attachment.mimeType());
        }
        return array.toString();
    }

    private static List<Attachment> attachmentsFromJson(String json) throws SQLException {
        try {
            List<Attachment> attachments = new ArrayList<>();
            for (JsonNode node : JSON.readTree(json)) {
                JsonNode size = node.get("size");
                attachments.add(new Attachment(
                        node.get("url").textValue(),
                        node.get("name").textValue(),
                        size == null || size.isNull() ? null : size.longValue(),
                        node.path("mimeType").textValue()));
            }
            return attachments;
        } catch (JsonProcessingException e) {
            throw new SQLException("attachments column does not hold a JSON array", e);
        }
    }

    private record ReceiptRow(String messageId, ReadReceipt receipt) {
    }
}
