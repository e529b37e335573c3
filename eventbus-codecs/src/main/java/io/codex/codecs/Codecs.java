package io.codex.codecs;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/** Registers the Codex codecs on a Vert.x instance. */
public final class Codecs {

  private static final String GUARD_MAP = "codex.codecs";
  private static final String GUARD_KEY = "registered";

  private Codecs() {
  }

  /** One instance of every codec of this module. */
  public static List<MessageCodec<?, ?>> all() {
    return List.of(new TelemetryRecordCodec(), new DeviceChangeCodec());
  }

  /**
   * Registers every codec as the default codec of its record class. Idempotent per Vert.x instance,
   * because several verticles may each call it at start and the event bus throws on a second registration.
   */
  public static void registerAll(Vertx vertx) {
    if (vertx.sharedData().getLocalMap(GUARD_MAP).putIfAbsent(GUARD_KEY, Boolean.TRUE) != null) {
      return;
    }
    EventBus bus = vertx.eventBus();
    bus.registerDefaultCodec(TelemetryRecord.class, new TelemetryRecordCodec());
    bus.registerDefaultCodec(DeviceChange.class, new DeviceChangeCodec());
  }
}
