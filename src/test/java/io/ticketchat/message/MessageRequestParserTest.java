package io.ticketchat.message;

import static io.ticketchat.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageRequestParserTest {
    private final MessageRequestParser parser = new MessageRequestParser(MessageLimits.DEFAULTS);

    private static ObjectNode send(String content) {
        return JsonNodeFactory.instance.objectNode().put("ticketId", "t1").put("content", content);
    }

    private static ErrorCode sendErrorCode(MessageRequestParser parser, JsonNode payload) {
        return catchThrowableOfType(ApiException.class, () -> parser.parseSend(payload)).code();
    }

    @Nested
    class History {
        @Test
        void acceptsBareTicketIdWithDefaultLimit() {
            HistoryRequest request = parser.parseHistory(json("'t1'"));

            assertThat(request).isEqualTo(new HistoryRequest("t1", 200, null));
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#limits")
        void limitIsTakenDefaultedOrClamped(String limitJson, int expected) {
            HistoryRequest request = parser.parseHistory(json("{'ticketId':'t1','limit':" + limitJson + "}"));

            assertThat(request.limit()).isEqualTo(expected);
        }

        @Test
        void customLimitsApply() {
            MessageRequestParser custom = new MessageRequestParser(new MessageLimits(20, 50, 100, 2));

            assertThat(custom.parseHistory(json("'t1'")).limit()).isEqualTo(20);
            assertThat(custom.parseHistory(json("{'ticketId':'t1','limit':70}")).limit()).isEqualTo(50);
        }

        @Test
        void keepsBeforeAndTreatsEmptyAsAbsent() {
            assertThat(parser.parseHistory(json("{'ticketId':'t1','before':'m9'}")).beforeMessageId())
                    .isEqualTo("m9");
            assertThat(parser.parseHistory(json("{'ticketId':'t1','before':''}")).beforeMessageId()).isNull();
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#malformedHistory")
        void malformedPayloadIsInvalidRequest(String payload) {
            JsonNode node = payload == null ? null : json(payload);

            ApiException error = catchThrowableOfType(ApiException.class, () -> parser.parseHistory(node));

            assertThat(error).as(String.valueOf(payload)).isNotNull();
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void restParametersFollowTheSameRules() {
            assertThat(parser.parseHistory("t1", "25", null)).isEqualTo(new HistoryRequest("t1", 25, null));
            assertThat(parser.parseHistory("t1", "abc", "m1")).isEqualTo(new HistoryRequest("t1", 200, "m1"));
            assertThatThrownBy(() -> parser.parseHistory(null, null, null)).isInstanceOf(ApiException.class);
        }
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("50", 50),
                Arguments.of("'50'", 50),
                Arguments.of("'007'", 7),
                Arguments.of("1", 1),
                Arguments.of("200", 200),
                Arguments.of("201", 200),
                Arguments.of("99999999999999999999", 200),
                Arguments.of("'99999999999999999999'", 200),
                Arguments.of("0", 200),
                Arguments.of("-5", 200),
                Arguments.of("'-5'", 200),
                Arguments.of("2.5", 200),
                Arguments.of("'2.5'", 200),
                Arguments.of("' 5'", 200),
                Arguments.of("'abc'", 200),
                Arguments.of("''", 200),
                Arguments.of("true", 200),
                Arguments.of("null", 200),
                Arguments.of("[5]", 200),
                Arguments.of("{'n':5}", 200));
    }

    static Stream<String> malformedHistory() {
        return Stream.of(
                null,
                "null",
                "42",
                "true",
                "[]",
                "['t1']",
                "''",
                "{}",
                "{'ticketId':null}",
                "{'ticketId':42}",
                "{'ticketId':['t1']}",
                "{'ticketId':{'id':'t1'}}",
                "{'ticketId':''}",
                "{'ticketId':'" + "x".repeat(129) + "'}",
                "{'ticketId':'t1','before':42}",
                "{'ticketId':'t1','before':{'id':'m1'}}",
                "{'ticketId':'t1','before':['m1']}");
    }

    @Nested
    class Send {
        @Test
        void acceptsMinimalTextMessage() {
            SendRequest request = parser.parseSend(send("hello"));

            assertThat(request.ticketId()).isEqualTo("t1");
            assertThat(request.content()).isEqualTo("hello");
            assertThat(request.messageType()).isEqualTo("text");
            assertThat(request.attachments()).isEmpty();
            assertThat(request.clientMessageId()).isNull();
        }

        @Test
        void acceptsChatIdInPlaceOfTicketId() {
            SendRequest request = parser.parseSend(json("{'chatId':'c7','content':'hi'}"));

            assertThat(request.ticketId()).isEqualTo("c7");
        }

        @Test
        void prefersTicketIdOverChatId() {
            SendRequest request = parser.parseSend(json("{'ticketId':'t1','chatId':'c7','content':'hi'}"));

            assertThat(request.ticketId()).isEqualTo("t1");
        }

        @Test
        void countsCodePointsSoEmojiCountOnce() {
            String emoji = "\uD83D\uDE00";

            assertThat(parser.parseSend(send(emoji.repeat(10_000))).content()).hasSize(20_000);
            assertThat(sendErrorCode(parser, send(emoji.repeat(10_001)))).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
        }

        @Test
        void rejectsContentOverLimitWithContractMessage() {
            ApiException error = catchThrowableOfType(ApiException.class,
                    () -> parser.parseSend(send("a".repeat(10_001))));

            assertThat(error.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
            assertThat(error.clientMessage()).isEqualTo("Message too long (max 10000 characters)");
        }

        @Test
        void acceptsContentExactlyAtLimit() {
            assertThat(parser.parseSend(send("a".repeat(10_000))).content()).hasSize(10_000);
        }

        @Test
        void configuredLimitAppearsInMessage() {
            MessageRequestParser custom = new MessageRequestParser(new MessageLimits(200, 200, 5, 10));

            ApiException error = catchThrowableOfType(ApiException.class, () -> custom.parseSend(send("abcdef")));

            assertThat(error.clientMessage()).isEqualTo("Message too long (max 5 characters)");
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#unstorableContent")
        void rejectsUnstorableText(String content) {
            assertThat(sendErrorCode(parser, send(content))).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#blankContent")
        void rejectsBlankContentWithoutAttachment(String content) {
            assertThat(sendErrorCode(parser, send(content))).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#blankContent")
        void acceptsBlankContentWithAttachment(String content) {
            ObjectNode payload = send(content);
            payload.putArray("attachments").addObject().put("url", "https://files.example.com/a.png");

            assertThat(parser.parseSend(payload).content()).isEqualTo(content);
        }

        @Test
        void acceptsMissingContentWithAttachment() {
            SendRequest request = parser.parseSend(json(
                    "{'ticketId':'t1','messageType':'image','attachments':[{'url':'http://x.example/p.png'}]}"));

            assertThat(request.content()).isEmpty();
            assertThat(request.messageType()).isEqualTo("image");
        }

        @Test
        void acceptsZeroWidthSpaceAsContent() {
            assertThat(parser.parseSend(send("\u200B")).content()).isEqualTo("\u200B");
        }

        @Test
        void keepsAttachmentFieldsAndDefaultsName() {
            SendRequest request = parser.parseSend(json("{'ticketId':'t1','content':'see','attachments':["
                    + "{'url':'https://files.example.com/docs/report%20v2.pdf?x=1','size':1234,"
                    + "'mimeType':'application/pdf'},"
                    + "{'url':'HTTP://files.example.com/','name':'given.txt','size':0,'mimeType':null}]}"));

            assertThat(request.attachments()).containsExactly(
                    new Attachment("https://files.example.com/docs/report%20v2.pdf?x=1", "report v2.pdf", 1234L,
                            "application/pdf"),
                    new Attachment("HTTP://files.example.com/", "given.txt", 0L, null));
        }

        @Test
        void attachmentNameErrorsNameTheirCause() {
            ObjectNode withNul = send("see");
            withNul.putArray("attachments").addObject().put("url", "https://files.example.com/a")
                    .put("name", "a\u0000b");
            ObjectNode tooLong = send("see");
            tooLong.putArray("attachments").addObject().put("url", "https://files.example.com/a")
                    .put("name", "n".repeat(256));

            ApiException nul = catchThrowableOfType(ApiException.class, () -> parser.parseSend(withNul));
            ApiException length = catchThrowableOfType(ApiException.class, () -> parser.parseSend(tooLong));

            assertThat(nul.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(nul.getMessage()).contains("attachments[0].name").contains("NUL");
            assertThat(length.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(length.getMessage()).contains("attachments[0].name").contains("at most 255 characters");
        }

        @Test
        void namesAttachmentAfterHostWhenPathIsEmpty() {
            SendRequest request = parser.parseSend(json(
                    "{'ticketId':'t1','content':'x','attachments':[{'url':'https://files.example.com'}]}"));

            assertThat(request.attachments().get(0).name()).isEqualTo("files.example.com");
        }

        @Test
        void acceptsTenAttachmentsAndRejectsEleven() {
            ObjectNode payload = send("files");
            ArrayNode attachments = payload.putArray("attachments");
            for (int i = 0; i < 10; i++) {
                attachments.addObject().put("url", "https://files.example.com/" + i);
            }

            assertThat(parser.parseSend(payload).attachments()).hasSize(10);
            attachments.addObject().put("url", "https://files.example.com/10");
            assertThat(sendErrorCode(parser, payload)).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void keepsClientMessageId() {
            assertThat(parser.parseSend(json("{'ticketId':'t1','content':'a','clientMessageId':'c-1'}"))
                    .clientMessageId()).isEqualTo("c-1");
        }

        @Test
        void emptyClientMessageIdIsAbsent() {
            assertThat(parser.parseSend(json("{'ticketId':'t1','content':'a','clientMessageId':''}"))
                    .clientMessageId()).isNull();
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.message.MessageRequestParserTest#malformedSend")
        void malformedPayloadIsInvalidRequest(String payload) {
            JsonNode node = payload == null ? NullNode.instance : json(payload);

            assertThat(sendErrorCode(parser, node)).as(String.valueOf(payload)).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void nullPayloadIsInvalidRequest() {
            assertThat(sendErrorCode(parser, null)).isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    static Stream<String> unstorableContent() {
        return Stream.of("a\u0000b", "\u0000", "lone \uD83D high", "lone \uDE00 low", "ends with \uD83D",
                "\uDE00\uD83D");
    }

    static Stream<String> blankContent() {
        return Stream.of("", " ", "\t\n\r", "\u00A0", " \u00A0 ", "\u2007\u202F\u3000", "\u2028\u2029\u0085",
                "\u000B\u000C");
    }

    static Stream<String> malformedSend() {
        String url = "'url':'https://f.example.com/a'";
        return Stream.of(
                "'t1'",
                "42",
                "[]",
                "{'content':'hi'}",
                "{'ticketId':42,'content':'hi'}",
                "{'ticketId':'','content':'hi'}",
                "{'ticketId':{'x':1},'content':'hi'}",
                "{'chatId':['t1'],'content':'hi'}",
                "{'ticketId':'t1','content':42}",
                "{'ticketId':'t1','content':{'text':'hi'}}",
                "{'ticketId':'t1','content':['hi']}",
                "{'ticketId':'t1','content':true}",
                "{'ticketId':'t1','content':'hi','messageType':'system'}",
                "{'ticketId':'t1','content':'hi','messageType':'video'}",
                "{'ticketId':'t1','content':'hi','messageType':1}",
                "{'ticketId':'t1','content':'hi','attachments':{}}",
                "{'ticketId':'t1','content':'hi','attachments':'a.png'}",
                "{'ticketId':'t1','content':'hi','attachments':['https://f.example.com/a']}",
                "{'ticketId':'t1','content':'hi','attachments':[{}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':42}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':'ftp://f.example.com/a'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':'javascript:alert(1)'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':'/relative/a.png'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':'https://'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{'url':'https://f.example.com/" + "a".repeat(2100)
                        + "'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'size':-1}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'size':1.5}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'size':'10'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'size':1e30}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'size':99999999999999999999999}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'name':42}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'name':'" + "n".repeat(256) + "'}]}",
                "{'ticketId':'t1','content':'hi','attachments':[{" + url + ",'mimeType':['a']}]}",
                "{'ticketId':'t1','content':'hi','clientMessageId':42}",
                "{'ticketId':'t1','content':'hi','clientMessageId':{'id':'x'}}",
                "{'ticketId':'t1','content':'hi','clientMessageId':'" + "c".repeat(101) + "'}",
                "{'ticketId':'t1'}",
                "{'ticketId':'t1','content':null}",
                "{'ticketId':'t1','content':'hi','attachments':[]}".replace("'hi'", "'  '"));
    }
}
