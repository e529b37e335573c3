package io.codex.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * MQTT 3.1.1 QoS 1 load: C connections, each keeping W messages unacknowledged (the client's
 * window), optionally paced to a total rate; the same generator drives Codex and the reference
 * broker (Mosquitto).
 *
 * <p>It is to MQTT what wrk is to HTTP: non-blocking sockets shared by two threads, PUBLISH packets
 * encoded once (only the packet id changes), the PUBACKs of one read answered by one write. The
 * generator shares the machine's two cores with the broker under test, so what it spends is taken
 * from the broker: vertx-mqtt's client (a future, a map entry and a flush per message, kept as
 * {@link VertxMqttLoad}) spent about 8 µs of CPU per message, as much as Mosquitto itself; this one
 * about 2 µs against Codex. The protocol itself is checked with third-party clients elsewhere
 * (Eclipse Paho and mosquitto_pub in MqttIngestIT).
 */
final class MqttLoad implements MqttGenerator {
  private static final long PING_EVERY_NANOS = 20_000_000_000L;
  private static final int KEEP_ALIVE_SECONDS = 60;

  /** One connection: its socket, the PUBLISH template, the send time of each packet id in flight. */
  private static final class Conn {
    final SocketChannel ch;
    final SelectionKey key;
    final byte[] prefix; // fixed header, remaining length, topic
    final byte[] payload;
    final int window;
    final ByteBuffer out;
    final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
    final long[] sentAt = new long[1 << 16];
    int nextId = 1;
    int outstanding;
    long lastPing;
    boolean dead;

    Conn(SocketChannel ch, SelectionKey key, byte[] prefix, byte[] payload, int window) {
      this.ch = ch;
      this.key = key;
      this.prefix = prefix;
      this.payload = payload;
      this.window = window;
      this.out = ByteBuffer.allocateDirect(window * (prefix.length + 2 + payload.length) + 64);
    }
  }

  private final int threads;
  /** Messages per second for all connections together; 0: as fast as the windows allow. */
  private final double rate;

  /** @param threads generator threads, the connections shared among them */
  MqttLoad(int threads, double rate) {
    this.threads = threads;
    this.rate = rate;
  }

  /** A thread's send budget when the load is paced: what it may have sent by now. */
  private static final class Pace {
    final long t0;
    final double perNano; // 0: unpaced
    long sent;

    Pace(long t0, double perSecond) {
      this.t0 = t0;
      this.perNano = perSecond / 1e9;
    }

    boolean mayOpen(long now) {
      return perNano == 0 || sent < (now - t0) * perNano;
    }
  }

  @Override
  public LoadResult run(String name, String host, int port, int window, double seconds, List<String[]> users, String payload) throws Exception {
    Latencies lat = new Latencies();
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    List<Selector> selectors = new ArrayList<>();
    List<List<Conn>> groups = new ArrayList<>();
    try {
      for (int t = 0; t < Math.min(threads, users.size()); t++) {
        selectors.add(Selector.open());
        groups.add(new ArrayList<>());
      }
      for (int i = 0; i < users.size(); i++) {
        groups.get(i % groups.size()).add(connect(selectors.get(i % groups.size()), host, port, users.get(i), body, window));
      }
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      List<CompletableFuture<long[]>> workers = new ArrayList<>();
      for (int t = 0; t < groups.size(); t++) {
        Selector sel = selectors.get(t);
        List<Conn> conns = groups.get(t);
        Pace pace = new Pace(t0, rate / groups.size());
        workers.add(CompletableFuture.supplyAsync(() -> drive(sel, conns, pace, end, lat), runnable -> {
          Thread th = new Thread(runnable, "mqtt-load");
          th.setDaemon(true);
          th.start();
        }));
      }
      long acked = 0;
      long errors = 0;
      for (CompletableFuture<long[]> w : workers) {
        long[] r = w.get();
        acked += r[0];
        errors += r[1];
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      String shape = "c=" + users.size() + " window=" + window + (rate > 0 ? String.format(" @%,.0f/s", rate) : "");
      return new LoadResult(name, shape, acked, errors, elapsed, lat);
    } finally {
      for (List<Conn> g : groups) {
        for (Conn c : g) {
          try {
            if (!c.dead) c.ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xe0, 0})); // DISCONNECT
            c.ch.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      }
      for (Selector sel : selectors) sel.close();
    }
  }

