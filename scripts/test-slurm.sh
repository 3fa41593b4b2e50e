#!/usr/bin/env bash
# Runs deploy/slurm/ on a real, throwaway single-node Slurm cluster (slurmctld and slurmd on this
# machine, Debian's slurm-wlm; munge for authentication), then stops it. Used by tests/deploy.rs.
#
#   scripts/test-slurm.sh SOHOA_BINARY SCANS OUT N
#
# Everything lives in a temporary folder (configuration, state, logs, munge socket); nothing of
# the machine's own Slurm or munge setup is used or changed. Needs root (slurmd starts jobs);
# without it, exits 77 and tests/deploy.rs falls back on the array script run with Slurm's
# variables set.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${1:?usage: test-slurm.sh SOHOA SCANS OUT N}
scans=${2:?}
out=${3:?}
n=${4:?}
for tool in slurmctld slurmd sbatch squeue munged; do
    command -v "$tool" >/dev/null || { echo "test-slurm: $tool is not installed (scripts/install-deps.sh --test)" >&2; exit 1; }
done
# Exit 77 ("skipped", as automake's tests say): slurmd must be root to start jobs.
[ "$(id -u)" -eq 0 ] || { echo "test-slurm: skipped: needs root to start slurmd" >&2; exit 77; }

work=$(mktemp -d /tmp/sohoa-slurm.XXXXXX)
pids=()
stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT

# munge, on a socket of its own.
dd if=/dev/urandom of="$work/munge.key" bs=1 count=1024 status=none
chmod 600 "$work/munge.key"
chmod 755 "$work"
munged --force --foreground --key-file="$work/munge.key" --socket="$work/munge.sock" \
    --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge.seed" \
    2>"$work/munged.out" &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=sohoatest
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=sohoatest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
for i in $(seq 50); do [ -S "$work/munge.sock" ] && break; sleep 0.1; done
slurmctld -D -i >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D >"$work/slurmd.out" 2>&1 &
pids+=($!)
for i in $(seq 100); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && break
    sleep 0.2
done
sinfo -h -o %t | grep -q idle || { echo "test-slurm: the node did not come up" >&2; tail -5 "$work"/*.log >&2; exit 1; }

# The recipe as a user runs it: one array of N shards (one CPU each here), then emit.
cd "$work"
export SOHOA="$sohoa" SOHOA_SCHEMAS="${SOHOA_SCHEMAS:-$here/schemas}"
submitted=$(SOHOA_EMIT_MEM_PER_CPU=500M "$here/deploy/slurm/submit.sh" "$scans" "$out" "$n" --cpus-per-task=1 --mem-per-cpu=500M)
echo "$submitted"
for i in $(seq 900); do
    [ -z "$(squeue -h -o %i)" ] && break
    sleep 0.2
done
[ -z "$(squeue -h -o %i)" ] || { echo "test-slurm: jobs still queued after 3 minutes" >&2; squeue >&2; exit 1; }
for log in "$work"/sohoa-*.log "$work"/slurm-*.out; do
    [ -f "$log" ] && { echo "== $(basename "$log")"; cat "$log"; }
done
echo "test-slurm: done"
