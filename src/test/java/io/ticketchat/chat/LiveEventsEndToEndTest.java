package io.ticketchat.chat;

import static io.ticketchat.chat.LiveDesk.USER_TYPING;
import static io.ticketchat.chat.LiveDesk.awaitTypingCount;
import static io.ticketchat.chat.LiveDesk.call;
import static io.ticketchat.chat.LiveDesk.errorCodeOf;
import static io.ticketchat.chat.LiveDesk.join;
import static io.ticketchat.chat.LiveDesk.payloads;
import static io.ticketchat.chat.LiveDesk.tokenOf;
import static io.ticketchat.chat.LiveDesk.typingOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code typing}, {@code mark_read} and {@code active_users} between a customer and agents with several tabs. */
class LiveEventsEndToEndTest {
    private static final String CUSTOMER = "customer-1";

    @TempDir
    Path dataDir;

    private TestServer server;
    private NodeClientDriver node;
    private LiveDesk desk;
    private String customerToken;
    private String ticketId;

    @BeforeEach
    void start() throws Exception {
        startServer(Duration.ofSeconds(10));
    }

    private void startServer(Duration typingTimeout) throws Exception {
        stop();
        server = TestServer.start(dataDir.resolve("server-" + typingTimeout.toMillis()), LimitsConfig.defaults(),
                typingTimeout);
        node = NodeClientDriver.start();
        desk = new LiveDesk(server, node);
        customerToken = tokenOf(CUSTOMER, "customer");
        ticketId = desk.openTicket(customerToken);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
            node = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private JsSocket joinedAs(String userId, String role) throws Exception {
        JsSocket socket = desk.connectAs(userId, role);
        join(socket, ticketId);
        return socket;
    }

    private static JsonNode typing(JsSocket socket, Object ticketId, boolean isTyping) throws Exception {
        JsonNode reply = call(socket, "typing", Map.of("ticketId", ticketId, "isTyping", isTyping));
        assertThat(reply.path("ok").asBoolean()).as("typing reply %s", reply).isTrue();
        return reply;
    }

    private static JsonNode send(JsSocket socket, String ticketId, String content) throws Exception {
        JsonNode reply = call(socket, "send_message", Map.of("ticketId", ticketId, "content", content));
        assertThat(reply.path("ok").asBoolean()).as("send reply %s", reply).isTrue();
        return reply.path("message");
    }

    private static JsonNode history(JsSocket socket, String ticketId) throws Exception {
        JsonNode reply = call(socket, "get_ticket_messages", Map.of("ticketId", ticketId));
        assertThat(reply.path("ok").asBoolean()).as("history reply %s", reply).isTrue();
        return reply.path("messages");
    }

    @Nested
    class Typing {
        @Test
        void relaysToRoomExceptOwnTabs() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket firstTab = joinedAs("agent-1", "agent");
            JsSocket secondTab = joinedAs("agent-1", "agent");
            JsSocket colleague = joinedAs("agent-2", "agent");

            typing(firstTab, ticketId, true);
            awaitTypingCount(customer, "agent-1", 1);
            typing(firstTab, ticketId, true);
            typing(secondTab, ticketId, true);
            typing(secondTab, ticketId, false);
            typing(firstTab, ticketId, false);
            awaitTypingCount(customer, "agent-1", 2);
            typing(colleague, ticketId, true);
            for (JsSocket socket : List.of(customer, firstTab, secondTab)) {
                awaitTypingCount(socket, "agent-2", 1);
            }

            assertThat(typingOf(customer, "agent-1")).containsExactly(true, false);
            assertThat(typingOf(colleague, "agent-1")).containsExactly(true, false);
            assertThat(typingOf(firstTab, "agent-1")).isEmpty();
            assertThat(typingOf(secondTab, "agent-1")).isEmpty();
            assertThat(typingOf(colleague, "agent-2")).isEmpty();
            JsonNode started = payloads(customer, USER_TYPING).get(0);
            assertThat(started.path("ticketId").asText()).isEqualTo(ticketId);
            assertThat(started.path("userName").asText()).isEqualTo("Name of agent-1");
            assertThat(history(customer, ticketId)).isEmpty();
        }

        @Test
        void closingTypistsConnectionSendsStop() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket typist = joinedAs("agent-1", "agent");
            JsSocket colleague = joinedAs("agent-2", "agent");

            typing(typist, ticketId, true);
            awaitTypingCount(customer, "agent-1", 1);
            typist.disconnect();
            awaitTypingCount(customer, "agent-1", 2);
            typing(colleague, ticketId, true);
            awaitTypingCount(customer, "agent-2", 1);

            assertThat(typingOf(customer, "agent-1")).containsExactly(true, false);
            assertThat(desk.gauge("ticketchat.typing.entries")).isEqualTo(1.0);
        }

        @Test
        void leavingTicketWhileTypingSendsStop() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket typist = joinedAs("agent-1", "agent");

            typing(typist, ticketId, true);
            awaitTypingCount(customer, "agent-1", 1);
            call(typist, "leave_ticket", Map.of("ticketId", ticketId));
            awaitTypingCount(customer, "agent-1", 2);

