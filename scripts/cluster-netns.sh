#!/usr/bin/env bash
# A real multi-node Slurm cluster on one machine: one network namespace per node, each with its own address on a
# bridge, its own slurmd, spool and log; slurmctld on the bridge address; node names in /etc/hosts.
#   scripts/cluster-netns.sh up N     create N nodes (idempotent: an existing cluster of N nodes is left as it is)
#   scripts/cluster-netns.sh down     remove every namespace, link, hosts line and process it made (by PID)
#   scripts/cluster-netns.sh status   print the nodes and their Slurm state (exit 1 when down)
#   scripts/cluster-netns.sh env      print `export SLURM_CONF=...` for this cluster's client commands
# 198.18.0.0/24 (reserved for network testing): bridge 198.18.0.1, node k at 198.18.0.(10+k). Its own ports
# (6917/6918) and config, so it runs beside the single-host Slurm of scripts/slurm-local.sh, whose munged it shares.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${TRAINBENCH_CLUSTER_DIR:-/var/tmp/trainbench-cluster}"
CONF="$DIR/slurm.conf"
BRIDGE=tbbr0
NET=198.18.0
MARK='# trainbench-cluster'
SBIN=/usr/sbin
export SLURM_CONF="$CONF"

# shellcheck source=scripts/lib/daemons.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/daemons.sh"

log() { echo "cluster-netns: $*" >&2; }
die() { log "$*"; exit 8; }

