# Shell helpers shared by scripts/slurm-local.sh and scripts/cluster-netns.sh (sourced, not run).

# A daemon is up when its PID file names a live process whose command matches (PIDs get reused).
pid_alive() {
  local pidfile="$1" name="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && grep -q "$name" "/proc/$pid/comm"
}