            assertThat(typingOf(customer, "agent-1")).containsExactly(true, false);
            assertThat(desk.gauge("ticketchat.typing.entries")).isZero();
        }

        @Test
        void timeoutSendsStopUnlessTypingIsRenewed() throws Exception {
            startServer(Duration.ofMillis(300));
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket typist = joinedAs("agent-1", "agent");

            long startedAt = System.nanoTime();
            typing(typist, ticketId, true);
            Thread.sleep(Math.max(0, 150 - (System.nanoTime() - startedAt) / 1_000_000));
            long renewedAt = System.nanoTime();
            typing(typist, ticketId, true);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> typingOf(customer, "agent-1").size() >= 2);
            long stoppedAfterMillis = (System.nanoTime() - renewedAt) / 1_000_000;
            typing(typist, ticketId, true);
            awaitTypingCount(customer, "agent-1", 3);

            assertThat(stoppedAfterMillis).as("stop must come a full timeout after the renewal")
                    .isGreaterThanOrEqualTo(300);
            assertThat(typingOf(customer, "agent-1")).containsExactly(true, false, true);
        }

        @Test
        void rejectsUnjoinedAndMalformedTyping() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket agent = desk.connectAs("agent-1", "agent");

            JsonNode notJoined = call(agent, "typing", Map.of("ticketId", ticketId, "isTyping", true));
            JsonNode unknown = call(agent, "typing", Map.of("ticketId", "no-such-ticket", "isTyping", true));
            join(agent, ticketId);
            List<Object> malformed = Arrays.asList(ticketId, Map.of("ticketId", ticketId),
                    Map.of("ticketId", ticketId, "isTyping", "yes"), Map.of("isTyping", true),
                    Map.of("ticketId", 7, "isTyping", true), List.of(ticketId, true), 42);

            assertThat(errorCodeOf(notJoined)).isEqualTo("forbidden");
            assertThat(errorCodeOf(unknown)).isEqualTo("forbidden");
            for (Object payload : malformed) {
                JsonNode reply = call(agent, "typing", payload);
                assertThat(reply.path("ok").asBoolean()).as("reply to %s", payload).isFalse();
                assertThat(errorCodeOf(reply)).as("reply to %s", payload).isEqualTo("invalid_request");
            }
            JsonNode nullReply = agent.emitWithAck("typing", (Object) null).get(10, TimeUnit.SECONDS).get(0);
            assertThat(errorCodeOf(nullReply)).isEqualTo("invalid_request");
            agent.emit("typing", Map.of("ticketId", "no-such-ticket", "isTyping", true));
            JsonNode error = agent.awaitEvent("error", args -> true).get(0);
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
            assertThat(typingOf(customer, "agent-1")).isEmpty();
            assertThat(history(customer, ticketId)).isEmpty();
        }

        @Test
        void burstOfTypingEventsIsRateLimited() throws Exception {
            JsSocket agent = joinedAs("agent-1", "agent");

            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                replies.add(agent.emitWithAck("typing", Map.of("ticketId", ticketId, "isTyping", true)));
            }
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<JsonNode> reply : replies) {
                JsonNode ack = reply.get(10, TimeUnit.SECONDS).get(0);
                outcomes.add(ack.path("ok").asBoolean() ? "ok" : errorCodeOf(ack));
            }

            int firstLimited = outcomes.indexOf("rate_limited");
            assertThat(firstLimited).as("outcomes %s", outcomes).isBetween(36, 45);
            assertThat(outcomes.subList(0, firstLimited)).containsOnly("ok");
            assertThat(outcomes.subList(firstLimited, outcomes.size())).isSubsetOf("rate_limited", "ok");
            assertThat(outcomes.stream().filter("ok"::equals).count()).isLessThanOrEqualTo(45);
        }
    }

    @Nested
    class ReadReceipts {
        @Test
        void marksReadUpToMessageOnce() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket agent = joinedAs("agent-1", "agent");
            JsonNode first = send(customer, ticketId, "first");
            JsonNode own = send(agent, ticketId, "agent's own");
            JsonNode third = send(customer, ticketId, "third");
            JsonNode fourth = send(customer, ticketId, "fourth");

            JsonNode marked = call(agent, "mark_read",
                    Map.of("ticketId", ticketId, "messageId", third.path("_id").asText()));
            JsonNode event = customer.awaitEvent("messages_read", args -> true).get(0);
            JsonNode again = call(agent, "mark_read",
                    Map.of("ticketId", ticketId, "messageId", third.path("_id").asText()));
            JsonNode earlier = call(agent, "mark_read",
                    Map.of("ticketId", ticketId, "messageId", first.path("_id").asText()));
            call(agent, "mark_read", Map.of("ticketId", ticketId, "messageId", fourth.path("_id").asText()));
            await().atMost(LiveDesk.EVENT_TIMEOUT).until(() -> customer.events("messages_read").size() >= 2
                    && agent.events("messages_read").size() >= 2);

            assertThat(marked.path("ok").asBoolean()).isTrue();
            assertThat(marked.path("upToMessageId").asText()).isEqualTo(third.path("_id").asText());
            assertThat(again.path("ok").asBoolean()).isTrue();
            assertThat(earlier.path("ok").asBoolean()).isTrue();
            assertThat(event.path("ticketId").asText()).isEqualTo(ticketId);
            assertThat(event.path("userId").asText()).isEqualTo("agent-1");
            assertThat(event.path("upToMessageId").asText()).isEqualTo(third.path("_id").asText());
            assertThat(event.path("readAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(payloads(customer, "messages_read")).extracting(read -> read.path("upToMessageId").asText())
                    .containsExactly(third.path("_id").asText(), fourth.path("_id").asText());
            assertThat(payloads(agent, "messages_read")).hasSize(2);

            JsonNode messages = history(customer, ticketId);
            assertThat(messages).hasSize(4);
            assertReadBy(messages.get(0), first, "agent-1", event.path("readAt").asText());
            assertThat(messages.get(1).path("_id").asText()).isEqualTo(own.path("_id").asText());
            assertThat(messages.get(1).path("isRead").asBoolean()).isFalse();
            assertThat(messages.get(1).path("readBy")).isEmpty();
            assertReadBy(messages.get(2), third, "agent-1", event.path("readAt").asText());
            assertThat(messages.get(3).path("isRead").asBoolean()).isTrue();
        }

        private void assertReadBy(JsonNode message, JsonNode sent, String readerId, String readAt) {
            assertThat(message.path("_id").asText()).isEqualTo(sent.path("_id").asText());
            assertThat(message.path("isRead").asBoolean()).isTrue();
            assertThat(message.path("readBy")).hasSize(1);
            assertThat(message.path("readBy").get(0).path("userId").asText()).isEqualTo(readerId);
            assertThat(message.path("readBy").get(0).path("readAt").asText()).isEqualTo(readAt);
        }

        @Test
        void rejectsMessageOutsideTicket() throws Exception {
            String otherTicket = desk.openTicket(customerToken);
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket agent = joinedAs("agent-1", "agent");
            JsonNode elsewhere = send(customer, otherTicket, "in the other ticket");

            List<Object> payloads = Arrays.asList(
                    Map.of("ticketId", ticketId, "messageId", elsewhere.path("_id").asText()),
                    Map.of("ticketId", ticketId, "messageId", "no-such-message"),
                    Map.of("ticketId", ticketId), "just a string");
            for (Object payload : payloads) {
                JsonNode reply = call(agent, "mark_read", payload);
                assertThat(reply.path("ok").asBoolean()).as("reply to %s", payload).isFalse();
                assertThat(errorCodeOf(reply)).as("reply to %s", payload).isEqualTo("invalid_request");
            }
            JsonNode fine = send(customer, ticketId, "here");
            call(agent, "mark_read", Map.of("ticketId", ticketId, "messageId", fine.path("_id").asText()));
            customer.awaitEvent("messages_read", args -> true);

            assertThat(customer.events("messages_read")).hasSize(1);
            assertThat(history(customer, otherTicket).get(0).path("readBy")).isEmpty();
        }
    }

    @Nested
    class ActiveUsers {
        @Test
        void countsUsersNotTabs() throws Exception {
            JsSocket customer = joinedAs(CUSTOMER, "customer");
            JsSocket firstTab = joinedAs("agent-1", "agent");
            JsSocket secondTab = desk.connectAs("agent-1", "agent");
            JsonNode secondJoin = join(secondTab, ticketId);

            firstTab.emitWithAck("leave_ticket", Map.of("ticketId", ticketId)).get(10, TimeUnit.SECONDS);
            secondTab.disconnect();
            awaitActiveUsersCount(customer, 3);
            JsSocket colleague = joinedAs("agent-2", "agent");
            call(colleague, "leave_ticket", ticketId);
            awaitActiveUsersCount(customer, 5);
            joinedAs("agent-3", "agent");
            awaitActiveUsersCount(customer, 6);

            assertThat(secondJoin.path("activeUsers")).hasSize(2);
            assertThat(payloads(customer, "active_users")).extracting(LiveEventsEndToEndTest::userIdsOf)
                    .containsExactly(
                            List.of(CUSTOMER),
                            List.of("agent-1", CUSTOMER),
                            List.of(CUSTOMER),
                            List.of("agent-2", CUSTOMER),
                            List.of(CUSTOMER),
                            List.of("agent-3", CUSTOMER));
        }
    }

    private static void awaitActiveUsersCount(JsSocket socket, int count) {
        await().atMost(LiveDesk.EVENT_TIMEOUT).until(() -> socket.events("active_users").size() >= count);
    }

    /** Returns the user ids of an {@code active_users} event, sorted: the list has no defined order. */
    private static List<String> userIdsOf(JsonNode activeUsers) {
        List<String> ids = new ArrayList<>();
        activeUsers.path("users").forEach(user -> ids.add(user.path("userId").asText()));
        ids.sort(null);
        return ids;
    }
}
