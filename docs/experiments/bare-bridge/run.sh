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
WORK=$(mktemp -d); PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
source "$HERE/codex-nodes.sh"
javac -cp "$JAR" -d "$WORK/classes" "$HERE"/*.java "$HERE"/io/codex/bench/*.java
CP="$JAR:$WORK/classes"
HTTP_PORT=28080 java -Xmx512m -Xms64m -cp "$CP" BareBridge 21883 29092 > "$WORK/bare.log" 2>&1 & PIDS+=($!)
start_codex codex "" "$JAR" 18080 11883 39092
for _ in $(seq 60); do grep -q 'codex ready' "$WORK/codex.log" && grep -q 'bare bridge ready' "$WORK/bare.log" && break; sleep 1; done
provision codex "$JAR" 18080
echo "== MQTT QoS 1, 16 connections x window 10, turns of ${SLICE}s"
java -cp "$CP" io.codex.bench.MqttTurns "$ROUNDS" "$SLICE" "$WARM" codex:11883:"$WORK/codex.creds" bare:21883:- 2>&1 | grep -v SLF4J
echo "== HTTP, 100 records a request, ${CONNS:-64} connections, turns of ${SLICE}s"
java -cp "$CP" io.codex.bench.HttpTurns "$ROUNDS" "$SLICE" "$WARM" codex=http://127.0.0.1:18080/api/v1/telemetry="$WORK/codex.creds" \
  bare=http://127.0.0.1:28080/api/v1/telemetry=- 2>&1 | grep -v SLF4J
