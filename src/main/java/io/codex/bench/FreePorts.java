package io.codex.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for servers this process starts (bench nodes, test nodes): free when asked, and never the
 * same one twice in one JVM. The kernel may hand out a port just released again, and two servers
 * of one Vert.x instance on the same port share it (connections to the HTTP port would reach the
 * MQTT server).
 */
public final class FreePorts {
  private static final Set<Integer> ISSUED = ConcurrentHashMap.newKeySet();

  private FreePorts() {
  }

  /** A port nothing listens on, different from every other port this method returned. */
  public static int next() throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (ISSUED.add(s.getLocalPort())) return s.getLocalPort();
      }
    }
    throw new IOException("no free port that was not handed out already");
  }
}
