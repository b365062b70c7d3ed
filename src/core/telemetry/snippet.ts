// The sampler commands and the shell snippet that starts them inside an sbatch script. One vmstat (and one
// nvidia-smi dmon where the binary exists) per node, each writing <dir>/<short host>-{vmstat,dmon}.txt, stopped
// on exit (a stop file, then a kill after 5 s) so no sampler outlives the job. The EXIT trap is the script's one
// EXIT trap: a script that sets its own must call tb_telemetry_stop from it.

export const VMSTAT_ARGS = ['-t', '1'];
export const DMON_ARGS = ['dmon', '-o', 'DT', '-s', 'pucvmet', '-d', '1'];

export interface SnippetOptions {
  /** Directory for the captures (shell-quoted into the script; may contain $VARS). */
  dir: string;
  /** true: one sampler set per node via `srun --overlap`; false: sample only the batch host. */
  perNode: boolean;
}

const dq = (s: string) => `"${s.replace(/["\\`]/g, (c) => `\\${c}`)}"`;

/** The per-node sampler body: starts both samplers, records their PIDs, kills them on TERM/INT/EXIT. */
const body = [
  // Slurm's node name first: nodes in network namespaces (cluster up) share the host's UTS hostname.
  'd="$1"; h="${SLURMD_NODENAME:-$(hostname -s)}"',
  'stdbuf -o0 vmstat ' + VMSTAT_ARGS.join(' ') + ' > "$d/$h-vmstat.txt" 2>&1 & pids=$!',
  'if command -v nvidia-smi >/dev/null 2>&1; then',
  '  stdbuf -o0 nvidia-smi ' + DMON_ARGS.join(' ') + ' > "$d/$h-dmon.txt" 2>&1 & pids="$pids $!"',
  'fi',
  'echo "$pids" > "$d/$h-pids"',
  'trap \'kill $pids 2>/dev/null; exit 0\' TERM INT',
  // Stop file on the (shared) run directory: srun then ends cleanly instead of being killed mid-step.
  'while [ ! -e "$d/.stop" ]; do sleep 1; done',
  'kill $pids 2>/dev/null; wait',
].join('\n');

export function renderTelemetrySnippet(options: SnippetOptions): string {
  const launch = options.perNode
    ? `srun --nodes="$SLURM_JOB_NUM_NODES" --ntasks="$SLURM_JOB_NUM_NODES" --ntasks-per-node=1 --overlap --kill-on-bad-exit=0 bash -c '${body.replaceAll("'", "'\\''")}' tb-telemetry "$TB_TELEMETRY_DIR" &`
    : `bash -c '${body.replaceAll("'", "'\\''")}' tb-telemetry "$TB_TELEMETRY_DIR" &`;
  return [
    '# trainbench telemetry: vmstat and nvidia-smi dmon, 1 s, stopped when this script exits',
    `TB_TELEMETRY_DIR=${dq(options.dir)}`,
    'mkdir -p "$TB_TELEMETRY_DIR" && rm -f "$TB_TELEMETRY_DIR/.stop"',
    '# shellcheck disable=SC2016 # the sampler body expands its variables on each node, not here',
    launch,
    'TB_TELEMETRY_PID=$!',
    'tb_telemetry_stop() {',
    '  touch "$TB_TELEMETRY_DIR/.stop"',
    '  for _ in 1 2 3 4 5; do kill -0 "$TB_TELEMETRY_PID" 2>/dev/null || break; sleep 1; done',
    // `|| true`: under `set -e` a sampler that already ended must not turn the job's exit status into a failure.
    '  kill "$TB_TELEMETRY_PID" 2>/dev/null || true; wait "$TB_TELEMETRY_PID" 2>/dev/null || true',
    '}',
    'trap tb_telemetry_stop EXIT',
    '',
  ].join('\n');
}
