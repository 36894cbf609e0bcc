package io.ticketchat.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedTextTest {
    @Test
    void payloadIsTypedUtf8() {
        SharedText shared = new SharedText("2[\"new_message\",{\"content\":\"Grüße 😀\"}]");

        ByteBuf payload = shared.webSocketPayload();

        assertThat(payload.toString(StandardCharsets.UTF_8))
                .isEqualTo("42[\"new_message\",{\"content\":\"Grüße 😀\"}]");
        assertThat(shared.text()).isEqualTo("2[\"new_message\",{\"content\":\"Grüße 😀\"}]");
    }

    @Test
    void eachPayloadHasItsOwnReadIndex() {
        SharedText shared = new SharedText("2[\"x\"]");

        ByteBuf first = shared.webSocketPayload();
        first.skipBytes(first.readableBytes());
        ByteBuf second = shared.webSocketPayload();

        assertThat(first.readableBytes()).isZero();
        assertThat(second.readableBytes()).isEqualTo(7);
    }
}
