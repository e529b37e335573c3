package io.codex.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CodecsRegistrationTest {

  @Test
  void registerAllTwiceOnOneVertxDoesNotThrow(Vertx vertx) {
    assertThatCode(() -> {
      Codecs.registerAll(vertx);
      Codecs.registerAll(vertx);
    }).doesNotThrowAnyException();
  }

  @Test
  void telemetryRecordSentByRequestArrivesEqual(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx);
    TelemetryRecord sent = new TelemetryRecord("id", "dev", "2024-05-01T12:00:00Z", "2024-05-01T12:00:01Z",
        "temp", "{\"c\":21.5}", 1.5, 2.5, null, "corr", 0, 7L);
    vertx.eventBus().<TelemetryRecord>consumer("test.telemetry", m -> m.reply(m.body()));
    vertx.eventBus().<TelemetryRecord>request("test.telemetry", sent)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.body()).isEqualTo(sent);
          ctx.completeNow();
        })));
  }

  @Test
  void deviceChangeSentByRequestArrivesEqual(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx);
    DeviceChange sent = new DeviceChange("gw", DeviceChange.Kind.UPSERTED, true, List.of("a", "b"));
    vertx.eventBus().<DeviceChange>consumer(Addresses.DEVICES_CHANGED, m -> {
      ctx.verify(() -> assertThat(m.body()).isEqualTo(sent));
      m.reply("ok");
    });
    vertx.eventBus().request(Addresses.DEVICES_CHANGED, sent)
        .onComplete(ctx.succeeding(reply -> ctx.completeNow()));
  }
}
