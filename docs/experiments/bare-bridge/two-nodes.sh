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
source "$HERE/codex-nodes.sh"
javac -cp "$JAR_A" -d "$WORK/classes" "$HERE"/io/codex/bench/*.java
start_codex a "$ENV_A" "$JAR_A" 18080 11883 39092
start_codex b "$ENV_B" "$JAR_B" 18081 11884 39094
for _ in $(seq 60); do grep -q 'codex ready' "$WORK/a.log" && grep -q 'codex ready' "$WORK/b.log" && break; sleep 1; done
provision a "$JAR_A" 18080
provision b "$JAR_A" 18081
steal0=$(awk '/^cpu /{print $9}' /proc/stat)
java -cp "$JAR_A:$WORK/classes" io.codex.bench.HttpTurns "$ROUNDS" "$SLICE" "$WARM" \
  A=http://127.0.0.1:18080/api/v1/telemetry="$WORK/a.creds" B=http://127.0.0.1:18081/api/v1/telemetry="$WORK/b.creds" 2>&1 | grep -v SLF4J
echo "steal: $(( $(awk '/^cpu /{print $9}' /proc/stat) - steal0 )) ticks"
