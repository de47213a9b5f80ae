#!/usr/bin/env bash
# Installs and starts a single-node Slurm cluster on this machine (localhost), for agora's
# Slurm runner tests and for trying agora's `runner: slurm` without a real cluster.
#
# Idempotent: run it again at will. Packages are installed only when missing; daemons that
# already run are left alone unless the slurm.conf written here changed (then both Slurm
# daemons restart). Needs root (apt-get, daemons); without root it only reports whether a
# node is up. Exits non-zero with a message when something cannot be started.
#
#   sudo scripts/slurm-setup.sh        # takes 1-2 minutes the first time (apt), then < 1 s
#
# Accounting is off (AccountingStorageType=accounting_storage/none, no slurmdbd), so `sacct`
# answers nothing here; agora's Slurm runner then reads job states from `scontrol show job`
# (kept for MinJobAge seconds after a job ends) and, after that, from the exit file its batch
# script writes. On a real cluster with slurmdbd, `sacct` is used first.
#
# Environment:
#   AGORA_SLURM_FORCE=1     overwrite an /etc/slurm/slurm.conf that agora did not write
#   AGORA_SLURM_NO_INSTALL=1  never run apt-get (fail if Slurm is missing)
set -euo pipefail

MARKER='# written by agora scripts/slurm-setup.sh'
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
NODE=localhost
PARTITION=debug

die() { echo "slurm-setup: $*" >&2; exit 1; }
say() { echo "slurm-setup: $*"; }

# A state with a suffix ("idle*": not responding) does not count as up.
node_state() { sinfo -h -n "$NODE" -o '%t' 2>/dev/null | head -n1 | tr -d ' ' || true; }

if [ "$(id -u)" != 0 ]; then
  if command -v sinfo >/dev/null 2>&1; then
    case "$(node_state)" in
      idle|mix|alloc) say "Slurm is already up ($(sinfo -h -n "$NODE" -o '%P %t'))"; exit 0 ;;
    esac
  fi
  die "must run as root (installs packages and starts daemons)"
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  [ "${AGORA_SLURM_NO_INSTALL:-}" = 1 ] && die "slurmctld/slurmd/munged are not installed and AGORA_SLURM_NO_INSTALL=1"
  command -v apt-get >/dev/null 2>&1 || die "slurm-wlm and munge are missing and there is no apt-get to install them"
  say "installing slurm-wlm and munge (apt-get)"
  apt-get update -q || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge || die "apt-get install slurm-wlm munge failed"
fi

# --- munge -------------------------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  say "creating /etc/munge/munge.key"
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "starting munged"
  runuser -u munge -- /usr/sbin/munged || die "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
  munge -n | unmunge >/dev/null 2>&1 || die "munged started but credentials do not round-trip"
fi

# --- slurm.conf ----------------------------------------------------------------------------
if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF" && [ "${AGORA_SLURM_FORCE:-}" != 1 ]; then
  die "$CONF exists and was not written by agora; set AGORA_SLURM_FORCE=1 to overwrite it"
fi
# At least 8 CPUs even on a 2-core machine, so a few test jobs (1 CPU each) run side by side;
# config_overrides makes slurmd accept the configured count instead of draining the node.
CPUS=$(nproc); [ "$CPUS" -lt 8 ] && CPUS=8
MEM_MB=$(awk '/MemTotal/ { m = int($2 / 1024) - 1024; if (m < 512) m = 512; print m }' /proc/meminfo)
install -d -m 0755 "$CONF_DIR" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
tmp="$CONF.tmp.$$"
cat >"$tmp" <<EOF
$MARKER
ClusterName=agora-local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# No cgroups: runs in containers and sandboxes; the local node is a test bed, not a cluster.
# pgid, not linuxproc: linuxproc loses a job's processes once their parent shell dies, so a
# trainer that ignores SIGTERM would outlive scancel; pgid signals the whole group.
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# No accounting daemon: sacct has nothing to say; agora falls back to scontrol show job.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
SlurmdParameters=config_overrides
# Short kill grace so time-limit and cancel tests end quickly; keep ended jobs visible to
# scontrol for 10 minutes, the only record there is without accounting.
KillWait=5
MinJobAge=600
InactiveLimit=0
OverTimeLimit=0
NodeName=$NODE CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
changed=0
if [ -f "$CONF" ] && cmp -s "$tmp" "$CONF"; then rm -f "$tmp"; else mv -f "$tmp" "$CONF"; changed=1; fi

# --- daemons -------------------------------------------------------------------------------
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop() {
  alive "$1" || return 0
  local pid; pid=$(cat "$1"); kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  die "could not stop the daemon of $1"
}
if [ "$changed" = 1 ]; then
  # A new node definition needs both daemons restarted (reconfigure does not change CPUs).
  stop /run/slurmd.pid
  stop /run/slurmctld.pid
fi
if ! alive /run/slurmctld.pid; then
  say "starting slurmctld"
  /usr/sbin/slurmctld || die "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
fi
if ! alive /run/slurmd.pid; then
  say "starting slurmd"
  /usr/sbin/slurmd -N "$NODE" || die "slurmd did not start (see /var/log/slurm/slurmd.log)"
fi

say "waiting for node $NODE to be idle"
for i in $(seq 1 120); do
  state=$(node_state)
  case "$state" in
    idle|mix|alloc) say "Slurm is up: $(sinfo -h -o '%P %D %t')"; exit 0 ;;
    down|drain|drng|fail) scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
echo "slurm-setup: last node state: '$(node_state)'" >&2
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 2>/dev/null || true
die "node $NODE did not become idle within 60 s"
