// The tiny supervisor behind the local executor: a bash script started detached, so the job outlives trainbench.
// It starts every rank with torch-style variables, records each rank's exit status in `rank<N>.exit`, stops the
// others when one fails, turns SIGTERM into a cancel and a time limit into TIMEOUT, and writes the outcome to
// `job.exit`. The argv arrives as the script's arguments and the environment through the process: neither is ever
// written into the script.

export interface SupervisorOptions {
  worldSize: number;
  tasksPerNode: number;
  masterPort: number;
  graceSeconds: number;
  timeLimitSeconds?: number;
  /** Send SIGUSR1 to every rank this long before the time limit. */
  signalSecondsBefore?: number;
}

export const SUPERVISOR_FILE = 'supervisor.sh';
export const EXIT_FILE = 'job.exit';
export const CANCEL_FILE = 'cancel.requested';

export function renderSupervisor(o: SupervisorOptions): string {
  const n = Math.trunc(o.worldSize);
  const timer =
    o.timeLimitSeconds !== undefined
      ? [
          `after ${Math.ceil(o.timeLimitSeconds)} kill -USR2 $$; timers+=($!)`,
          ...(o.signalSecondsBefore !== undefined
            ? [`after ${Math.max(0, Math.ceil(o.timeLimitSeconds - o.signalSecondsBefore))} signal_groups USR1; timers+=($!)`]
            : []),
        ]
      : [];
  return `#!/usr/bin/env bash
# trainbench local supervisor (see src/adapters/executors/local-supervisor.ts). Usage: bash supervisor.sh ARGV...
set -u
echo $$ > supervisor.pid
export MASTER_ADDR=127.0.0.1 MASTER_PORT=${Math.trunc(o.masterPort)} WORLD_SIZE=${n} PYTHONUNBUFFERED=1
export TRAINBENCH_RUN_DIR="$PWD"
outcome="" first="" first_status="" killer="" timers=()
groups=()
# after SECONDS CMD...: run CMD later in the background; killing it (TERM) also ends its sleep, leaving nothing behind.
# CMD runs only while this supervisor is still the timer's parent: a supervisor killed -9 leaves its timers behind,
# and by their time its PID and its ranks' group IDs may belong to other processes, which must not get the signal.
after() {
  local secs=$1
  shift
  ( sleep "$secs" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait "$s" && read -r -a fields </proc/$BASHPID/stat &&
    [ "\${fields[3]}" = "$$" ] && "$@" 2>/dev/null ) &
}
# Each rank leads its own process group (setsid), so signals reach whatever it started too (bash -c, workers).
# A group is signalled while its rank runs, or while processes of this run (TRAINBENCH_RUN_DIR) remain in it: once a
# group has died its number can be reused by any process (PIDs wrap at pid_max), which must not get our signal.
signal_groups() {
  local sig=$1 r g p
  for ((r = 0; r < \${#groups[@]}; r++)); do
    g=\${groups[r]#-}
    if [ ! -f "rank$r.exit" ]; then
      kill -"$sig" -- "-$g" 2>/dev/null
      continue
    fi
    for p in $(pgrep -g "$g" 2>/dev/null); do
      if grep -qzxF "TRAINBENCH_RUN_DIR=$PWD" "/proc/$p/environ" 2>/dev/null; then
        kill -"$sig" -- "-$g" 2>/dev/null
        break
      fi
    done
  done
}
stop_ranks() {
  [ -n "$killer" ] && return 0
  [ "\${#groups[@]}" -lt ${n} ] && return 0 # ranks still starting: done once their PIDs are known
  signal_groups TERM
  after ${Math.trunc(o.graceSeconds)} signal_groups KILL
  killer=$!
}
trap '[ -z "$outcome" ] && outcome=CANCELLED; stop_ranks' TERM INT
trap '[ -z "$outcome" ] && outcome=TIMEOUT; stop_ranks' USR2
# Each rank runs under a small wrapper subshell that waits for that one process and records its exit status in
# rank<N>.exit (one child per waiter: bash's multi-pid \`wait -n\` can lose a status when a trap interrupts it).
for ((r = 0; r < ${n}; r++)); do
  (
    RANK=$r LOCAL_RANK=$((r % ${Math.trunc(o.tasksPerNode)})) NODE_RANK=$((r / ${Math.trunc(o.tasksPerNode)})) setsid "$@" >"log-rank$r.out" 2>&1 </dev/null &
    rank=$!
    echo "$rank" >"rank$r.pid"
    wait "$rank"
    st=$?
    echo "$st $EPOCHREALTIME" >"rank$r.exit.tmp" && mv "rank$r.exit.tmp" "rank$r.exit"
  ) &
done
for ((r = 0; r < ${n}; r++)); do
  until [ -s "rank$r.pid" ]; do sleep 0.05; done
  groups+=("-$(cat "rank$r.pid")")
done
[ -n "$outcome" ] && stop_ranks # a cancel that came while the ranks were starting
${timer.join('\n')}
declare -A seen=()
while [ "\${#seen[@]}" -lt ${n} ]; do
  # Of the ranks that ended since the last look, the one that failed earliest is the cause; the rest followed it.
  cause="" cause_status="" cause_time=""
  for ((r = 0; r < ${n}; r++)); do
    [ -n "\${seen[$r]:-}" ] || [ ! -f "rank$r.exit" ] && continue
    seen[$r]=1
    read -r status at <"rank$r.exit"
    if [ "$status" != 0 ] && { [ -z "$cause" ] || [ "\${at//[.,]/}" -lt "\${cause_time//[.,]/}" ]; }; then
      cause=$r cause_status=$status cause_time=$at
    fi
  done
  if [ -n "$cause" ] && [ -z "$first" ] && [ -z "$outcome" ]; then
    first=$cause first_status=$cause_status
    stop_ranks
  fi
  sleep 0.2 & wait $! # an interruptible pause: traps run at once
done
for t in "$killer" "\${timers[@]}"; do [ -n "$t" ] && kill "$t" 2>/dev/null; done
signal_groups KILL # whatever a finished rank left running in its group
if [ -n "$first" ]; then state=FAILED; elif [ -n "$outcome" ]; then state=$outcome; else state=COMPLETED; fi
printf 'state=%s\\nrank=%s\\nstatus=%s\\n' "$state" "$first" "$first_status" >"${EXIT_FILE}.tmp"
mv "${EXIT_FILE}.tmp" "${EXIT_FILE}"
`;
}

/** `job.exit` -> its fields. */
export function parseExitFile(text: string): { state: string; rank?: number; status?: number } {
  const f = Object.fromEntries(text.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    state: f.state ?? '',
    ...(f.rank ? { rank: Number(f.rank) } : {}),
    ...(f.status ? { status: Number(f.status) } : {}),
  };
}
