package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends every malformed payload of the four chat events through the official JavaScript client and checks
 * the contract's answer: the exact error code in the acknowledgement, or an {@code error} event without one,
 * nothing stored or broadcast, and a connection that still serves the next valid event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedEventTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String UNKNOWN_TICKET = "00000000-0000-0000-0000-000000000000";
    private static final String GRINNING_FACE = "\uD83D\uDE00";

    @TempDir
    static Path dataDir;

    private TestServer server;
    private NodeClientDriver node;
    private String customerToken;
    private String ticketId;
    private String otherTicketMessageId;
    private String limitsToken;
    private String limitsTicketId;
    private JsSocket sender;
    private JsSocket observer;
    private final AtomicInteger barrierCount = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        // Hundreds of events on one connection: the rate limit has its own tests.
        server = TestServer.start(dataDir, LimitsConfig.defaults().withEventRate(100_000, 100_000));
        node = NodeClientDriver.start();
        customerToken = TestServer.token("customer-1", "customer", "Ada");
        ticketId = openTicket(customerToken);
        String otherToken = TestServer.token("customer-2", "customer", "Bob");
        String otherTicketId = openTicket(otherToken);
        TestServer.Response sent = server.post("/api/tickets/" + otherTicketId + "/messages", otherToken,
                Map.of("content", "in another ticket"));
        otherTicketMessageId = sent.body().path("message").path("_id").asText();

        limitsToken = TestServer.token("customer-3", "customer", "Lin");
        limitsTicketId = openTicket(limitsToken);
        for (int i = 0; i < 7; i++) {
            server.post("/api/tickets/" + limitsTicketId + "/messages", limitsToken, Map.of("content", "m" + i));
        }

        sender = connect(customerToken);
        observer = connect(TestServer.token("agent-1", "agent", "Grace"));
        assertThat(observer.emitWithAck("join_ticket", ticketId).get(10, TimeUnit.SECONDS).get(0).path("ok")
                .asBoolean()).isTrue();
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String openTicket(String token) throws Exception {
        TestServer.Response opened = server.post("/api/tickets", token,
                Map.of("subject", "Printer on fire", "description", "It smells of toast"));
        assertThat(opened.status()).isEqualTo(201);
        return opened.body().path("ticket").path("id").asText();
    }

    private JsSocket connect(String token) {
        JsSocket socket = node.connect(server.baseUrl() + "/",
                JsSocket.options().websocketOnly().auth(Map.of("token", token)));
        socket.awaitConnected();
        return socket;
    }

    /** A malformed call: the event, its arguments before the acknowledgement, and the expected error code. */
    record Case(String event, List<Object> args, String code) {
        @Override
        public String toString() {
            String shown = String.valueOf(args);
            return event + " " + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown) + " -> " + code;
        }
    }

    Stream<Arguments> malformedCases() {
        List<Case> cases = new ArrayList<>();
        for (String event : List.of("join_ticket", "leave_ticket", "get_ticket_messages")) {
            cases.add(new Case(event, List.of(), "invalid_request"));
            for (Object payload : idPayloadsOfWrongShape()) {
                cases.add(new Case(event, Collections.singletonList(payload), "invalid_request"));
            }
        }
        cases.add(new Case("join_ticket", List.of(UNKNOWN_TICKET), "ticket_not_found"));
        cases.add(new Case("join_ticket", List.of(Map.of("ticketId", UNKNOWN_TICKET)), "ticket_not_found"));
        cases.add(new Case("get_ticket_messages", List.of(UNKNOWN_TICKET), "ticket_not_found"));
        cases.add(new Case("get_ticket_messages", List.of(history(Map.of("before", 5))), "invalid_request"));
        cases.add(new Case("get_ticket_messages", List.of(history(Map.of("before", List.of()))), "invalid_request"));
        cases.add(new Case("get_ticket_messages", List.of(history(Map.of("before", "no-such-message"))),
                "invalid_request"));
        cases.add(new Case("get_ticket_messages", List.of(history(Map.of("before", otherTicketMessageId))),
                "invalid_request"));

        cases.add(new Case("send_message", List.of(), "invalid_request"));
        for (Object payload : List.of(JsonNodeFactory.instance.nullNode(), 42, 1.5, true, false, "hello",
                List.of(), List.of(Map.of("ticketId", "x")), Map.of(), Map.of("nested", Map.of("deep", List.of(1))))) {
            cases.add(new Case("send_message", Collections.singletonList(payload), "invalid_request"));
        }
        cases.add(new Case("send_message", List.of(new byte[] {1, 2, 3}), "invalid_request"));
        for (Object ticket : wrongIds()) {
            cases.add(new Case("send_message", List.of(mapOf("ticketId", ticket, "content", "hi")), "invalid_request"));
            cases.add(new Case("send_message", List.of(mapOf("chatId", ticket, "content", "hi")), "invalid_request"));
        }
        cases.add(new Case("send_message", List.of(Map.of("content", "no ticket")), "invalid_request"));
        cases.add(new Case("send_message", List.of(Map.of("ticketId", UNKNOWN_TICKET, "content", "hi")),
                "ticket_not_found"));
        List<Object> badContents = List.of(5, true, List.of("a"), Map.of("text", "a"), "", "   ",
                "\u00A0\u2007\u202F\t\n");
        for (Object content : badContents) {
            cases.add(new Case("send_message", List.of(send(Map.of("content", content))), "invalid_request"));
        }
        cases.add(new Case("send_message", List.of(send(Map.of("content", "a\u0000b"))), "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "lone \uD800 high"))), "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "lone \uDC00 low"))), "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "x".repeat(10_001)))), "message_too_long"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", GRINNING_FACE.repeat(10_001)))),
                "message_too_long"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "x".repeat(500_000)))),
                "message_too_long"));
        for (Object type : List.of("system", "TEXT", "", 1, List.of("text"))) {
            cases.add(new Case("send_message", List.of(send(Map.of("content", "hi", "messageType", type))),
                    "invalid_request"));
        }
        for (Object attachments : badAttachments()) {
            cases.add(new Case("send_message", List.of(send(Map.of("content", "hi", "attachments", attachments))),
                    "invalid_request"));
        }
        for (Object clientMessageId : List.of(7, true, Map.of(), List.of("a"), "c".repeat(101), "a\u0000b")) {
            cases.add(new Case("send_message",
                    List.of(send(Map.of("content", "hi", "clientMessageId", clientMessageId))), "invalid_request"));
        }
        return cases.stream().map(Arguments::of);
    }

    private static List<Object> idPayloadsOfWrongShape() {
        List<Object> payloads = new ArrayList<>(wrongIds());
        payloads.add(List.of("x"));
        payloads.add(Map.of());
        payloads.add(Map.of("nested", Map.of("ticketId", "x")));
        for (Object id : wrongIds()) {
            payloads.add(mapOf("ticketId", id));
        }
        return payloads;
    }

    private static List<Object> wrongIds() {
        return List.of(JsonNodeFactory.instance.nullNode(), 42, -1, 1.5, true, List.of(), Map.of("id", "x"), "",
                "t".repeat(200), "a\u0000b");
    }

    private static List<Object> badAttachments() {
        Map<String, Object> ok = Map.of("url", "https://files.example/a.png");
        return List.of("https://files.example/a.png", 5, Map.of("url", "https://files.example/a.png"),
                Collections.nCopies(11, ok), List.of("https://files.example/a.png"), List.of(5),
                Collections.singletonList(JsonNodeFactory.instance.nullNode()), List.of(Map.of()),
                List.of(Map.of("url", 5)), List.of(Map.of("url", "javascript:alert(1)")),
                List.of(Map.of("url", "ftp://files.example/a.png")), List.of(Map.of("url", "files.example/a.png")),
                List.of(Map.of("url", "/a.png")), List.of(Map.of("url", "data:text/html,hi")),
                List.of(Map.of("url", "https://")), List.of(Map.of("url", "https://files.example/" + "a".repeat(3000))),
                List.of(Map.of("url", "https://files.example/a.png", "size", -1)),
                List.of(Map.of("url", "https://files.example/a.png", "size", 1.5)),
                List.of(Map.of("url", "https://files.example/a.png", "size", "10")),
                List.of(Map.of("url", "https://files.example/a.png", "name", 5)),
                List.of(Map.of("url", "https://files.example/a.png", "name", "n".repeat(256))),
                List.of(Map.of("url", "https://files.example/a.png", "mimeType", List.of())));
    }

    private Map<String, Object> history(Map<String, Object> fields) {
        Map<String, Object> payload = new HashMap<>(fields);
        payload.put("ticketId", ticketId);
        return payload;
    }

    private Map<String, Object> send(Map<String, Object> fields) {
        Map<String, Object> payload = new HashMap<>(fields);
        payload.put("ticketId", ticketId);
        return payload;
    }

    private static Map<String, Object> mapOf(String key, Object value, Object... more) {
        Map<String, Object> map = new HashMap<>();
        map.put(key, value);
        for (int i = 0; i < more.length; i += 2) {
            map.put((String) more[i], more[i + 1]);
        }
        return map;
    }

    @ParameterizedTest
    @MethodSource("malformedCases")
    void rejectsMalformedPayloadInAcknowledgement(Case call) throws Exception {
        String newestBefore = newestMessageId();
        int broadcastBefore = observer.events("new_message").size();

        JsonNode reply = sender.emitWithAck(call.event(), call.args().toArray()).get(10, TimeUnit.SECONDS);

        assertThat(reply).hasSize(1);
        assertThat(reply.get(0).path("ok").asBoolean(true)).isFalse();
        assertThat(reply.get(0).path("error").path("code").asText()).isEqualTo(call.code());
        assertThat(reply.get(0).path("error").path("message").asText()).isNotBlank();
        assertNothingLeaked(reply.get(0).toString());
        assertValidEventStillWorks(call.event());
        assertOnlyValidMessagesStoredAndBroadcast(call.event(), newestBefore, broadcastBefore);
    }

    /** One case of each kind from the table, so the event path is covered without repeating every payload. */
    Stream<Arguments> malformedCasesWithoutAcknowledgement() {
        List<Case> cases = new ArrayList<>();
        for (String event : List.of("join_ticket", "leave_ticket", "get_ticket_messages", "send_message")) {
            cases.add(new Case(event, List.of(), "invalid_request"));
            cases.add(new Case(event, Collections.singletonList(JsonNodeFactory.instance.nullNode()),
                    "invalid_request"));
            cases.add(new Case(event, List.of(42), "invalid_request"));
            cases.add(new Case(event, List.of(Map.of("ticketId", List.of())), "invalid_request"));
            cases.add(new Case(event, List.of(Map.of("ticketId", "a\u0000b", "content", "hi")), "invalid_request"));
        }
        cases.add(new Case("join_ticket", List.of(UNKNOWN_TICKET), "ticket_not_found"));
        cases.add(new Case("get_ticket_messages", List.of(UNKNOWN_TICKET), "ticket_not_found"));
        cases.add(new Case("get_ticket_messages", List.of(history(Map.of("before", otherTicketMessageId))),
                "invalid_request"));
        cases.add(new Case("send_message", List.of(Map.of("ticketId", UNKNOWN_TICKET, "content", "hi")),
                "ticket_not_found"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", GRINNING_FACE.repeat(10_001)))),
                "message_too_long"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "lone \uD800 high"))), "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "hi", "messageType", "system"))),
                "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "hi", "attachments",
                Collections.nCopies(11, Map.of("url", "https://files.example/a.png"))))), "invalid_request"));
        cases.add(new Case("send_message", List.of(send(Map.of("content", "hi", "attachments",
                List.of(Map.of("url", "javascript:alert(1)"))))), "invalid_request"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("malformedCasesWithoutAcknowledgement")
    void rejectsMalformedPayloadWithErrorEventWithoutAcknowledgement(Case call) throws Exception {
        String newestBefore = newestMessageId();
        int broadcastBefore = observer.events("new_message").size();
        int errorsBefore = sender.events("error").size();
        int historiesBefore = sender.events("ticket_messages").size();

        sender.emit(call.event(), call.args().toArray());

        awaitQuickly(() -> sender.events("error").size() > errorsBefore);
        List<JsonNode> errors = sender.events("error");
        assertThat(errors).hasSize(errorsBefore + 1);
        assertThat(errors.get(errorsBefore).get(0).path("code").asText()).isEqualTo(call.code());
        assertNothingLeaked(errors.get(errorsBefore).toString());
        if (call.event().equals("get_ticket_messages")) {
            awaitQuickly(() -> sender.events("ticket_messages").size() > historiesBefore);
            JsonNode emptyHistory = sender.events("ticket_messages").get(historiesBefore);
            assertThat(emptyHistory.get(0).isArray()).isTrue();
            assertThat(emptyHistory.get(0)).isEmpty();
        }
        assertValidEventStillWorks(call.event());
        assertOnlyValidMessagesStoredAndBroadcast(call.event(), newestBefore, broadcastBefore);
    }

    @Test
    void acceptsTenThousandEmojiAsTenThousandCharacters() throws Exception {
        String content = GRINNING_FACE.repeat(10_000);

        JsonNode reply = sender.emitWithAck("send_message", send(Map.of("content", content)))
                .get(10, TimeUnit.SECONDS).get(0);

        assertThat(reply.path("ok").asBoolean()).isTrue();
        String id = reply.path("message").path("_id").asText();
        awaitQuickly(() -> observer.events("new_message").stream()
                .anyMatch(args -> args.get(0).path("_id").asText().equals(id)));
        JsonNode newest = server.get("/api/tickets/" + ticketId + "/messages?limit=1", customerToken).body();
        assertThat(newest.path("messages").get(0).path("content").asText()).isEqualTo(content);
    }

    @ParameterizedTest
    @MethodSource("limitCases")
    void treatsJunkLimitAsDefaultAndClampsLargeOnes(Object limit, int expectedCount) throws Exception {
        JsSocket owner = connect(limitsToken);
        Map<String, Object> payload = mapOf("ticketId", limitsTicketId, "limit", limit);

        JsonNode reply = owner.emitWithAck("get_ticket_messages", payload).get(10, TimeUnit.SECONDS).get(0);

        assertThat(reply.path("ok").asBoolean()).isTrue();
        assertThat(reply.path("messages")).hasSize(expectedCount);
        assertThat(reply.path("hasMore").asBoolean()).isEqualTo(expectedCount < 7);
        owner.disconnect();
    }

    static Stream<Arguments> limitCases() {
        return Stream.of(
                Arguments.of(0, 7), Arguments.of(-1, 7), Arguments.of("abc", 7), Arguments.of(1_000_000_000, 7),
                Arguments.of(1e300, 7), Arguments.of(1.5, 7), Arguments.of("5", 5), Arguments.of(5, 5),
                Arguments.of("", 7), Arguments.of(List.of(5), 7), Arguments.of(Map.of("n", 5), 7),
                Arguments.of(true, 7), Arguments.of(JsonNodeFactory.instance.nullNode(), 7));
    }

    private List<JsonNode> newestMessages() throws Exception {
        JsonNode page = server.get("/api/tickets/" + ticketId + "/messages?limit=5", customerToken).body();
        List<JsonNode> messages = new ArrayList<>();
        page.path("messages").forEach(messages::add);
        return messages;
    }

    private String newestMessageId() throws Exception {
        List<JsonNode> messages = newestMessages();
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("_id").asText();
    }

    /** Sends a valid event of the same kind, then a valid message that every member of the room must get. */
    private void assertValidEventStillWorks(String event) throws Exception {
        Object payload = event.equals("send_message") ? send(Map.of("content", "valid follow-up")) : ticketId;
        JsonNode reply = sender.emitWithAck(event, payload).get(10, TimeUnit.SECONDS).get(0);
        assertThat(reply.path("ok").asBoolean()).as("valid %s after a malformed one: %s", event, reply).isTrue();
        String barrier = "barrier " + barrierCount.incrementAndGet();
        JsonNode sent = sender.emitWithAck("send_message", send(Map.of("content", barrier)))
                .get(10, TimeUnit.SECONDS).get(0);
        assertThat(sent.path("ok").asBoolean()).isTrue();
        awaitQuickly(() -> observer.events("new_message").stream()
                .anyMatch(args -> args.get(0).path("content").asText().equals(barrier)));
    }

    private void assertOnlyValidMessagesStoredAndBroadcast(String event, String newestBefore, int broadcastBefore)
            throws Exception {
        String barrier = "barrier " + barrierCount.get();
        List<String> expected = event.equals("send_message") ? List.of("valid follow-up", barrier) : List.of(barrier);
        List<JsonNode> broadcasts = observer.events("new_message");
        List<String> broadcastContents = new ArrayList<>();
        for (JsonNode args : broadcasts.subList(broadcastBefore, broadcasts.size())) {
            broadcastContents.add(args.get(0).path("content").asText());
        }
        List<String> storedContents = new ArrayList<>();
        List<JsonNode> newest = newestMessages();
        boolean after = newestBefore.isEmpty();
        for (JsonNode message : newest) {
            if (after) {
                storedContents.add(message.path("content").asText());
            }
            after = after || message.path("_id").asText().equals(newestBefore);
        }

        assertThat(broadcastContents).containsExactlyElementsOf(expected);
        assertThat(storedContents).containsExactlyElementsOf(expected);
    }

    private static void awaitQuickly(Callable<Boolean> condition) {
        await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(condition);
    }

    private static void assertNothingLeaked(String text) {
        assertThat(text).doesNotContain("Exception", "at io.", "SQL", "org.", "java.");
    }
}