  /** One generator thread's loop over its connections until {@code end}, then their last acks: {acked, errors}. */
  private static long[] drive(Selector selector, List<Conn> conns, Pace pace, long end, Latencies lat) {
    long t0 = pace.t0;
    long acked = 0;
    long errors = 0;
    long giveUp = end + 60_000_000_000L;
    for (Conn c : conns) {
      c.lastPing = t0;
      try {
        pump(c, t0, end, pace);
      } catch (IOException e) {
        c.dead = true;
        errors += c.outstanding;
      }
    }
    while (true) {
      long now = System.nanoTime();
      boolean busy = false;
      for (Conn c : conns) busy |= !c.dead && c.outstanding > 0;
      if ((now >= end && !busy) || now >= giveUp) break;
      try {
        selector.select(pace.perNano == 0 ? 10 : 1);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      now = System.nanoTime();
      for (SelectionKey k : selector.selectedKeys()) {
        Conn c = (Conn) k.attachment();
        if (c.dead) continue;
        try {
          if (k.isReadable()) {
            if (c.ch.read(c.in) < 0) throw new IOException("closed by the broker");
            c.in.flip();
            while (c.in.remaining() >= 2) {
              int type = c.in.get(c.in.position()) & 0xf0;
              int len = c.in.get(c.in.position() + 1) & 0xff; // PUBACK and PINGRESP are shorter than 128
              if (len > 127) throw new IOException("unexpected packet 0x" + Integer.toHexString(type));
              if (c.in.remaining() < 2 + len) break;
              if (type == 0x40 && len == 2) {
                int id = c.in.getShort(c.in.position() + 2) & 0xffff;
                lat.add(now - c.sentAt[id]);
                acked++;
                c.outstanding--;
              } else if (type != 0xd0) {
                throw new IOException("unexpected packet 0x" + Integer.toHexString(type));
              }
              c.in.position(c.in.position() + 2 + len);
            }
            c.in.compact();
          }
          pump(c, now, end, pace);
        } catch (IOException e) {
          errors += c.outstanding;
          c.dead = true;
          k.cancel();
        }
      }
      selector.selectedKeys().clear();
      if (pace.perNano > 0) {
        // the budget grew with time: connections with room in their window may send again
        for (Conn c : conns) {
          if (c.dead || !pace.mayOpen(now)) continue;
          try {
            pump(c, now, end, pace);
          } catch (IOException e) {
            errors += c.outstanding;
            c.dead = true;
            c.key.cancel();
          }
        }
      }
    }
    for (Conn c : conns) {
      if (!c.dead) errors += c.outstanding;
    }
    return new long[] {acked, errors};
  }

  /** Fills the connection's window (until {@code end}) and writes what the socket takes. */
  private static void pump(Conn c, long now, long end, Pace pace) throws IOException {
    while (now < end && c.outstanding < c.window && pace.mayOpen(now)) {
      pace.sent++;
      int id = c.nextId;
      c.nextId = id == 0xffff ? 1 : id + 1;
      c.out.put(c.prefix).putShort((short) id).put(c.payload);
      c.sentAt[id] = now;
      c.outstanding++;
    }
    if (now - c.lastPing > PING_EVERY_NANOS) {
      c.out.put((byte) 0xc0).put((byte) 0);
      c.lastPing = now;
    }
    if (c.out.position() > 0) {
      c.out.flip();
      c.ch.write(c.out);
      c.out.compact();
    }
    int ops = c.out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    if (c.key.interestOps() != ops) c.key.interestOps(ops);
  }

  /** Connects and logs in (blocking), then hands the socket to the selector. */
  private static Conn connect(Selector selector, String host, int port, String[] user, byte[] payload, int window) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ByteBuffer connect = connectPacket("bench-" + user[2].replace('/', '-') + "-" + System.nanoTime(), user[0], user[1]);
    while (connect.hasRemaining()) ch.write(connect);
    ByteBuffer connack = ByteBuffer.allocate(4);
    while (connack.hasRemaining()) {
      if (ch.read(connack) < 0) throw new IOException("the broker closed the connection before CONNACK");
    }
    if (connack.get(0) != 0x20 || connack.get(3) != 0) {
      ch.close();
      throw new IOException("connection refused by the broker (CONNACK return code " + connack.get(3) + ") for " + user[0]);
    }
    ch.configureBlocking(false);
    SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
    Conn c = new Conn(ch, key, publishPrefix(user[2], payload.length), payload, window);
    key.attach(c);
    return c;
  }

  /** MQTT 3.1.1 CONNECT, clean session, keep-alive 60 s, with username and password when given. */
  static ByteBuffer connectPacket(String clientId, String username, String password) {
    ByteBuffer v = ByteBuffer.allocate(1024);
    v.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4);
    v.put((byte) (0x02 | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0))).putShort((short) KEEP_ALIVE_SECONDS);
    putString(v, clientId);
    if (username != null) putString(v, username);
    if (password != null) putString(v, password);
    v.flip();
    ByteBuffer p = ByteBuffer.allocate(v.remaining() + 5);
    p.put((byte) 0x10);
    putLength(p, v.remaining());
    p.put(v).flip();
    return p;
  }

  /** Everything of a QoS 1 PUBLISH before its packet id: fixed header 0x32, remaining length, topic. */
  static byte[] publishPrefix(String topic, int payloadLength) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer p = ByteBuffer.allocate(t.length + 8);
    p.put((byte) 0x32);
    putLength(p, 2 + t.length + 2 + payloadLength);
    p.putShort((short) t.length).put(t);
    byte[] out = new byte[p.position()];
    p.flip().get(out);
    return out;
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putShort((short) bytes.length).put(bytes);
  }

  private static void putLength(ByteBuffer b, int length) {
    do {
      int digit = length % 128;
      length /= 128;
      b.put((byte) (length > 0 ? digit | 0x80 : digit));
    } while (length > 0);
  }
}
