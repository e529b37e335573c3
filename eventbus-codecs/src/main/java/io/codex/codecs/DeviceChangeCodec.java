package io.codex.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/** Wire format v1 of {@link DeviceChange}; the kind travels by name so that reordering the enum stays compatible. */
public final class DeviceChangeCodec implements MessageCodec<DeviceChange, DeviceChange> {

  public static final String NAME = "codex.device-change.v1";

  @Override
  public void encodeToWire(Buffer b, DeviceChange c) {
    Wire.writeString(b, c.deviceId());
    Wire.writeString(b, c.kind() == null ? null : c.kind().name());
    b.appendByte((byte) (c.gateway() ? 1 : 0));
    b.appendInt(c.devices().size());
    for (String d : c.devices()) {
      Wire.writeString(b, d);
    }
  }

  @Override
  public DeviceChange decodeFromWire(int pos, Buffer b) {
    Wire.Reader in = Wire.reader(b, pos);
    String deviceId = in.string();
    String kind = in.string();
    boolean gateway = in.bool();
    int n = in.int32();
    List<String> devices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      devices.add(in.string());
    }
    return new DeviceChange(deviceId, kind == null ? null : DeviceChange.Kind.valueOf(kind), gateway, devices);
  }

  @Override
  public DeviceChange transform(DeviceChange c) {
    return c; // immutable, safe to share between local consumers
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
