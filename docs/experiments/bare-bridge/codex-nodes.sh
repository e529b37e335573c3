# Sourced by run.sh and two-nodes.sh (an experiment, not part of Codex's build or tests): starting
# a Codex node of the experiment and registering its 16 bench devices. Needs WORK (a temporary
# directory) and PIDS (an array the caller's exit trap kills).

# start_codex NAME "SETTINGS" JAR HTTP_PORT MQTT_PORT KAFKA_PORT: a node in embedded mode, its data
# and log under $WORK/NAME; SETTINGS are NAME=value pairs separated by ";" (a value may hold spaces).
start_codex() {
  local settings; IFS=';' read -r -a settings <<< "$2"
  env "${settings[@]}" CODEX_DATA_DIR="$WORK/$1" CODEX_HTTP_PORT=$4 CODEX_MQTT_PORT=$5 CODEX_KAFKA_EMBEDDED_PORT=$6 \
    CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT=$(( $6 + 1 )) java -jar "$3" run > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}

# provision NAME JAR HTTP_PORT: registers bench-0 … bench-15 on node NAME and writes their
# "user secret topic" lines to $WORK/NAME.creds.
provision() {
  local admin secret i
  admin=$(CODEX_DATA_DIR="$WORK/$1" java -jar "$2" token --role admin 2>/dev/null)
  for i in $(seq 0 15); do
    secret=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
      -d "{\"deviceId\":\"bench-$i\"}" "localhost:$3/api/v1/devices" | sed 's/.*"secret":"\([^"]*\)".*/\1/')
    echo "bench-$i $secret telemetry/bench-$i" >> "$WORK/$1.creds"
  done
}
