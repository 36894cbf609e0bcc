package io.ticketchat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class BenchPacketCodecTest {

    @Test
    void connectCarriesTokenInAuth() {
        assertThat(BenchPacketCodec.connect("abc")).isEqualTo("40{\"token\":\"abc\"}");
    }

    @Test
    void eventWithAckIdPutsIdBeforeArray() {
        String frame = BenchPacketCodec.event(12, "join_ticket",
                JsonNodeFactory.instance.objectNode().put("ticketId", "t1"));

        assertThat(frame).isEqualTo("4212[\"join_ticket\",{\"ticketId\":\"t1\"}]");
    }

    @Test
    void eventWithoutAckHasNoId() {
        String frame = BenchPacketCodec.event(-1, "typing", JsonNodeFactory.instance.booleanNode(true));

        assertThat(frame).isEqualTo("42[\"typing\",true]");
    }

    @Test
    void decodeAckReadsIdAndArguments() {
        BenchPacketCodec.Packet packet = BenchPacketCodec.decode("437[{\"ok\":true}]");

        assertThat(packet.socketType()).isEqualTo(BenchPacketCodec.SOCKET_ACK);
        assertThat(packet.ackId()).isEqualTo(7);
        assertThat(packet.data().get(0).path("ok").asBoolean()).isTrue();
    }

    @Test
    void decodeSkipsNamespace() {
        BenchPacketCodec.Packet packet = BenchPacketCodec.decode("42/admin,3[\"x\",1]");

        assertThat(packet.ackId()).isEqualTo(3);
        assertThat(packet.isEvent("x")).isTrue();
    }

    @Test
    void decodeConnectErrorKeepsMessage() {
        BenchPacketCodec.Packet packet = BenchPacketCodec.decode("44{\"message\":\"unauthorized\"}");

        assertThat(packet.socketType()).isEqualTo(BenchPacketCodec.SOCKET_CONNECT_ERROR);
        assertThat(packet.ackId()).isEqualTo(-1);
        assertThat(packet.data().path("message").asText()).isEqualTo("unauthorized");
    }

    @Test
    void decodeOpenParsesHandshake() {
        BenchPacketCodec.Packet packet = BenchPacketCodec.decode("0{\"sid\":\"s\",\"pingInterval\":25000}");

        assertThat(packet.engineType()).isEqualTo(BenchPacketCodec.ENGINE_OPEN);
        assertThat(packet.data().path("pingInterval").asInt()).isEqualTo(25000);
    }

    @Test
    void decodeRefusesBinaryAndEmpty() {
        assertThatThrownBy(() -> BenchPacketCodec.decode("451-[\"x\",{}]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchPacketCodec.decode(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timedContentRoundTripsThroughNewMessageFrame() {
        String content = BenchPacketCodec.timedContent(123456789L, 60);
        String frame = "42[\"new_message\",{\"_id\":\"m\",\"content\":\"" + content + "\",\"isRead\":false}]";

        assertThat(content).hasSize(60);
        assertThat(BenchPacketCodec.sentNanosOf(frame)).isEqualTo(123456789L);
    }

    @Test
    void sentNanosMissingIsMinusOne() {
        assertThat(BenchPacketCodec.sentNanosOf("42[\"new_message\",{\"content\":\"hi\"}]")).isEqualTo(-1);
    }
}
