package io.codex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchCommandTest {
  @Test
  void aTargetIsASchemeAHostAndAPort() {
    assertThat(BenchCommand.endpoint("--url", "http://node-1:8080", "http", 80)).hasToString("http://node-1:8080");
    assertThat(BenchCommand.endpoint("--url", "http://node-1/", "http", 80)).hasToString("http://node-1:80");
    assertThat(BenchCommand.endpoint("--mqtt-url", "tcp://10.0.0.7", "tcp", 1883)).hasToString("tcp://10.0.0.7:1883");
    assertThat(BenchCommand.endpoint("--mqtt-url", "mqtt://broker:1884", "tcp", 1883)).hasToString("tcp://broker:1884");
  }

  @Test
  void anythingElseIsRefusedNamingTheOption() {
    for (String bad : new String[] {"https://node-1:8443", "node-1:8080", "http://node-1:8080/api", "http://:8080", "http://node-1?x=1"}) {
      assertThatThrownBy(() -> BenchCommand.endpoint("--url", bad, "http", 80)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--url: ");
    }
    assertThatThrownBy(() -> BenchCommand.endpoint("--mqtt-url", "ssl://broker:8883", "tcp", 1883))
        .hasMessageContaining("expected tcp://host[:port]");
  }
}