kill_pidfile() {
  local pidfile="$1" name="$2" pid
  pid_alive "$pidfile" "$name" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  [ -d "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

nodes_made() { [ -s "$DIR/nodes" ] && cat "$DIR/nodes" || true; }

preflight() {
  [ "$(id -u)" = 0 ] || die "must run as root: it creates network namespaces and starts slurmd/slurmctld"
  command -v ip >/dev/null || die "ip (iproute2) is missing: apt-get install iproute2"
  command -v nsenter >/dev/null || die "nsenter (util-linux) is missing"
  if ! ip netns add tbprobe$$ 2>/dev/null; then die "network namespaces are refused here (ip netns add failed): run on a host or a privileged container"; fi
  ip netns del tbprobe$$
}

write_conf() {
  local n="$1" mem k
  mem=$(( $(free -m | awk '/^Mem:/ {print $2}') / (n + 1) ))
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/run"
  {
    echo "# Written by trainbench scripts/cluster-netns.sh: $n nodes in network namespaces."
    echo "ClusterName=tbnet"
    echo "SlurmctldHost=$(hostname -s)($NET.1)"
    echo "SlurmUser=root"
    echo "SlurmdUser=root"
    echo "AuthType=auth/munge"
    echo "StateSaveLocation=$DIR/state"
    echo "SlurmdSpoolDir=$DIR/spool/%n"
    echo "SlurmctldPidFile=$DIR/run/slurmctld.pid"
    echo "SlurmdPidFile=$DIR/run/slurmd-%n.pid"
    echo "SlurmctldLogFile=$DIR/log/slurmctld.log"
    echo "SlurmdLogFile=$DIR/log/slurmd-%n.log"
    echo "SlurmctldPort=6917"
    echo "SlurmdPort=6918"
    echo "SlurmdParameters=config_overrides"
    echo "ProctrackType=proctrack/linuxproc"
    echo "TaskPlugin=task/none"
    echo "SelectType=select/cons_tres"
    echo "SelectTypeParameters=CR_Core"
    echo "JobAcctGatherType=jobacct_gather/none"
    echo "AccountingStorageType=accounting_storage/none"
    echo "MpiDefault=none"
    echo "ReturnToService=2"
    # A job that loses a node ends NODE_FAIL instead of silently going back to the queue; resubmission is trainbench's.
    echo "JobRequeue=0"
    echo "SlurmdTimeout=10"
    echo "SlurmctldTimeout=10"
    echo "MessageTimeout=5"
    echo "KillWait=5"
    echo "InactiveLimit=0"
    echo "MinJobAge=3600"
    echo "SchedulerType=sched/backfill"
    for k in $(seq "$n"); do echo "NodeName=node$k NodeAddr=$NET.$((10 + k)) CPUs=1 RealMemory=$mem State=UNKNOWN"; done
    echo "PartitionName=nodes Nodes=node[1-$n] Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4"
  } >"$CONF"
}

add_node() {
  local k="$1" ns="tbnode$1" host="tbv$1" peer="tbp$1"
  ip netns add "$ns"
  ip link add "$host" type veth peer name "$peer"
  ip link set "$peer" netns "$ns"
  ip -n "$ns" link set "$peer" name eth0
  ip -n "$ns" addr add "$NET.$((10 + k))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$NET.1"
  ip link set "$host" master "$BRIDGE" up
  echo "$NET.$((10 + k)) node$k $MARK" >>/etc/hosts
  echo "$k" >>"$DIR/nodes"
}

wait_idle() {
  local n="$1" idle=0
  for i in $(seq 120); do
    idle="$(sinfo -h -N -o '%N %t' 2>/dev/null | grep -cE ' (idle|mix|alloc)' || true)"
    [ "$idle" -ge "$n" ] && return 0
    if [ $(( i % 6 )) = 0 ]; then scontrol update nodename="node[1-$n]" state=resume >/dev/null 2>&1 || true; fi
    sleep 0.5
  done
  die "only $idle of $n nodes came up (see $DIR/log/)"
}

start_slurmds() {
  local n="$1"
  for k in $(seq "$n"); do
    pid_alive "$DIR/run/slurmd-node$k.pid" slurmd && continue
    mkdir -p "$DIR/spool/node$k"
    nsenter --net="/var/run/netns/tbnode$k" "$SBIN/slurmd" -f "$CONF" -N "node$k" </dev/null
  done
}

up() {
  local n="${1:-2}"
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "up takes a node count between 1 and 99, got '$n'"
  preflight
  if [ -s "$DIR/nodes" ]; then
    if [ "$(wc -l <"$DIR/nodes")" = "$n" ] && pid_alive "$DIR/run/slurmctld.pid" slurmctld; then
      start_slurmds "$n" # a node whose slurmd died comes back
      wait_idle "$n"; status; return 0
    fi
    log "a cluster of another size (or a broken one) exists: taking it down first"
    down
  fi
  bash scripts/slurm-local.sh start >/dev/null # packages and munged (shared)
  mkdir -p "$DIR"
  : >"$DIR/nodes"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    echo bridge >"$DIR/bridge"
  fi
  ip addr add "$NET.1/24" dev "$BRIDGE" 2>/dev/null || true
  ip link set "$BRIDGE" up
  for k in $(seq "$n"); do add_node "$k"; done
  write_conf "$n"
  "$SBIN/slurmctld" -f "$CONF" </dev/null
  start_slurmds "$n"
  wait_idle "$n"
  status
}

down() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  if [ -f "$CONF" ] && pid_alive "$DIR/run/slurmctld.pid" slurmctld; then scancel --full --quiet --partition=nodes 2>/dev/null || true; fi
  for k in $(nodes_made); do
    kill_pidfile "$DIR/run/slurmd-node$k.pid" slurmd
    # Job steps (slurmstepd and its tasks) live in the node's namespace: end exactly those processes.
    if ip netns pids "tbnode$k" >/dev/null 2>&1; then
      for pid in $(ip netns pids "tbnode$k"); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "tbnode$k" 2>/dev/null || true
    fi
    ip link del "tbv$k" 2>/dev/null || true
  done
  kill_pidfile "$DIR/run/slurmctld.pid" slurmctld
  if [ -f "$DIR/bridge" ]; then ip link del "$BRIDGE" 2>/dev/null || true; fi
  if grep -q "$MARK" /etc/hosts; then
    # /etc/hosts may be a bind mount (containers): rewrite it in place rather than replacing the file, and never
    # empty it on the way (`cat new > /etc/hosts` truncates first: a name lookup by another job in that moment
    # fails, seen as srun's getaddrinfo error on the single-host Slurm). Our lines were appended, so the kept text
    # is normally the file's beginning and cutting the tail off is enough; otherwise overwrite, then cut.
    grep -v "$MARK" /etc/hosts >"$DIR/hosts.new" || true
    size=$(stat -c %s "$DIR/hosts.new")
    if ! cmp -s -n "$size" "$DIR/hosts.new" /etc/hosts; then
      dd if="$DIR/hosts.new" of=/etc/hosts conv=notrunc status=none
    fi
    truncate -s "$size" /etc/hosts
  fi
  rm -rf "$DIR"
  log "down"
}

status() {
  if [ ! -s "$DIR/nodes" ] || ! pid_alive "$DIR/run/slurmctld.pid" slurmctld; then echo "cluster-netns: down"; return 1; fi
  echo "cluster-netns: up, SLURM_CONF=$CONF"
  sinfo -h -N -o '%N %t %C' 2>/dev/null | while read -r node state cpus; do
    echo "  $node $(getent hosts "$node" | awk '{print $1}') $state cpus=$cpus"
  done
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down ;;
  status) status ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 up N | down | status | env" >&2; exit 2 ;;
esac
