#!/usr/bin/env bash
# The embedded single-host Slurm: a real slurmctld + slurmd (+ munged) on this machine, for development and tests.
#   scripts/slurm-local.sh start    install slurm-wlm/munge if missing, start munged, slurmctld, slurmd; wait until idle
#   scripts/slurm-local.sh stop     stop slurmd and slurmctld (and munged if we started it) by their PID files
#   scripts/slurm-local.sh status   print whether it is up (exit 0 when up, 1 when down)
# Idempotent, as root, non-interactive (CI=true, no stdin). State, spool, logs and slurm.conf live in
# TRAINBENCH_SLURM_DIR (default /var/tmp/trainbench-slurm). Accounting is off (no slurmdbd): `sacct` does not work, so
# finished jobs are read from `scontrol show job` (MinJobAge keeps them for an hour) and from log markers.
# Client commands find the config through SLURM_CONF=$DIR/slurm.conf; when /etc/slurm/slurm.conf does not exist we
# also link it there so a plain `sinfo` works (never replacing a real cluster's config).
set -euo pipefail

DIR="${TRAINBENCH_SLURM_DIR:-/var/tmp/trainbench-slurm}"
CONF="$DIR/slurm.conf"
# Daemons live in /usr/sbin on Debian/Ubuntu (not on a normal user's PATH); elsewhere take what PATH finds.
bin() {
  local d
  for d in /usr/sbin /usr/local/sbin /usr/bin /usr/local/bin; do
    if [ -x "$d/$1" ]; then echo "$d/$1"; return 0; fi
  done
  command -v "$1" || echo "/usr/sbin/$1"
}
NODE="$(hostname -s)"
CONF_CHANGED=0
export SLURM_CONF="$CONF"

# shellcheck source=scripts/lib/daemons.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/daemons.sh"

log() { echo "slurm-local: $*" >&2; }
die() { log "$*"; exit 8; }

# Root is needed (packages, daemons as root); a CI runner with password-less sudo re-runs this script through it.
need_root() {
  [ "$(id -u)" = 0 ] && return 0
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=TRAINBENCH_SLURM_DIR,CI bash "$0" "$@"
  fi
  die "must run as root (it installs packages and starts daemons as root)"
}

install_packages() {
  if [ -x "$(bin slurmctld)" ] && [ -x "$(bin slurmd)" ] && [ -x "$(bin munged)" ] && command -v sbatch >/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null || die "slurm-wlm is missing and apt-get is not available: install Slurm and munge"
  log "installing slurm-wlm munge with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null </dev/null
  apt-get install -y -q --no-install-recommends slurm-wlm munge </dev/null >/dev/null
  [ -x "$(bin slurmctld)" ] || die "apt-get ran but slurmctld is still missing"
}

munge_key() {
  local key=/etc/munge/munge.key
  [ -s "$key" ] && return 0
  log "creating the munge key"
  mkdir -p /etc/munge
  if [ -x "$(bin mungekey)" ]; then
    "$(bin mungekey)" -c -f -k "$key"
  elif command -v create-munge-key >/dev/null; then
    create-munge-key -f
  else
    dd if=/dev/urandom bs=1 count=1024 of="$key" 2>/dev/null
  fi
  chown munge:munge /etc/munge "$key"
  chmod 700 /etc/munge
  chmod 400 "$key"
}

start_munge() {
  # A munged already answering (system service, another tool) serves us as well.
  if command -v munge >/dev/null && munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  munge_key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 755 /run/munge
  rm -f /run/munge/munge.socket.2.lock
  log "starting munged"
  if command -v runuser >/dev/null; then
    runuser -u munge -- "$(bin munged)" --pid-file=/run/munge/munged.pid </dev/null
  else
    su -s /bin/sh munge -c "$(bin munged) --pid-file=/run/munge/munged.pid" </dev/null
  fi
  cp /run/munge/munged.pid "$DIR/munged.pid"
  for _ in $(seq 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "munged did not come up (see /var/log/munge/munged.log)"
}

write_conf() {
  local cpus mem_total margin mem
  cpus="$(nproc)"
  mem_total="$(free -m | awk '/^Mem:/ {print $2}')"
  # Leave room for the OS: slurmd drains a node that reports less memory than RealMemory.
  margin=$(( mem_total / 20 > 512 ? mem_total / 20 : 512 ))
  mem=$(( mem_total > margin + 256 ? mem_total - margin : mem_total / 2 ))
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  cat >"$CONF.tmp" <<EOF
# Written by trainbench scripts/slurm-local.sh: a single-host development cluster.
ClusterName=trainbench
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
SlurmctldTimeout=30
KillWait=5
InactiveLimit=0
MinJobAge=3600
SchedulerType=sched/backfill
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
  if cmp -s "$CONF.tmp" "$CONF"; then rm -f "$CONF.tmp"; CONF_CHANGED=0; else mv "$CONF.tmp" "$CONF"; CONF_CHANGED=1; fi
  if [ ! -e /etc/slurm/slurm.conf ] && [ ! -L /etc/slurm/slurm.conf ]; then
    mkdir -p /etc/slurm
    ln -s "$CONF" /etc/slurm/slurm.conf
  fi
}

node_state() { "$(command -v sinfo)" -h -N -n "$NODE" -o '%t' 2>/dev/null | head -n 1; }

wait_idle() {
  local state=""
  for i in $(seq 120); do
    state="$(node_state || true)"
    case "$state" in
      idle*|mix*|alloc*) return 0 ;;
      down*|drain*|drng*|fail*)
        if [ $(( i % 5 )) = 0 ]; then scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true; fi ;;
    esac
    sleep 0.5
  done
  die "node $NODE is '$state' after 60 s (see $DIR/log/slurmctld.log and slurmd.log)"
}

start() {
  need_root start
  install_packages
  mkdir -p "$DIR"
  start_munge
  write_conf
  if ! pid_alive "$DIR/slurmctld.pid" slurmctld; then
    log "starting slurmctld"
    "$(bin slurmctld)" -f "$CONF" </dev/null
  elif [ "$CONF_CHANGED" = 1 ]; then
    log "slurm.conf changed: reconfiguring"
    scontrol reconfigure >/dev/null 2>&1 || true
  fi
  if ! pid_alive "$DIR/slurmd.pid" slurmd; then
    log "starting slurmd"
    "$(bin slurmd)" -f "$CONF" </dev/null
  fi
  wait_idle
  status
}

# Stop one daemon by its PID file: TERM, wait, then KILL; never by name.
stop_pid() {
  local pidfile="$1" name="$2" pid
  pid_alive "$pidfile" "$name" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.2; done
  if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
}

stop() {
  need_root stop
  stop_pid "$DIR/slurmd.pid" slurmd
  stop_pid "$DIR/slurmctld.pid" slurmctld
  # munged only when this script started it (a system munged stays).
  stop_pid "$DIR/munged.pid" munged
  if [ -L /etc/slurm/slurm.conf ] && [ "$(readlink /etc/slurm/slurm.conf)" = "$CONF" ]; then rm -f /etc/slurm/slurm.conf; fi
  log "stopped"
}

status() {
  if pid_alive "$DIR/slurmctld.pid" slurmctld && pid_alive "$DIR/slurmd.pid" slurmd; then
    echo "slurm-local: up (cluster trainbench, node $NODE $(node_state || echo '?'), SLURM_CONF=$CONF)"
    return 0
  fi
  echo "slurm-local: down (state in $DIR)"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
