# Sourced by the benchmark scripts in tests/bench: one feedbackd on a store of their own.
# The caller sets: feedbackd (the binary), ctl (feedbackctl), address (host:port), work (its
# temporary folder).
# The store is $work/data, with a token in $work/token, its role's rate limit off. The role is
# $role when the caller sets it, else ROLE from the environment, else qa_manager: the one role
# whose SubmitFeedback reply carries the stored record (it may read it; a kiosk or an advocate
# hears back the id).

server=
server_flags=()  # more feedbackd flags, set by the caller before start_server
role=${role:-${ROLE:-qa_manager}}

# `feedbackctl bench ARGS... --json` against the server, with the store's token.
bench() {
  "$ctl" --server "$address" --token-file "$work/token" --timeout 60 bench "$@" --json
}

# A new, empty store with a token for it.
fresh_store() {
  rm -rf "$work/data" "$work/token"
  "$feedbackd" admin token issue --role "$role" --device bench --data-dir "$work/data" \
    --out "$work/token" >/dev/null
}

# Starts feedbackd on the store; the seconds until it said it listens go in $work/start_s.
start_server() {
  : >"$work/stdout"
  local started
  started=$(date +%s.%N)
  "$feedbackd" --listen "$address" --data-dir "$work/data" --rate-limit "$role=0" \
    "${server_flags[@]}" >"$work/stdout" 2>>"$work/stderr" &
  server=$!
  until grep -q 'listening on' "$work/stdout"; do
    kill -0 "$server" || { cat "$work/stderr" >&2; exit 1; }
    sleep 0.01
  done
  awk -v now="$(date +%s.%N)" -v then="$started" 'BEGIN { printf "%.3f\n", now - then }' \
    >"$work/start_s"
}

# A clean stop (SIGTERM), waited for.
stop_server() {
  if [[ -n $server ]]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}

# The highest peak RSS (VmHWM, kB) of the servers settle() has stopped, for a caller that
# reports the peak over a whole run.
settled_peak_rss_kb=0

# After a bulk load: a clean stop (which flushes the memtables), a restart, and await_quiet. A
# load leaves its last memtables unflushed, and await_quiet alone cannot wait for them: RocksDB
# flushes them, and compacts the tables the flush adds, only at the next write, which in a read
# measurement is the first list page's audit entry. On a 10^6-item store that compaction took
# most of a core and the disk for about three seconds, in the middle of the first blocks
# measured (docs/performance.md, "Alternated"). A restart makes it happen here instead.
settle() {
  local rss_kb
  rss_kb=$(peak_rss_kb)
  ((rss_kb > settled_peak_rss_kb)) && settled_peak_rss_kb=$rss_kb
  stop_server
  start_server
  await_quiet
}

# Waits (at most two minutes) until the feedbackd with PID $1 (default: $server) has been idle
# for a second, neither using the CPU nor writing: the flushes and compactions that a burst of
# submissions leaves behind are done (a compaction can spend a second mostly waiting for the
# disk, so CPU time alone does not show it), so that a measurement sees the store at rest, as a
# report read in a real quarter would, and not the bulk load's backlog.
await_quiet() {
  local pid=${1:-$server} cpu_before cpu_after written_before written_after
  for _ in $(seq 120); do
    cpu_before=$(cpu_ticks "$pid")
    written_before=$(bytes_written "$pid")
    sleep 1
    cpu_after=$(cpu_ticks "$pid")
    written_after=$(bytes_written "$pid")
    if ((cpu_after - cpu_before <= 2 && written_after - written_before < 1048576)); then
      # ...and the kernel has written the bulk load's files out: its writeback would otherwise
      # take the CPU and the disk from the calls measured (a list page waits for a synced
      # audit entry).
      sync
      return 0
    fi
  done
  echo "feedbackd $pid still busy after two minutes; measuring anyway" >&2
}

# The peak RSS (VmHWM, kB) of the server so far.
peak_rss_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$server/status"; }

# User + system CPU time of process $1, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Bytes process $1 has caused to be written to storage.
bytes_written() { awk '$1 == "write_bytes:" { print $2 }' "/proc/$1/io"; }

# `feedbackd ceilings --keys-per-call $2` in folder $1 (under $work), run by $ceilings_feedbackd
# (default: $feedbackd); it serves until its stdin closes: a FIFO the caller holds open. Sets
# $started to its PID.
start_ceilings() {
  local name=$1 keys=$2
  mkfifo "$work/${name}_in"
  # 9>&- 8>&-: it must not hold the other ceilings' FIFO open, or they never see its end.
  "${ceilings_feedbackd:-$feedbackd}" ceilings --data-dir "$work/$name" --keys-per-call "$keys" \
    <"$work/${name}_in" >"$work/${name}_out" 9>&- 8>&- &
  started=$!
}

# Waits until the ceilings in folder $1, PID $2, have said their addresses.
await_ceilings() {
  until grep -q '^commit ' "$work/$1_out"; do
    kill -0 "$2" || exit 1
    sleep 0.05
  done
}

# The address the ceilings in folder $1 print for their server $2 (echo, commit).
ceiling_address() { awk -v w="$2" '$1 == w { print $2 }' "$work/$1_out"; }

# Starts the one-key ceilings in folder ceilings, on a new store, holding its stdin open on
# descriptor 9; sets $ceilings.
start_plain_ceilings() {
  rm -rf "$work/ceilings" "$work/ceilings_in" "$work/ceilings_out"
  start_ceilings ceilings 1
  ceilings=$started
  exec 9>"$work/ceilings_in"
  await_ceilings ceilings "$ceilings"
}

# Stops what start_plain_ceilings started, if it runs, and waits for it.
stop_plain_ceilings() {
  if [[ -n ${ceilings:-} ]]; then
    exec 9>&-
    wait "$ceilings" 2>/dev/null || true
    ceilings=
  fi
}
