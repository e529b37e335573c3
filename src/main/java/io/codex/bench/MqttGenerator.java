package io.codex.bench;

import java.util.List;

/** MQTT QoS 1 load: C connections, each keeping W messages unacknowledged (the client's window). */
interface MqttGenerator {
  /**
   * @param users per connection: {username, password, topic} (username null: anonymous)
   * @param payload each message's body
   */
  LoadResult run(String name, String host, int port, int window, double seconds, List<String[]> users, String payload) throws Exception;
}
