#!/usr/bin/env bash
# An experiment, not part of Codex's build or tests: a Codex node, a bare Vert.x bridge (BareBridge,
# BareHttp) and Mosquitto driven in turns by the bench's own generators (docs/benchmarks.md,
# "A bare bridge for reference"). Needs src/target/codex.jar, mosquitto and wrk.
# Usage: docs/experiments/bare-bridge/run.sh [rounds] [seconds per turn] [warm-up seconds]
# Env: LINGER (the bare bridge's linger.ms, default 1); CODEX_* settings apply to the Codex node
# (e.g. CODEX_KAFKA_PRODUCER_LINGER_MS=0).
set -euo pipefail
ROUNDS=${1:-5}; SLICE=${2:-4}; WARM=${3:-60}
HERE=$(cd "$(dirname "$0")" && pwd); JAR=$(cd "$HERE/../../.." && pwd)/src/target/codex.jar
WORK=$(mktemp -d); trap 'kill ${BARE:-} ${CODEX:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
javac -cp "$JAR" -d "$WORK/classes" "$HERE"/*.java "$HERE"/io/codex/bench/*.java
CP="$JAR:$WORK/classes"
HTTP_PORT=28080 java -Xmx512m -Xms64m -cp "$CP" BareBridge 21883 29092 > "$WORK/bare.log" 2>&1 & BARE=$!
CODEX_DATA_DIR="$WORK/codex" CODEX_HTTP_PORT=18080 CODEX_MQTT_PORT=11883 CODEX_KAFKA_EMBEDDED_PORT=39092 \
  CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT=39093 java -jar "$JAR" run > "$WORK/codex.log" 2>&1 & CODEX=$!
for _ in $(seq 60); do grep -q 'codex ready' "$WORK/codex.log" && grep -q 'bare bridge ready' "$WORK/bare.log" && break; sleep 1; done
ADMIN=$(CODEX_DATA_DIR="$WORK/codex" java -jar "$JAR" token --role admin 2>/dev/null)
for i in $(seq 0 15); do
  secret=$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"deviceId\":\"bench-$i\"}" localhost:18080/api/v1/devices | sed 's/.*"secret":"\([^"]*\)".*/\1/')
  echo "bench-$i $secret telemetry/bench-$i" >> "$WORK/creds"
done
echo "== MQTT QoS 1, 16 connections x window 10, turns of ${SLICE}s"
java -cp "$CP" io.codex.bench.MqttTurns "$ROUNDS" "$SLICE" "$WARM" codex:11883:"$WORK/creds" bare:21883:- 2>&1 | grep -v SLF4J
echo "== HTTP, 100 records a request, ${CONNS:-64} connections, turns of ${SLICE}s"
java -cp "$CP" io.codex.bench.HttpTurns "$ROUNDS" "$SLICE" "$WARM" codex=http://127.0.0.1:18080/api/v1/telemetry="$WORK/creds" \
  bare=http://127.0.0.1:28080/api/v1/telemetry=- 2>&1 | grep -v SLF4J
