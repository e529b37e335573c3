#!/usr/bin/env bash
# An experiment, not part of Codex's build or tests: two Codex nodes side by side (each its own
# embedded broker and 16 devices), driven in turns by wrk with 100 records a request, so that an
# A/B of two builds or settings sees the same moods of the machine (docs/benchmarks.md, "The live
# feed and what it costs"). Needs wrk.
# Usage: two-nodes.sh ROUNDS SECONDS_PER_TURN WARM_UP_SECONDS "ENV_A" JAR_A "ENV_B" JAR_B
#   ENV_A, ENV_B: NAME=value settings for that node, separated by ";" (a value may hold spaces)
#   e.g. two-nodes.sh 8 4 60 "X=1" src/target/codex.jar "CODEX_KAFKA_PRODUCER_LINGER_MS=0" src/target/codex.jar
# Env: CONNS (wrk connections, default 64).
set -euo pipefail
ROUNDS=$1; SLICE=$2; WARM=$3; ENV_A=$4; JAR_A=$(realpath "$5"); ENV_B=$6; JAR_B=$(realpath "$7")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d); PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
javac -cp "$JAR_A" -d "$WORK/classes" "$HERE"/io/codex/bench/*.java
start() { # name env jar http-port mqtt-port kafka-port
  local settings; IFS=';' read -r -a settings <<< "$2"
  env "${settings[@]}" CODEX_DATA_DIR="$WORK/$1" CODEX_HTTP_PORT=$4 CODEX_MQTT_PORT=$5 CODEX_KAFKA_EMBEDDED_PORT=$6 \
    CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT=$(( $6 + 1 )) java -jar "$3" run > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
start a "$ENV_A" "$JAR_A" 18080 11883 39092
start b "$ENV_B" "$JAR_B" 18081 11884 39094
for _ in $(seq 60); do grep -q 'codex ready' "$WORK/a.log" && grep -q 'codex ready' "$WORK/b.log" && break; sleep 1; done
for node in a:18080 b:18081; do
  name=${node%%:*}; port=${node##*:}
  ADMIN=$(CODEX_DATA_DIR="$WORK/$name" java -jar "$JAR_A" token --role admin 2>/dev/null)
  for i in $(seq 0 15); do
    secret=$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
      -d "{\"deviceId\":\"bench-$i\"}" "localhost:$port/api/v1/devices" | sed 's/.*"secret":"\([^"]*\)".*/\1/')
    echo "bench-$i $secret telemetry/bench-$i" >> "$WORK/$name.creds"
  done
done
steal0=$(awk '/^cpu /{print $9}' /proc/stat)
java -cp "$JAR_A:$WORK/classes" io.codex.bench.HttpTurns "$ROUNDS" "$SLICE" "$WARM" \
  A=http://127.0.0.1:18080/api/v1/telemetry="$WORK/a.creds" B=http://127.0.0.1:18081/api/v1/telemetry="$WORK/b.creds" 2>&1 | grep -v SLF4J
echo "steal: $(( $(awk '/^cpu /{print $9}' /proc/stat) - steal0 )) ticks"
