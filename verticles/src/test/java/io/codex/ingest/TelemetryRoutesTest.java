package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryRoutesTest {
  @Test
  void theAcceptedBodyIsJsonWithEveryIdInRecordOrder() {
    for (int n : new int[] {1, 2, 100, 1000}) {
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        body.append(i == 0 ? "" : ",").append("{\"deviceId\":\"d-").append(i)
            .append("\",\"timestamp\":\"2026-11-25T12:00:00Z\",\"sensorType\":\"gps\",\"payload\":{}}");
      }
      List<TelemetryParser.Parsed> records = TelemetryParserTest.parse(body.append(']').toString(), false);
      JsonObject accepted = new JsonObject(TelemetryRoutes.accepted(records));
      assertThat(accepted.fieldNames()).containsExactly("accepted", "ids");
      assertThat(accepted.getInteger("accepted")).isEqualTo(n);
      assertThat(accepted.getJsonArray("ids").getList()).as("n=%d", n)
          .containsExactlyElementsOf(records.stream().map(TelemetryParser.Parsed::id).toList());
    }
  }
}
